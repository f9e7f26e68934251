import {
  InvalidArgumentError,
  type KvBucketOptions,
  type ServiceBinding,
  type SmartServiceOptions,
} from '@kubesmart/core';
import { optionsKey } from '@kubesmart/core/building-blocks';
import { type FactoryProvider, Inject, Scope } from '@nestjs/common';
import { KUBE_SMART_BINDING } from './kube-smart.module-definition.js';

/**
 * Providers asked for by `@InjectService` and `@InjectKv`, collected when decorated classes are
 * defined; `KubeSmartModule.forRoot()`/`forRootAsync()` provide and export every one of them. They are
 * transient, so each is made only where it is injected: a decorated class that is not part of the app
 * starts no discovery. (Core hands out one `SmartService` per name and options, so every injection
 * site of the same token still shares one service.)
 */
export const injectedProviders = new Map<string, FactoryProvider>();

/** Core's options key: plain options by value, a custom balancer or probe by identity. */
const keyOf = (options: object | undefined): string => (options ? `:${optionsKey(options)}` : '');

/**
 * Token of a service: an alias declared in the module's `services`, else a Kubernetes Service name
 * (in the module's namespace, or `options.namespace`). The provider is transient: get it with
 * `await moduleRef.resolve(token)`.
 */
export function getServiceToken(aliasOrName: string, options?: SmartServiceOptions): string {
  const token = `KubeSmartService:${aliasOrName}${keyOf(options)}`;
  if (!injectedProviders.has(token)) {
    injectedProviders.set(token, {
      provide: token,
      scope: Scope.TRANSIENT,
      inject: [KUBE_SMART_BINDING],
      useFactory: (binding: ServiceBinding) => {
        const declared = binding.services[aliasOrName];
        if (declared && options) {
          throw new InvalidArgumentError(
            `@InjectService("${aliasOrName}", options): "${aliasOrName}" is declared in the module's services; give its options there, or inject it without options.`,
          );
        }
        return declared ?? binding.kubeSmart.service(aliasOrName, options);
      },
    });
  }
  return token;
}

/** Token of a KV bucket; the provider is transient: `await moduleRef.resolve(token)`. */
export function getKvToken(bucket: string, options?: KvBucketOptions<never>): string {
  const token = `KubeSmartKv:${bucket}${keyOf(options)}`;
  if (!injectedProviders.has(token)) {
    injectedProviders.set(token, {
      provide: token,
      scope: Scope.TRANSIENT,
      inject: [KUBE_SMART_BINDING],
      useFactory: (binding: ServiceBinding) => binding.kubeSmart.kv(bucket, options),
    });
  }
  return token;
}

/** Injects a live `SmartService`: an alias from the module's `services`, or a Service name with options. */
export const InjectService = (
  aliasOrName: string,
  options?: SmartServiceOptions,
): PropertyDecorator & ParameterDecorator => Inject(getServiceToken(aliasOrName, options));

/** Injects the KV bucket `bucket` (ConfigMaps, or a Secret with `{ backend: 'secret' }`). */
export const InjectKv = (
  bucket: string,
  options?: KvBucketOptions<never>,
): PropertyDecorator & ParameterDecorator => Inject(getKvToken(bucket, options));
