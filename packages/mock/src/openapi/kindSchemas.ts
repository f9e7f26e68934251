import {
  arrayOf,
  bool,
  type Definition,
  int,
  int64,
  intOrString,
  mapOf,
  open,
  openFields,
  ref,
  type Schema,
  str,
  stringMap,
  strings,
  time,
} from './schemaModel.js';

// One description of every object type the emulator's kinds are made of, after k8s.io/api. Types a
// kind uses but whose fields are not listed are `open`: anything is accepted there and kept.

const CORE = 'io.k8s.api.core.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

const metadata = ref(
  `${META}.ObjectMeta`,
  "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
);
const typeMeta = {
  apiVersion: str(
    'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.',
  ),
  kind: str(
    'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase.',
  ),
};
const status = (what: string): Schema => open(`Most recently observed status of the ${what}. Read-only.`);
const selector = (description: string): Schema => ref(`${META}.LabelSelector`, description);
const podTemplate = (description: string): Schema => ref(`${CORE}.PodTemplateSpec`, description);

/** Object types by their OpenAPI name. */
export const DEFINITIONS: Readonly<Record<string, Definition>> = {
  [`${META}.ObjectMeta`]: {
    description:
      'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
    properties: {
      annotations: stringMap(
        'Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata.',
      ),
      creationTimestamp: time(
        'CreationTimestamp is a timestamp representing the server time when this object was created.',
      ),
      deletionGracePeriodSeconds: int64('Number of seconds allowed for this object to gracefully terminate.'),
      deletionTimestamp: time(
        'DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted.',
      ),
      finalizers: strings('Must be empty before the object is deleted from the registry.'),
      generateName: str('GenerateName is an optional prefix, used by the server, to generate a unique name.'),
      generation: int64('A sequence number representing a specific generation of the desired state.'),
      labels: stringMap(
        'Map of string keys and values that can be used to organize and categorize (scope and select) objects.',
      ),
      managedFields: arrayOf(
        open(),
        'ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow.',
      ),
      name: str('Name must be unique within a namespace. Cannot be updated.'),
      namespace: str('Namespace defines the space within which each name must be unique.'),
      ownerReferences: arrayOf(open(), 'List of objects depended by this object.'),
      resourceVersion: str('An opaque value that represents the internal version of this object.'),
      selfLink: str(
        'Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.',
      ),
      uid: str('UID is the unique in time and space value for this object.'),
    },
  },
  [`${META}.LabelSelector`]: {
    description:
      'A label selector is a label query over a set of resources. The result of matchLabels and matchExpressions are ANDed.',
    properties: {
      matchExpressions: arrayOf(
        open(),
        'matchExpressions is a list of label selector requirements. The requirements are ANDed.',
      ),
      matchLabels: stringMap('matchLabels is a map of {key,value} pairs.'),
    },
  },
  [`${CORE}.PodTemplateSpec`]: {
    description: 'PodTemplateSpec describes the data a pod should have when created from a template',
    properties: {
      metadata,
      spec: ref(`${CORE}.PodSpec`, 'Specification of the desired behavior of the pod.'),
    },
  },
  [`${CORE}.PodSpec`]: {
    description: 'PodSpec is a description of a pod.',
    required: ['containers'],
    properties: {
      ...openFields(
        'affinity',
        'dnsConfig',
        'ephemeralContainers',
        'hostAliases',
        'imagePullSecrets',
        'os',
        'overhead',
        'readinessGates',
        'resourceClaims',
        'resources',
        'schedulingGates',
        'securityContext',
        'tolerations',
        'topologySpreadConstraints',
        'volumes',
      ),
      activeDeadlineSeconds: int64('Optional duration in seconds the pod may be active on the node.'),
      automountServiceAccountToken: bool(
        'Indicates whether a service account token should be automatically mounted.',
      ),
      containers: arrayOf(
        ref(`${CORE}.Container`),
        'List of containers belonging to the pod. Containers cannot currently be added or removed. There must be at least one container in a Pod. Cannot be updated.',
      ),
      dnsPolicy: str('Set DNS policy for the pod. Defaults to "ClusterFirst".'),
      enableServiceLinks: bool(
        'Indicates whether information about services should be injected into environment variables.',
      ),
      hostIPC: bool("Use the host's ipc namespace."),
      hostNetwork: bool('Host networking requested for this pod.'),
      hostPID: bool("Use the host's pid namespace."),
      hostUsers: bool("Use the host's user namespace."),
      hostname: str(
        "Specifies the hostname of the Pod. If not specified, the pod's hostname will be set to a system-defined value.",
      ),
      initContainers: arrayOf(
        ref(`${CORE}.Container`),
        'List of initialization containers belonging to the pod.',
      ),
      nodeName: str('NodeName indicates in which node this pod is scheduled.'),
      nodeSelector: stringMap('NodeSelector is a selector which must be true for the pod to fit on a node.'),
      preemptionPolicy: str('PreemptionPolicy is the Policy for preempting pods with lower priority.'),
      priority: int('The priority value.'),
      priorityClassName: str("If specified, indicates the pod's priority."),
      restartPolicy: str(
        'Restart policy for all containers within the pod. One of Always, OnFailure, Never. Default to Always.',
      ),
      runtimeClassName: str('RuntimeClassName refers to a RuntimeClass object in the node.k8s.io group.'),
      schedulerName: str('If specified, the pod will be dispatched by specified scheduler.'),
      serviceAccount: str('DeprecatedServiceAccount is a deprecated alias for ServiceAccountName.'),
      serviceAccountName: str('ServiceAccountName is the name of the ServiceAccount to use to run this pod.'),
      setHostnameAsFQDN: bool("If true the pod's hostname will be configured as the pod's FQDN."),
      shareProcessNamespace: bool('Share a single process namespace between all of the containers in a pod.'),
      subdomain: str(
        'If specified, the fully qualified Pod hostname will be "<hostname>.<subdomain>.<pod namespace>.svc.<cluster domain>".',
      ),
      terminationGracePeriodSeconds: int64(
        'Optional duration in seconds the pod needs to terminate gracefully.',
      ),
    },
  },
  [`${CORE}.Container`]: {
    description: 'A single application container that you want to run within a pod.',
    required: ['name'],
    properties: {
      ...openFields(
        'envFrom',
        'lifecycle',
        'resizePolicy',
        'securityContext',
        'volumeDevices',
        'volumeMounts',
      ),
      args: strings('Arguments to the entrypoint.'),
      command: strings('Entrypoint array. Not executed within a shell.'),
      env: arrayOf(
        ref(`${CORE}.EnvVar`),
        'List of environment variables to set in the container. Cannot be updated.',
      ),
      image: str('Container image name. More info: https://kubernetes.io/docs/concepts/containers/images'),
      imagePullPolicy: str('Image pull policy. One of Always, Never, IfNotPresent.'),
      livenessProbe: ref(`${CORE}.Probe`, 'Periodic probe of container liveness.'),
      name: str(
        'Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated.',
      ),
      ports: arrayOf(ref(`${CORE}.ContainerPort`), 'List of ports to expose from the container.'),
      readinessProbe: ref(`${CORE}.Probe`, 'Periodic probe of container service readiness.'),
      resources: ref(
        `${CORE}.ResourceRequirements`,
        'Compute Resources required by this container. Cannot be updated.',
      ),
      restartPolicy: str('RestartPolicy defines the restart behavior of individual containers in a pod.'),
      startupProbe: ref(`${CORE}.Probe`, 'StartupProbe indicates that the Pod has successfully initialized.'),
      stdin: bool('Whether this container should allocate a buffer for stdin in the container runtime.'),
      stdinOnce: bool(
        'Whether the container runtime should close the stdin channel after it has been opened by a single attach.',
      ),
      terminationMessagePath: str(
        "Optional: Path at which the file to which the container's termination message will be written is mounted.",
      ),
      terminationMessagePolicy: str('Indicate how the termination message should be populated.'),
      tty: bool('Whether this container should allocate a TTY for itself.'),
      workingDir: str("Container's working directory."),
    },
  },
  [`${CORE}.EnvVar`]: {
    description: 'EnvVar represents an environment variable present in a Container.',
    required: ['name'],
    properties: {
      name: str('Name of the environment variable.'),
      value: str(
        'Variable references $(VAR_NAME) are expanded using the previously defined environment variables.',
      ),
      valueFrom: open("Source for the environment variable's value. Cannot be used if value is not empty."),
    },
  },
  [`${CORE}.ContainerPort`]: {
    description: 'ContainerPort represents a network port in a single container.',
    required: ['containerPort'],
    properties: {
      containerPort: int(
        "Number of port to expose on the pod's IP address. This must be a valid port number, 0 < x < 65536.",
      ),
      hostIP: str('What host IP to bind the external port to.'),
      hostPort: int('Number of port to expose on the host.'),
      name: str('If specified, this must be an IANA_SVC_NAME and unique within the pod.'),
      protocol: str('Protocol for port. Must be UDP, TCP, or SCTP. Defaults to "TCP".'),
    },
  },
  [`${CORE}.Probe`]: {
    description:
      'Probe describes a health check to be performed against a container to determine whether it is alive or ready to receive traffic.',
    properties: {
      ...openFields('exec', 'grpc', 'httpGet', 'tcpSocket'),
      failureThreshold: int(
        'Minimum consecutive failures for the probe to be considered failed after having succeeded.',
      ),
      initialDelaySeconds: int(
        'Number of seconds after the container has started before liveness probes are initiated.',
      ),
      periodSeconds: int('How often (in seconds) to perform the probe. Default to 10 seconds.'),
      successThreshold: int(
        'Minimum consecutive successes for the probe to be considered successful after having failed.',
      ),
      terminationGracePeriodSeconds: int64(
        'Optional duration in seconds the pod needs to terminate gracefully upon probe failure.',
      ),
      timeoutSeconds: int('Number of seconds after which the probe times out. Defaults to 1 second.'),
    },
  },
  [`${CORE}.ResourceRequirements`]: {
    description: 'ResourceRequirements describes the compute resource requirements.',
    properties: {
      claims: arrayOf(
        open(),
        'Claims lists the names of resources, defined in spec.resourceClaims, that are used by this container.',
      ),
      limits: mapOf(intOrString(), 'Limits describes the maximum amount of compute resources allowed.'),
      requests: mapOf(intOrString(), 'Requests describes the minimum amount of compute resources required.'),
    },
  },
  'io.k8s.api.apps.v1.DeploymentSpec': {
    description: 'DeploymentSpec is the specification of the desired behavior of the Deployment.',
    required: ['selector', 'template'],
    properties: {
      minReadySeconds: int(
        'Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available.',
      ),
      paused: bool('Indicates that the deployment is paused.'),
      progressDeadlineSeconds: int(
        'The maximum time in seconds for a deployment to make progress before it is considered to be failed.',
      ),
      replicas: int(
        'Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.',
      ),
      revisionHistoryLimit: int('The number of old ReplicaSets to retain to allow rollback. Defaults to 10.'),
      selector: selector(
        'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.',
      ),
      strategy: open('The deployment strategy to use to replace existing pods with new ones.'),
      template: podTemplate('Template describes the pods that will be created.'),
    },
  },
  'io.k8s.api.apps.v1.ReplicaSetSpec': {
    description: 'ReplicaSetSpec is the specification of a ReplicaSet.',
    required: ['selector'],
    properties: {
      minReadySeconds: int('Minimum number of seconds for which a newly created pod should be ready.'),
      replicas: int('Replicas is the number of desired pods. Defaults to 1.'),
      selector: selector('Selector is a label query over pods that should match the replica count.'),
      template: podTemplate(
        'Template is the object that describes the pod that will be created if insufficient replicas are detected.',
      ),
    },
  },
  'io.k8s.api.apps.v1.StatefulSetSpec': {
    description: 'A StatefulSetSpec is the specification of a StatefulSet.',
    required: ['selector', 'template'],
    properties: {
      ...openFields('ordinals', 'persistentVolumeClaimRetentionPolicy', 'updateStrategy'),
      minReadySeconds: int('Minimum number of seconds for which a newly created pod should be ready.'),
      podManagementPolicy: str(
        'podManagementPolicy controls how pods are created during initial scale up. OrderedReady or Parallel.',
      ),
      replicas: int('replicas is the desired number of replicas of the given Template. Defaults to 1.'),
      revisionHistoryLimit: int(
        'revisionHistoryLimit is the maximum number of revisions that will be maintained.',
      ),
      selector: selector(
        "selector is a label query over pods that should match the replica count. It must match the pod template's labels.",
      ),
      serviceName: str('serviceName is the name of the service that governs this StatefulSet.'),
      template: podTemplate(
        'template is the object that describes the pod that will be created if insufficient replicas are detected.',
      ),
      volumeClaimTemplates: arrayOf(
        open(),
        'volumeClaimTemplates is a list of claims that pods are allowed to reference.',
      ),
    },
  },
  'io.k8s.api.batch.v1.JobSpec': {
    description: 'JobSpec describes how the job execution will look like.',
    required: ['template'],
    properties: {
      ...openFields('podFailurePolicy', 'successPolicy'),
      activeDeadlineSeconds: int64(
        'Specifies the duration in seconds relative to the startTime that the job may be continuously active.',
      ),
      backoffLimit: int('Specifies the number of retries before marking this job failed. Defaults to 6.'),
      backoffLimitPerIndex: int(
        'Specifies the limit for the number of retries within an index before marking this index as failed.',
      ),
      completionMode: str(
        'completionMode specifies how Pod completions are tracked. NonIndexed (default) or Indexed.',
      ),
      completions: int(
        'Specifies the desired number of successfully finished pods the job should be run with.',
      ),
      managedBy: str('ManagedBy field indicates the controller that manages a Job.'),
      manualSelector: bool('manualSelector controls generation of pod labels and pod selectors.'),
      maxFailedIndexes: int(
        'Specifies the maximal number of failed indexes before marking the Job as failed.',
      ),
      parallelism: int('Specifies the maximum desired number of pods the job should run at any given time.'),
      podReplacementPolicy: str('podReplacementPolicy specifies when to create replacement Pods.'),
      selector: selector('A label query over pods that should match the pod count.'),
      suspend: bool('suspend specifies whether the Job controller should create Pods or not.'),
      template: podTemplate(
        'Describes the pod that will be created when executing a job. The only allowed template.spec.restartPolicy values are "Never" or "OnFailure".',
      ),
      ttlSecondsAfterFinished: int(
        'ttlSecondsAfterFinished limits the lifetime of a Job that has finished execution.',
      ),
    },
  },
  [`${CORE}.ServiceSpec`]: {
    description: 'ServiceSpec describes the attributes that a user creates on a service.',
    properties: {
      ...openFields('sessionAffinityConfig'),
      allocateLoadBalancerNodePorts: bool(
        'allocateLoadBalancerNodePorts defines if NodePorts will be automatically allocated for services with type LoadBalancer.',
      ),
      clusterIP: str('clusterIP is the IP address of the service and is usually assigned randomly.'),
      clusterIPs: strings('ClusterIPs is a list of IP addresses assigned to this service.'),
      externalIPs: strings(
        'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
      ),
      externalName: str(
        'externalName is the external reference that discovery mechanisms will return as an alias for this service.',
      ),
      externalTrafficPolicy: str(
        'externalTrafficPolicy describes how nodes distribute service traffic they receive on one of the Service\'s "externally-facing" addresses.',
      ),
      healthCheckNodePort: int('healthCheckNodePort specifies the healthcheck nodePort for the service.'),
      internalTrafficPolicy: str(
        'InternalTrafficPolicy describes how nodes distribute service traffic they receive on the ClusterIP.',
      ),
      ipFamilies: strings('IPFamilies is a list of IP families (e.g. IPv4, IPv6) assigned to this service.'),
      ipFamilyPolicy: str(
        'IPFamilyPolicy represents the dual-stack-ness requested or required by this Service.',
      ),
      loadBalancerClass: str(
        'loadBalancerClass is the class of the load balancer implementation this Service belongs to.',
      ),
      loadBalancerIP: str('Only applies to Service Type: LoadBalancer. Deprecated.'),
      loadBalancerSourceRanges: strings(
        'If specified and supported by the platform, traffic through the load balancer will be restricted to these client IPs.',
      ),
      ports: arrayOf(ref(`${CORE}.ServicePort`), 'The list of ports that are exposed by this service.'),
      publishNotReadyAddresses: bool(
        'publishNotReadyAddresses indicates that any agent which deals with endpoints for this Service should disregard any indications of ready/not-ready.',
      ),
      selector: stringMap('Route service traffic to pods with label keys and values matching this selector.'),
      sessionAffinity: str('Supports "ClientIP" and "None". Used to maintain session affinity.'),
      trafficDistribution: str(
        'TrafficDistribution offers a way to express preferences for how traffic is distributed to Service endpoints.',
      ),
      type: str(
        'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.',
      ),
    },
  },
  [`${CORE}.ServicePort`]: {
    description: "ServicePort contains information on service's port.",
    required: ['port'],
    properties: {
      appProtocol: str('The application protocol for this port.'),
      name: str('The name of this port within the service. This must be a DNS_LABEL.'),
      nodePort: int(
        'The port on each node on which this service is exposed when type is NodePort or LoadBalancer.',
      ),
      port: int('The port that will be exposed by this service.'),
      protocol: str('The IP protocol for this port. Supports "TCP", "UDP", and "SCTP". Default is TCP.'),
      targetPort: intOrString('Number or name of the port to access on the pods targeted by the service.'),
    },
  },
  [`${CORE}.PersistentVolumeClaimSpec`]: {
    description:
      'PersistentVolumeClaimSpec describes the common attributes of storage devices and allows a Source for provider-specific attributes',
    properties: {
      ...openFields('dataSource', 'dataSourceRef'),
      accessModes: strings('accessModes contains the desired access modes the volume should have.'),
      resources: ref(
        `${CORE}.ResourceRequirements`,
        'resources represents the minimum resources the volume should have.',
      ),
      selector: selector('selector is a label query over volumes to consider for binding.'),
      storageClassName: str('storageClassName is the name of the StorageClass required by the claim.'),
      volumeAttributesClassName: str(
        'volumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim.',
      ),
      volumeMode: str('volumeMode defines what type of volume is required by the claim.'),
      volumeName: str('volumeName is the binding reference to the PersistentVolume backing this claim.'),
    },
  },
};

