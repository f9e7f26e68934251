import zlib from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary.js';

type ZlibStream = zlib.Inflate | zlib.Deflate;

/**
 * Runs one header block through a zlib stream that lives as long as the session: SPDY compresses
 * every header block of a direction as one zlib stream (with the SPDY/3 dictionary), each block
 * ending in a sync flush. Calls must not overlap; the session queues them.
 */
function pass(stream: ZlibStream, input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    stream.once('error', onError);
    stream.write(input);
    stream.flush(zlib.constants.Z_SYNC_FLUSH, () => {
      stream.off('error', onError);
      const chunks: Buffer[] = [];
      for (
        let chunk = stream.read() as Buffer | null;
        chunk !== null;
        chunk = stream.read() as Buffer | null
      ) {
        chunks.push(chunk);
      }
      resolve(Buffer.concat(chunks));
    });
  });
}

/** The two zlib streams of one SPDY session: what the peer sent, what we send. */
export class HeaderCodec {
  readonly #inflate = zlib.createInflate({ dictionary: SPDY3_DICTIONARY });
  readonly #deflate = zlib.createDeflate({ dictionary: SPDY3_DICTIONARY });

  constructor() {
    // Errors surface through the promises of inflate()/deflate(); a late one must not go unhandled.
    this.#inflate.on('error', () => {});
    this.#deflate.on('error', () => {});
  }

  inflate(block: Buffer): Promise<Buffer> {
    return pass(this.#inflate, block);
  }

  deflate(block: Buffer): Promise<Buffer> {
    return pass(this.#deflate, block);
  }

  close(): void {
    this.#inflate.close();
    this.#deflate.close();
  }
}
