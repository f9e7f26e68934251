import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { connect, type PeerCertificate } from 'node:tls';

/** `sha256:<hex>` or bare hex, any case, with or without colons, to bare lowercase hex. */
export function normalizePin(pin: string): string {
  return pin
    .replace(/^sha256:/i, '')
    .replace(/:/g, '')
    .toLowerCase();
}

function toPem(raw: Buffer): string {
  const body = raw.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${body.trimEnd()}\n-----END CERTIFICATE-----\n`;
}

/**
 * Finds the CA certificate whose SHA-256 fingerprint is `pin` in the chain the hub presents, without
 * sending anything over that connection, and returns it as PEM. The real connection then verifies the
 * hub against that CA as usual (hostname included), so the pin only bootstraps trust.
 */
export function fetchPinnedCa(host: string, port: number, pin: string, timeoutMs = 10_000): Promise<string> {
  const wanted = normalizePin(pin);
  return new Promise((resolve, reject) => {
    const socket = connect({
      host,
      port,
      ...(isIP(host) ? {} : { servername: host }),
      rejectUnauthorized: false,
    });
    const timer = setTimeout(
      () => socket.destroy(new Error(`TLS handshake with ${host}:${port} timed out`)),
      timeoutMs,
    );
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      let cert: PeerCertificate | undefined = socket.getPeerCertificate(true);
      const seen = new Set<string>();
      let found: string | undefined;
      while (cert?.raw && !seen.has(cert.fingerprint256)) {
        seen.add(cert.fingerprint256);
        const x509 = new X509Certificate(cert.raw);
        if (x509.ca && normalizePin(cert.fingerprint256) === wanted) found = toPem(cert.raw);
        cert = (cert as PeerCertificate & { issuerCertificate?: PeerCertificate }).issuerCertificate;
      }
      socket.destroy();
      if (found) resolve(found);
      else
        reject(new Error(`no CA certificate with SHA-256 ${wanted} in the chain ${host}:${port} presented`));
    });
  });
}
