import type { KubeObject } from '../../cluster/kubeObject.js';
import { type LabelSelectorJson, requirementsOfSelector } from '../labelSelector.js';
import type { KubeDeployment, KubeReplicaSet } from '../resources/workloads.js';
import type { PodQuery } from './podQuery.js';
import { Query } from './query.js';
import type { JoinTarget } from './querySpec.js';

/** The pods (or ReplicaSets) of a workload: its namespace and its selector, sent to the server. */
function selectorTarget(workload: KubeDeployment | KubeReplicaSet): JoinTarget | undefined {
  const selector = (workload.raw as KubeObject & { spec?: { selector?: LabelSelectorJson } }).spec?.selector;
  const labels = requirementsOfSelector(selector);
  return labels.length === 0 ? undefined : { namespace: workload.namespace, labels };
}

/** Deployments, with joins to their pods and ReplicaSets. */
export class DeploymentQuery extends Query<KubeDeployment> {
  /** Pods of each Deployment, by its selector. */
  pods(): PodQuery {
    return this.join('pods', 'pods of each deployment (by its selector)', selectorTarget);
  }

  /** ReplicaSets of each Deployment, by its selector. */
  replicaSets(): ReplicaSetQuery {
    return this.join('replicasets', 'replicasets of each deployment (by its selector)', selectorTarget);
  }
}

/** ReplicaSets, with a join to their pods. */
export class ReplicaSetQuery extends Query<KubeReplicaSet> {
  /** Pods of each ReplicaSet, by its selector. */
  pods(): PodQuery {
    return this.join('pods', 'pods of each replicaset (by its selector)', selectorTarget);
  }
}
