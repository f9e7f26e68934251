/**
 * The grammar of the fake pods' shell: a small POSIX sh subset. A script is a list of and-or lists
 * (`;` or newline between them), each a chain of pipelines joined by `&&` / `||`, each pipeline
 * commands joined by `|`. Words keep their parts so `$VAR` and `$?` expand when the command runs.
 */

export type WordPart =
  | { readonly kind: 'text'; readonly text: string; readonly quoted: boolean }
  | { readonly kind: 'var'; readonly name: string; readonly quoted: boolean };

export type Word = readonly WordPart[];

export interface Redirect {
  /** 1 (stdout), 2 (stderr) or 0 (stdin). */
  readonly fd: 0 | 1 | 2;
  /** `&1` / `&2` duplicate a stream; otherwise a path. */
  readonly target: Word | '&1' | '&2';
  readonly append: boolean;
}

export interface SimpleCommand {
  readonly words: Word[];
  readonly redirects: Redirect[];
}

export type Pipeline = readonly SimpleCommand[];

export interface AndOrList {
  readonly first: Pipeline;
  readonly rest: readonly { readonly op: '&&' | '||'; readonly pipeline: Pipeline }[];
}

/** The script uses syntax this shell does not have; `message` says which, as sh would. */
export class ShellSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShellSyntaxError';
  }
}

