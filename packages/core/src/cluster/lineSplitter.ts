import { StringDecoder } from 'node:string_decoder';

/**
 * Cuts a byte stream into lines of text, whatever the chunk boundaries (a line or a UTF-8 character
 * split across chunks). Blank lines, the keep-alives of watch streams, are dropped.
 */
export class LineSplitter {
  readonly #decoder = new StringDecoder('utf8');
  #pending = '';

  /** Returns the complete, non-blank lines the chunk finished. */
  push(chunk: Buffer | string): string[] {
    this.#pending += typeof chunk === 'string' ? chunk : this.#decoder.write(chunk);
    const parts = this.#pending.split('\n');
    this.#pending = parts.pop() ?? '';
    return parts.filter((line) => line.trim() !== '');
  }

  /** Returns the last line when the stream ended without a newline. */
  end(): string[] {
    const rest = (this.#pending + this.#decoder.end()).trim();
    this.#pending = '';
    return rest === '' ? [] : [rest];
  }
}
