/** What each operation answers, as the hub serves it (snake_case fields, as the seed's API). */

/** One namespace, field for field as the seed's `GET /namespaces`. */
export interface NamespaceResult {
  name: string;
  status: string;
  created_at: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface NamespacesResult {
  namespaces: NamespaceResult[];
}

export interface PodDiagnosisResult {
  reason: string | null;
  summary: string;
  findings: { reason: string; container: string | null; summary: string; fix: string }[];
}

export interface PodResult {
  name: string;
  namespace: string;
  phase: string;
  status: string;
  ready: boolean;
  restarts: number;
  node: string | null;
  ip: string | null;
  created_at: string | null;
  broken: boolean;
  broken_reason: string | null;
  /** With `diagnose=true`, for broken pods. */
  diagnosis?: PodDiagnosisResult;
}

export interface PodsResult {
  pods: PodResult[];
}

export interface EndpointResult {
  ip: string;
  ready: boolean;
  pod: string | null;
  node: string | null;
}

export interface ServiceResult {
  name: string;
  namespace: string;
  type: string;
  cluster_ip: string | null;
  ports: {
    name: string | null;
    port: number | null;
    target_port: number | string | null;
    protocol: string;
  }[];
  selector: Record<string, string>;
  endpoints: EndpointResult[];
}

export interface ServicesResult {
  services: ServiceResult[];
}

export interface EventResult {
  namespace: string;
  type: string;
  reason: string;
  message: string;
  count: number;
  object: { kind: string | null; name: string | null };
  last_seen: string | null;
}

export interface EventsResult {
  events: EventResult[];
}
