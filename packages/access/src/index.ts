export type { ParsedKey } from './apiKey.js';
export { digestSecret, generateKey, parseKey } from './apiKey.js';
export type { AuditRecord } from './audit.js';
export { audit } from './audit.js';
export type { FailureLimiterOptions } from './failureLimiter.js';
export { FailureLimiter } from './failureLimiter.js';
export { keyEntry } from './keyRecord.js';
export type {
  CreateKeyOptions,
  KeyInfo,
  KeyRefusal,
  KeyStoreOptions,
  KeyVerdict,
  StoredKey,
} from './keyStore.js';
export { KeyStore } from './keyStore.js';
export type { RateLimitSubject } from './rateLimitKey.js';
export { rateLimitKey, rateLimitNamespace } from './rateLimitKey.js';
export type { RateLimitStore, RateLimitStoreHandle, RateLimitStoreOptions } from './rateLimitStore.js';
export { createRateLimitStore } from './rateLimitStore.js';
export type { KeyScopes, ScopeTarget } from './scopes.js';
export { formatScopes, parseScopes, refusedScope } from './scopes.js';
export { TokenBuckets } from './tokenBuckets.js';
export type {
  AccessAttributes,
  ReviewedUser,
  ReviewOutcome,
  TokenReviewerOptions,
} from './tokenReviewer.js';
export { TokenReviewer } from './tokenReviewer.js';
