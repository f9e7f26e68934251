import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { endpointsFromSlices } from './endpointsFromSlices.js';
import type { EndpointSlice, Service } from './kubeShapes.js';
import { choosePort, endpointPortFor, missingTargetPort } from './servicePort.js';

const service: Service = {
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    ports: [
      { name: 'http', port: 80, targetPort: 'http' },
      { name: 'admin', port: 9000, targetPort: 9090 },
    ],
  },
};
const slicePorts = [
  { name: 'http', port: 8080 },
  { name: 'admin', port: 9090 },
];

describe('choosePort', () => {
  it('matches a name, a Service port number, a target port number, or defaults to the first', () => {
    expect(endpointPortFor(slicePorts, choosePort(service, 'admin'))).toBe(9090);
    expect(endpointPortFor(slicePorts, choosePort(service, 80))).toBe(8080);
    expect(endpointPortFor(slicePorts, choosePort(service, '9000'))).toBe(9090);
    expect(endpointPortFor(slicePorts, choosePort(service, 9090))).toBe(9090);
    expect(endpointPortFor(slicePorts, choosePort(service, 8080))).toBe(8080);
    expect(endpointPortFor(slicePorts, choosePort(service, undefined))).toBe(8080);
  });

  it('names the ports the Service has when the name is unknown', () => {
    expect(() => choosePort(service, 'grpc')).toThrow(InvalidArgumentError);
    expect(() => choosePort(service, 'grpc')).toThrow(/http \(80\), admin \(9000\)/);
  });

  it('refuses a number no Service port has when every target port is a number', () => {
    const numbered: Service = {
      metadata: { name: 'n', namespace: 'd' },
      spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }, { port: 9000 }] },
    };
    expect(() => choosePort(numbered, 9999)).toThrow(
      'Service "n" in namespace "d" has no port 9999; its ports are http (80), 9000. Pass one of them as `port`.',
    );
    // A named target port may resolve to the number on the pods: the endpoints decide.
    expect(choosePort(service, 9999).targetPort).toBe(9999);
    expect(missingTargetPort(service, choosePort(service, 9999), [slicePorts])?.message).toContain(
      'has no port 9999; its ports are http (80), admin (9000) (its pods serve 8080, 9090)',
    );
    expect(missingTargetPort(service, choosePort(service, 8080), [slicePorts])).toBeUndefined();
    expect(missingTargetPort(service, choosePort(service, 9999), [[], null])).toBeUndefined();
  });

  it('matches an unnamed single port', () => {
    const plain: Service = {
      metadata: { name: 'p', namespace: 'd' },
      spec: { ports: [{ port: 80, targetPort: 8080 }] },
    };
    expect(endpointPortFor([{ port: 8080 }], choosePort(plain, undefined))).toBe(8080);
  });
});

describe('endpointsFromSlices', () => {
  const slice = (endpoints: EndpointSlice['endpoints']): EndpointSlice => ({
    metadata: { name: 's', namespace: 'shop' },
    addressType: 'IPv4',
    ports: slicePorts,
    endpoints,
  });

  it('skips not-ready and terminating endpoints, takes pod names from targetRef and topology from the slice', () => {
    const endpoints = endpointsFromSlices(
      [
        slice([
          {
            addresses: ['10.0.0.2'],
            conditions: { ready: true },
            targetRef: { kind: 'Pod', name: 'b' },
            zone: 'z1',
            nodeName: 'n1',
          },
          { addresses: ['10.0.0.1'], conditions: {}, targetRef: { kind: 'Pod', name: 'a' } },
          {
            addresses: ['10.0.0.3'],
            conditions: { ready: false, serving: true },
            targetRef: { kind: 'Pod', name: 'c' },
          },
          {
            addresses: ['10.0.0.4'],
            conditions: { ready: true, terminating: true },
            targetRef: { kind: 'Pod', name: 'd' },
          },
        ]),
      ],
      choosePort(service, 'http'),
    );
    expect(endpoints.map((e) => [e.id, e.pod, e.zone, e.node])).toEqual([
      ['10.0.0.2:8080', 'b', 'z1', 'n1'],
      ['10.0.0.1:8080', 'a', undefined, undefined],
    ]);
  });
});