/**
 * The top-level fields of each kind by `<apiVersion>/<kind>`; kinds not listed have metadata and
 * otherwise open fields.
 */
export const KIND_FIELDS: Readonly<
  Record<string, { description: string; properties: Record<string, Schema> }>
> = {
  'v1/ConfigMap': {
    description: 'ConfigMap holds configuration data for pods to consume.',
    properties: {
      binaryData: stringMap(
        "BinaryData contains the binary data. Each key must consist of alphanumeric characters, '-', '_' or '.'.",
      ),
      data: stringMap(
        "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'.",
      ),
      immutable: bool(
        'Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated.',
      ),
    },
  },
  'v1/Secret': {
    description:
      'Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.',
    properties: {
      data: stringMap(
        'Data contains the secret data. The serialized form of the secret data is a base64 encoded string.',
      ),
      immutable: bool('Immutable, if set to true, ensures that data stored in the Secret cannot be updated.'),
      stringData: stringMap(
        'stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience.',
      ),
      type: str('Used to facilitate programmatic handling of secret data.'),
    },
  },
  'v1/Pod': {
    description:
      'Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.',
    properties: {
      spec: ref(`${CORE}.PodSpec`, 'Specification of the desired behavior of the pod.'),
      status: status('pod'),
    },
  },
  'v1/Service': {
    description:
      'Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.',
    properties: {
      spec: ref(`${CORE}.ServiceSpec`, 'Spec defines the behavior of a service.'),
      status: status('service'),
    },
  },
  'v1/PersistentVolumeClaim': {
    description: "PersistentVolumeClaim is a user's request for and claim to a persistent volume",
    properties: {
      spec: ref(
        `${CORE}.PersistentVolumeClaimSpec`,
        'spec defines the desired characteristics of a volume requested by a pod author.',
      ),
      status: status('persistent volume claim'),
    },
  },
  'apps/v1/Deployment': {
    description: 'Deployment enables declarative updates for Pods and ReplicaSets.',
    properties: {
      spec: ref(
        'io.k8s.api.apps.v1.DeploymentSpec',
        'Specification of the desired behavior of the Deployment.',
      ),
      status: status('Deployment'),
    },
  },
  'apps/v1/ReplicaSet': {
    description: 'ReplicaSet ensures that a specified number of pod replicas are running at any given time.',
    properties: {
      spec: ref(
        'io.k8s.api.apps.v1.ReplicaSetSpec',
        'Spec defines the specification of the desired behavior of the ReplicaSet.',
      ),
      status: status('ReplicaSet'),
    },
  },
  'apps/v1/StatefulSet': {
    description: 'StatefulSet represents a set of pods with consistent identities.',
    properties: {
      spec: ref(
        'io.k8s.api.apps.v1.StatefulSetSpec',
        'Spec defines the desired identities of pods in this set.',
      ),
      status: status('StatefulSet'),
    },
  },
  'batch/v1/Job': {
    description: 'Job represents the configuration of a single job.',
    properties: {
      spec: ref('io.k8s.api.batch.v1.JobSpec', 'Specification of the desired behavior of a job.'),
      status: status('job'),
    },
  },
};

/** The fields every kind has. */
export const COMMON_FIELDS: Readonly<Record<string, Schema>> = { ...typeMeta, metadata };
