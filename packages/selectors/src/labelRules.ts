/** The API server's rules for label keys and values (`IsQualifiedName`, `IsValidLabelValue`), with its messages. */

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_KEY_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function maxLength(n: number): string {
  return `must be no more than ${n} characters`;
}

export function regexError(message: string, regex: RegExp, ...examples: string[]): string {
  const pattern = regex.source.slice(1, -1);
  return `${message} (e.g. ${examples.map((e) => `'${e}', `).join('or ')}regex used for validation is '${pattern}')`;
}

export function dns1123SubdomainErrors(s: string): string[] {
  const errors = s.length > 253 ? [maxLength(253)] : [];
  if (!DNS1123_SUBDOMAIN.test(s)) {
    errors.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        DNS1123_SUBDOMAIN,
        'example.com',
      ),
    );
  }
  return errors;
}

const LABEL_KEY_RULE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** kube-apiserver's `IsQualifiedName`: an optional DNS-subdomain prefix and `/`, then a name of <= 63. */
export function labelKeyErrors(key: string): string[] {
  const parts = key.split('/');
  if (parts.length > 2) {
    return [
      `a qualified name ${regexError(LABEL_KEY_RULE, LABEL_KEY_NAME, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  const name = parts.at(-1) ?? '';
  const errors = parts.length === 2 ? prefixErrors(parts[0] ?? '') : [];
  if (name === '') errors.push('name part must be non-empty');
  else if (name.length > 63) errors.push(`name part ${maxLength(63)}`);
  if (!LABEL_KEY_NAME.test(name)) {
    errors.push(`name part ${regexError(LABEL_KEY_RULE, LABEL_KEY_NAME, 'MyName', 'my.name', '123-abc')}`);
  }
  return errors;
}

function prefixErrors(prefix: string): string[] {
  if (prefix === '') return ['prefix part must be non-empty'];
  return dns1123SubdomainErrors(prefix).map((e) => `prefix part ${e}`);
}

/** kube-apiserver's `IsValidLabelValue`: empty, or <= 63 characters with alphanumerics at both ends. */
export function labelValueErrors(value: string): string[] {
  const errors = value.length > 63 ? [maxLength(63)] : [];
  if (!LABEL_VALUE.test(value)) {
    errors.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        LABEL_VALUE,
        'MyValue',
        'my_value',
        '12345',
      ),
    );
  }
  return errors;
}
