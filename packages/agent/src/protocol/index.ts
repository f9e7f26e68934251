export type {
  AgentFrame,
  CancelFrame,
  ChunkFrame,
  CreditFrame,
  EndFrame,
  ErrorBody,
  HelloFrame,
  HubFrame,
  PingFrame,
  PongFrame,
  RequestFrame,
  ResponseFrame,
  WelcomeFrame,
} from './frames.js';
export {
  AGENT_CONNECT_PATH,
  CloseCode,
  encodeFrame,
  isValidId,
  PROTOCOL_VERSION,
  ProtocolError,
  parseAgentFrame,
  parseHubFrame,
} from './frames.js';
export { PROTOCOL_DEFAULTS } from './limits.js';
export type {
  EventsParams,
  LogsParams,
  NamespacesParams,
  OperationName,
  OperationParams,
  PodsParams,
  ServicesParams,
} from './operations.js';
export {
  isOperation,
  OPERATIONS,
  ParameterError,
  STREAMING_OPERATIONS,
  validateParams,
} from './operations.js';
export type {
  EndpointResult,
  EventResult,
  EventsResult,
  NamespaceResult,
  NamespacesResult,
  PodDiagnosisResult,
  PodResult,
  PodsResult,
  ServiceResult,
  ServicesResult,
} from './results.js';