type Token = { kind: 'word'; word: Word } | { kind: 'op'; op: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Cuts a script into words and operators. */
export function tokenize(script: string): Token[] {
  const tokens: Token[] = [];
  let parts: WordPart[] = [];
  let inWord = false;
  const text = (t: string, quoted: boolean): void => {
    const last = parts[parts.length - 1];
    if (last?.kind === 'text' && last.quoted === quoted)
      parts[parts.length - 1] = { ...last, text: last.text + t };
    else parts.push({ kind: 'text', text: t, quoted });
    inWord = true;
  };
  const endWord = (): void => {
    if (inWord) tokens.push({ kind: 'word', word: parts });
    parts = [];
    inWord = false;
  };
  /** Reads `$...` at i (script[i] === '$'); returns the index after it. */
  const dollar = (i: number, quoted: boolean): number => {
    const next = script[i + 1] ?? '';
    if (next === '(' || next === '`') throw new ShellSyntaxError('command substitution is not supported');
    if (next === '?' || next === '$' || next === '#' || /[0-9]/.test(next)) {
      parts.push({ kind: 'var', name: next, quoted });
      inWord = true;
      return i + 2;
    }
    if (next === '{') {
      const close = script.indexOf('}', i + 2);
      if (close < 0) throw new ShellSyntaxError('syntax error: bad substitution');
      const name = script.slice(i + 2, close);
      if (!NAME.test(name) || NAME.exec(name)?.[0] !== name) {
        throw new ShellSyntaxError(`syntax error: bad substitution \${${name}}`);
      }
      parts.push({ kind: 'var', name, quoted });
      inWord = true;
      return close + 1;
    }
    const name = NAME.exec(script.slice(i + 1))?.[0];
    if (!name) {
      text('$', quoted);
      return i + 1;
    }
    parts.push({ kind: 'var', name, quoted });
    inWord = true;
    return i + 1 + name.length;
  };

  let i = 0;
  while (i < script.length) {
    const c = script[i] ?? '';
    if (c === ' ' || c === '\t') {
      endWord();
      i += 1;
    } else if (c === '\n' || c === ';') {
      endWord();
      tokens.push({ kind: 'op', op: ';' });
      i += 1;
    } else if (c === '#' && !inWord) {
      while (i < script.length && script[i] !== '\n') i += 1;
    } else if (c === '&' || c === '|') {
      endWord();
      const double = script[i + 1] === c;
      if (c === '&' && !double) throw new ShellSyntaxError('background jobs (&) are not supported');
      tokens.push({ kind: 'op', op: double ? c + c : c });
      i += double ? 2 : 1;
    } else if (c === '>' || c === '<') {
      const fdText = inWord && parts.length === 1 && parts[0]?.kind === 'text' ? parts[0].text : undefined;
      let op = c;
      if (fdText === '1' || fdText === '2') {
        op = fdText + c;
        parts = [];
        inWord = false;
      } else endWord();
      i += 1;
      if (script[i] === '>' && c === '>') {
        op += '>';
        i += 1;
      } else if (script[i] === '&') {
        op += `&${script[i + 1] ?? ''}`;
        i += 2;
      }
      tokens.push({ kind: 'op', op });
    } else if (c === "'") {
      const close = script.indexOf("'", i + 1);
      if (close < 0) throw new ShellSyntaxError('syntax error: unterminated quoted string');
      text(script.slice(i + 1, close), true);
      i = close + 1;
    } else if (c === '"') {
      i += 1;
      inWord = true;
      while (i < script.length && script[i] !== '"') {
        const d = script[i] ?? '';
        if (d === '\\' && '$`"\\\n'.includes(script[i + 1] ?? '')) {
          text(script[i + 1] ?? '', true);
          i += 2;
        } else if (d === '$') i = dollar(i, true);
        else if (d === '`') throw new ShellSyntaxError('command substitution is not supported');
        else {
          text(d, true);
          i += 1;
        }
      }
      if (i >= script.length) throw new ShellSyntaxError('syntax error: unterminated quoted string');
      if (parts.length === 0) text('', true);
      i += 1;
    } else if (c === '\\') {
      if (script[i + 1] !== '\n') text(script[i + 1] ?? '', true);
      i += 2;
    } else if (c === '$') {
      i = dollar(i, false);
    } else if (c === '`') {
      throw new ShellSyntaxError('command substitution is not supported');
    } else if (c === '(' || c === ')' || c === '{' || c === '}') {
      if (inWord || c === '{' || c === '}') {
        text(c, false);
        i += 1;
      } else throw new ShellSyntaxError('subshells are not supported');
    } else {
      text(c, false);
      i += 1;
    }
  }
  endWord();
  return tokens;
}

/** Parses a script into and-or lists; `;` runs of empty commands are skipped. */
export function parseScript(script: string): AndOrList[] {
  const tokens = tokenize(script);
  const lists: AndOrList[] = [];
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];

  const command = (): SimpleCommand => {
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (let token = peek(); token; token = peek()) {
      if (token.kind === 'word') {
        words.push(token.word);
        pos += 1;
        continue;
      }
      const redirect = /^([012]?)(>>|>|<)(&[12])?$/.exec(token.op);
      if (!redirect) break;
      pos += 1;
      const fd = (redirect[1] ? Number(redirect[1]) : redirect[2] === '<' ? 0 : 1) as 0 | 1 | 2;
      const dup = redirect[3] as '&1' | '&2' | undefined;
      if (dup) {
        redirects.push({ fd, target: dup, append: false });
        continue;
      }
      const target = peek();
      if (target?.kind !== 'word') throw new ShellSyntaxError(`syntax error: ${redirect[2]} needs a file`);
      pos += 1;
      redirects.push({ fd, target: target.word, append: redirect[2] === '>>' });
    }
    if (words.length === 0 && redirects.length === 0) {
      const token = peek();
      throw new ShellSyntaxError(
        `syntax error: unexpected "${token?.kind === 'op' ? token.op : 'end of file'}"`,
      );
    }
    return { words, redirects };
  };
  const pipeline = (): Pipeline => {
    const commands = [command()];
    for (let token = peek(); token?.kind === 'op' && token.op === '|'; token = peek()) {
      pos += 1;
      commands.push(command());
    }
    return commands;
  };

  while (pos < tokens.length) {
    const token = peek();
    if (token?.kind === 'op' && token.op === ';') {
      pos += 1;
      continue;
    }
    const first = pipeline();
    const rest: { op: '&&' | '||'; pipeline: Pipeline }[] = [];
    for (let t = peek(); t?.kind === 'op' && (t.op === '&&' || t.op === '||'); t = peek()) {
      pos += 1;
      rest.push({ op: t.op, pipeline: pipeline() });
    }
    const after = peek();
    if (after && !(after.kind === 'op' && after.op === ';')) {
      throw new ShellSyntaxError(`syntax error: unexpected "${after.kind === 'op' ? after.op : 'word'}"`);
    }
    lists.push({ first, rest });
  }
  return lists;
}
