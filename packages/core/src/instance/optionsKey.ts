const identities = new WeakMap<object, number>();
let nextIdentity = 0;

function identity(value: object): string {
  let id = identities.get(value);
  if (id === undefined) {
    id = ++nextIdentity;
    identities.set(value, id);
  }
  return `#ref${id}`;
}

const isPlain = (value: object): boolean => {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/**
 * A stable text key for an options object: plain objects by value (keys sorted), arrays by value,
 * functions and class instances (a custom balancer, a probe) by identity. Two calls with equal
 * options get the same key.
 */
export function optionsKey(value: unknown): string {
  return JSON.stringify(value ?? {}, (_key, v: unknown) => {
    if (typeof v === 'function') return identity(v);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    if (!isPlain(v)) return identity(v);
    const record = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort()
        .map((k) => [k, record[k]]),
    );
  });
}
