import type { KubeClient } from '../cluster/kubeClient.js';
import { describeAttributes, ruleFor } from '../cluster/requestAttributes.js';
import type { ResourceRef } from '../cluster/resources.js';

/** One permission asked of the API server with a SelfSubjectAccessReview. */
export interface PermissionCheck {
  verb: string;
  group: string;
  resource: string;
  namespace: string;
  allowed: boolean;
  /** The authorizer's reason, when it gave one. */
  reason?: string;
}

export interface PermissionReport {
  /** Every permission checked is granted. */
  ok: boolean;
  /** The permissions not granted. */
  missing: PermissionCheck[];
  checks: PermissionCheck[];
  /** One line per missing permission with the RBAC rule that grants it; empty when `ok`. */
  message: string;
}

export interface CheckPermissionsOptions {
  namespace: string;
  resources: readonly ResourceRef[];
  /** @default ['get', 'list', 'watch'] */
  verbs?: readonly string[];
  signal?: AbortSignal;
}

interface AccessReview {
  status?: { allowed?: boolean; reason?: string };
}

/**
 * Asks the API server, with one SelfSubjectAccessReview per verb and resource, what this identity may
 * do, and says exactly which permission is missing. API failures reject (as `KubeSmartError`s).
 */
export async function checkPermissions(
  client: KubeClient,
  options: CheckPermissionsOptions,
): Promise<PermissionReport> {
  const verbs = options.verbs ?? ['get', 'list', 'watch'];
  const asks = options.resources.flatMap((ref) => verbs.map((verb) => ({ ref, verb })));
  const checks = await Promise.all(
    asks.map(async ({ ref, verb }): Promise<PermissionCheck> => {
      const review = await client.request<AccessReview>(
        'POST',
        '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
        {
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: {
              resourceAttributes: {
                namespace: options.namespace,
                verb,
                group: ref.group,
                resource: ref.resource,
              },
            },
          },
          signal: options.signal,
        },
      );
      const check: PermissionCheck = {
        verb,
        group: ref.group,
        resource: ref.resource,
        namespace: options.namespace,
        allowed: review.status?.allowed === true,
      };
      if (review.status?.reason) check.reason = review.status.reason;
      return check;
    }),
  );
  const missing = checks.filter((c) => !c.allowed);
  const message = missing
    .map(
      (c) => `missing permission: ${describeAttributes(c)}; add ${ruleFor(c)} to the Role (rbac/role.yaml)`,
    )
    .join('\n');
  return { ok: missing.length === 0, missing, checks, message };
}
