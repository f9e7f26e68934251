import { request } from 'node:http';

export interface HttpResult {
  status: number;
  /** Parsed JSON when the body is JSON, else the text. */
  body: unknown;
}

/**
 * GET over a fresh connection that closes with the response (`agent: false`), so the caller never
 * holds keep-alive sockets that would count as open handles or delay a server's close.
 */
export function httpGet(url: string, timeoutMs = 10_000): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { connection: 'close' }, timeout: timeoutMs });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        if (String(res.headers['content-type']).includes('json')) {
          try {
            body = JSON.parse(text);
          } catch {
            body = text;
          }
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.end();
  });
}
