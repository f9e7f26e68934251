import { type KubeEndpointSlice, type KubeService, SERVICE_NAME_LABEL } from '../resources/service.js';
import type { PodQuery } from './podQuery.js';
import { Query } from './query.js';

/** Services, with joins to their EndpointSlices and pods. */
export class ServiceQuery extends Query<KubeService> {
  /** EndpointSlices of each Service (label `kubernetes.io/service-name`). */
  endpointSlices(): EndpointSliceQuery {
    return this.join('endpointslices', 'endpointslices of each service', (s) => ({
      namespace: s.namespace,
      labels: [{ key: SERVICE_NAME_LABEL, op: 'in', values: [s.name] }],
    }));
  }

  /** Pods behind each Service: its EndpointSlices, then the pods they point to. */
  pods(): PodQuery {
    return this.endpointSlices().pods();
  }

  /** Pods each Service's selector matches, endpoints or not. */
  selectedPods(): PodQuery {
    return this.join('pods', "pods matching each service's selector", (s) => {
      const selector = Object.entries(s.selector);
      return selector.length === 0
        ? undefined
        : {
            namespace: s.namespace,
            labels: selector.map(([key, value]) => ({ key, op: 'in', values: [value] })),
          };
    });
  }
}

/** EndpointSlices, with a join to the pods they point to. */
export class EndpointSliceQuery extends Query<KubeEndpointSlice> {
  /** Slices of one Service. */
  forService(name: string): this {
    return this.withLabels({ [SERVICE_NAME_LABEL]: name });
  }

  /** Pods the endpoints of each slice point to (targetRef). */
  pods(): PodQuery {
    return this.join('pods', 'pods each endpointslice points to (targetRef)', (s) =>
      s.podNames.length === 0 ? undefined : { namespace: s.namespace, names: s.podNames },
    );
  }
}
