import type { ServiceBinding, ServiceHealth } from '@kubesmart/core';
import { Inject, Injectable } from '@nestjs/common';
import { KUBE_SMART_BINDING } from './kube-smart.module-definition.js';

/** A `@nestjs/terminus` indicator result: `{ [key]: { status, services } }`. */
export type KubeSmartHealthResult<K extends string = string> = Record<
  K,
  { status: 'up' | 'down'; services: Record<string, ServiceHealth> }
>;

/**
 * Health of the declared services for `@nestjs/terminus` (11 or later): up when each one has
 * discovered endpoints and one of them can take requests; down, with details per service, otherwise.
 * Health is data, never an exception: terminus turns a `down` result into a 503.
 *
 * `this.health.check([() => this.kubeSmartHealth.isHealthy('kubesmart')])`
 */
@Injectable()
export class KubeSmartHealthIndicator {
  constructor(@Inject(KUBE_SMART_BINDING) private readonly binding: ServiceBinding) {}

  async isHealthy<const K extends string = 'kubesmart'>(
    key: K = 'kubesmart' as K,
  ): Promise<KubeSmartHealthResult<K>> {
    const { status, services } = this.binding.health();
    return { [key]: { status, services } } as KubeSmartHealthResult<K>;
  }
}
