import type { KubeObject } from '../cluster/kubeObject.js';

/** The fields of the discovery objects that discovery reads; everything else is ignored. */

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
}

export interface Service extends KubeObject {
  spec?: { ports?: ServicePort[]; selector?: Record<string, string> };
}

/** A port of an EndpointSlice or Endpoints subset: already the target (pod) port. */
export interface EndpointPort {
  name?: string;
  port?: number;
  protocol?: string;
}

export interface ObjectReference {
  kind?: string;
  name?: string;
  namespace?: string;
}

export interface EndpointSlice extends KubeObject {
  addressType?: string;
  ports?: EndpointPort[] | null;
  endpoints?: {
    addresses?: string[];
    conditions?: { ready?: boolean | null; serving?: boolean | null; terminating?: boolean | null };
    targetRef?: ObjectReference;
    nodeName?: string;
    zone?: string;
  }[];
}

export interface EndpointAddress {
  ip: string;
  nodeName?: string;
  targetRef?: ObjectReference;
}

export interface LegacyEndpoints extends KubeObject {
  subsets?: {
    addresses?: EndpointAddress[];
    notReadyAddresses?: EndpointAddress[];
    ports?: EndpointPort[];
  }[];
}

export interface Pod extends KubeObject {
  spec?: {
    nodeName?: string;
    containers?: { ports?: { name?: string; containerPort: number; protocol?: string }[] }[];
  };
  status?: { podIP?: string; phase?: string; conditions?: { type: string; status: string }[] };
}

/** Label that ties an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
