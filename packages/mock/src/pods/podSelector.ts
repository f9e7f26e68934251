/** One requirement of an equality-based label selector. */
interface Requirement {
  readonly key: string;
  readonly value: string;
  readonly equal: boolean;
}

/** True when the text is a label selector rather than a pod name: names never contain `=`. */
export const isLabelSelector = (text: string): boolean => text.includes('=');

/**
 * Compiles an equality-based label selector (`app=cart`, `app==cart`, `tier!=db`, comma = AND) into
 * a predicate over labels. `!=` matches when the label is absent, as in Kubernetes.
 */
export function compileLabelSelector(text: string): (labels: Readonly<Record<string, string>>) => boolean {
  const requirements: Requirement[] = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const match = /^([^!=\s]+)\s*(==|!=|=)\s*(\S*)$/.exec(part);
      if (!match) throw new Error(`invalid label selector "${text}": cannot parse "${part}"`);
      return { key: match[1] ?? '', value: match[3] ?? '', equal: match[2] !== '!=' };
    });
  if (requirements.length === 0) throw new Error(`invalid label selector "${text}": it is empty`);
  return (labels) => requirements.every((r) => (labels[r.key] === r.value) === r.equal);
}
