// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API
// to exist before it loads: this import must stay above the x509 import.
import 'reflect-metadata';
import { KeyObject, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';
import { badRequest } from '../kubeApiError.js';

/** A private CA and a server certificate it signed, all PEM encoded. */
export interface TlsMaterial {
  /** The CA certificate clients trust (`ca` in Node, `certificate-authority-data` in a kubeconfig). */
  caCertPem: string;
  /** The server certificate, signed by the CA. */
  certPem: string;
  /** The server certificate's private key, PKCS#8. */
  keyPem: string;
}

const KEY_ALGORITHM: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGNING_ALGORITHM: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const ALWAYS_INCLUDED_HOSTS = ['127.0.0.1', 'localhost'];
const HOUR_MS = 60 * 60 * 1000;
const YEAR_MS = 365 * 24 * HOUR_MS;
const DNS_NAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Creates a fresh CA and a server certificate for `hosts` (IP addresses become IP SANs, anything else
 * DNS SANs; `127.0.0.1` and `localhost` are always included). ECDSA P-256 keys keep this to a few
 * milliseconds. The certificates are valid from an hour ago (tolerating clock skew) for a year.
 */
export async function generateTlsMaterial(hosts: string[]): Promise<TlsMaterial> {
  const validity = validityWindow(new Date());
  const ca = await createCertificateAuthority(validity);
  const serverKeys = await generateKeyPair();
  const server = await x509.X509CertificateGenerator.create(
    {
      subject: 'CN=kubesmart-mock',
      issuer: ca.certificate.subject,
      publicKey: serverKeys.publicKey,
      signingKey: ca.keys.privateKey,
      signingAlgorithm: SIGNING_ALGORITHM,
      ...validity,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(subjectAltNames(hosts)),
        await x509.SubjectKeyIdentifierExtension.create(serverKeys.publicKey, false, webcrypto),
        await x509.AuthorityKeyIdentifierExtension.create(ca.certificate, false, webcrypto),
      ],
    },
    webcrypto,
  );
  return {
    caCertPem: ca.certificate.toString('pem'),
    certPem: server.toString('pem'),
    keyPem: privateKeyPem(serverKeys.privateKey),
  };
}

interface Validity {
  notBefore: Date;
  notAfter: Date;
}

function validityWindow(now: Date): Validity {
  return { notBefore: new Date(now.getTime() - HOUR_MS), notAfter: new Date(now.getTime() + YEAR_MS) };
}

async function createCertificateAuthority(validity: Validity) {
  const keys = await generateKeyPair();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      name: `CN=kubesmart-mock-ca-${Date.now()}`,
      keys,
      signingAlgorithm: SIGNING_ALGORITHM,
      ...validity,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, webcrypto),
      ],
    },
    webcrypto,
  );
  return { keys, certificate };
}

function generateKeyPair(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
}

function privateKeyPem(key: webcrypto.CryptoKey): string {
  return KeyObject.from(key).export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** One SAN per distinct host, IPs as IP SANs and names as DNS SANs. */
function subjectAltNames(hosts: string[]): x509.JsonGeneralName[] {
  const distinct = new Set([...ALWAYS_INCLUDED_HOSTS, ...hosts.map(normalizeHost)]);
  return [...distinct].map((host) => ({ type: isIP(host) ? 'ip' : 'dns', value: host }));
}

/** `[::1]` -> `::1`, `Example.COM` -> `example.com`; rejects anything that is neither an IP nor a DNS name. */
function normalizeHost(host: string): string {
  const unbracketed = host.trim().replace(/^\[(.*)\]$/, '$1');
  if (isIP(unbracketed)) return unbracketed;
  const name = unbracketed.toLowerCase();
  if (name.length > 253 || !DNS_NAME.test(name)) {
    throw badRequest(
      `TLS host "${host}" is neither an IP address nor a DNS name; pass hosts without scheme or port`,
    );
  }
  return name;
}
