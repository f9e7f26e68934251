import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { audit, type FailureLimiter, type KeyStore } from '@kubesmart/access';
import { AGENT_CONNECT_PATH, CloseCode, type HelloFrame, parseAgentFrame } from '@kubesmart/agent/protocol';
import type { Logger } from '@kubesmart/core';
import { WebSocketServer } from 'ws';
import type { AgentRegistry } from './agentRegistry.js';
import { AgentSession, type SessionSettings } from './agentSession.js';
import type { HandshakeLimiter } from './handshakeLimiter.js';
import { refuseUpgrade } from './rawReply.js';

export interface AgentGatewayOptions {
  server: Server;
  agents: KeyStore;
  registry: AgentRegistry;
  settings: SessionSettings;
  handshakes: HandshakeLimiter;
  failures: FailureLimiter;
  logger: Logger;
  /** Time an agent has to say hello after the WebSocket opens, in ms. @default 10000 */
  helloTimeoutMs?: number;
}

const BEARER = /^bearer\s+(\S+)\s*$/i;
const ACTION = 'agent connect';

/**
 * Where agents dial in: the HTTP upgrade on {@link AGENT_CONNECT_PATH}. Refuses, before any WebSocket
 * exists, sources with too many failed authentications (429), handshakes over the admission rate (503
 * with Retry-After) and bad credentials (401); then waits for a hello that names the agent the
 * credential was registered for (else closes with REFUSED), and registers the session.
 */
export function attachAgentGateway(options: AgentGatewayOptions): { close(): void } {
  const { agents, registry, settings, logger } = options;
  const helloTimeoutMs = options.helloTimeoutMs ?? 10_000;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: settings.maxFrameBytes,
    perMessageDeflate: false,
  });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    const source = request.socket.remoteAddress ?? 'unknown';
    const path = new URL(request.url ?? '/', 'http://hub').pathname;
    if (path !== AGENT_CONNECT_PATH) {
      refuseUpgrade(socket, 404, 'NO_ROUTE', `Agents connect at ${AGENT_CONNECT_PATH}.`);
      return;
    }
    const blocked = options.failures.retryAfterSeconds(source);
    if (blocked > 0) {
      audit(logger, { decision: 'deny', reason: 'too-many-failures', source, action: ACTION });
      refuseUpgrade(
        socket,
        429,
        'TOO_MANY_FAILURES',
        `Too many failed authentications from ${source}; retry in ${blocked} s.`,
        {
          'Retry-After': String(blocked),
        },
      );
      return;
    }
    const wait = options.handshakes.take();
    if (wait > 0) {
      refuseUpgrade(
        socket,
        503,
        'HUB_BUSY',
        `The hub admits a bounded number of agent handshakes per second; retry in ${wait} s.`,
        {
          'Retry-After': String(wait),
        },
      );
      return;
    }
    const credential = BEARER.exec(request.headers.authorization ?? '')?.[1];
    const verdict = agents.verify(credential);
    if (!verdict.ok) {
      options.failures.fail(source);
      audit(logger, {
        decision: 'deny',
        reason: verdict.reason,
        principal: verdict.id,
        source,
        action: ACTION,
      });
      const message =
        verdict.reason === 'not-ready'
          ? 'The hub is still loading agent credentials; retry shortly.'
          : `The agent credential is ${verdict.reason === 'missing' ? 'missing (send "Authorization: Bearer ksa_...")' : `not valid (${verdict.reason})`}; register the agent with "kubesmart hub agents register".`;
      refuseUpgrade(
        socket,
        verdict.reason === 'not-ready' ? 503 : 401,
        'INVALID_AGENT_CREDENTIAL',
        message,
        verdict.reason === 'not-ready' ? { 'Retry-After': '1' } : {},
      );
      return;
    }
    const credentialInfo = verdict.key;
    wss.handleUpgrade(request, socket, head, (ws) => {
      const timer = setTimeout(() => ws.close(CloseCode.REFUSED, 'no hello in time'), helloTimeoutMs);
      ws.once('message', (data, isBinary) => {
        clearTimeout(timer);
        let hello: HelloFrame;
        try {
          if (isBinary) throw new Error('binary frames are not protocol');
          const frame = parseAgentFrame(data as Buffer, settings.maxFrameBytes);
          if (frame.type !== 'hello') throw new Error(`expected hello, got ${frame.type}`);
          hello = frame;
        } catch (error) {
          audit(logger, {
            decision: 'deny',
            reason: 'bad-hello',
            principal: credentialInfo.id,
            source,
            action: ACTION,
          });
          ws.close(CloseCode.PROTOCOL_ERROR, (error as Error).message.slice(0, 120));
          return;
        }
        const cluster = credentialInfo.labels?.cluster;
        const target = { agent: hello.agentId, cluster: hello.clusterId };
        if (hello.agentId !== credentialInfo.name || (cluster !== undefined && hello.clusterId !== cluster)) {
          audit(logger, {
            decision: 'deny',
            reason: 'impersonation',
            principal: credentialInfo.id,
            source,
            action: ACTION,
            target,
          });
          ws.close(
            CloseCode.REFUSED,
            `credential ${credentialInfo.id} is for agent "${credentialInfo.name}"${cluster ? ` in cluster "${cluster}"` : ''}`.slice(
              0,
              120,
            ),
          );
          return;
        }
        audit(logger, {
          decision: 'allow',
          reason: 'ok',
          principal: credentialInfo.id,
          source,
          action: ACTION,
          target,
        });
        const session = new AgentSession({
          socket: ws,
          hello,
          credentialId: credentialInfo.id,
          settings,
          logger,
          onClose: (s, code, reason) => registry.remove(s, code, reason),
        });
        registry.add(session);
      });
      ws.on('close', () => clearTimeout(timer));
      ws.on('error', () => {});
    });
  };

  options.server.on('upgrade', onUpgrade);
  // Credentials revoked or expired while connected: that session ends within a second.
  const sweep = setInterval(() => {
    for (const session of registry.all()) {
      const standing = agents.standing(session.credentialId);
      if (standing !== 'active') {
        audit(logger, {
          decision: 'deny',
          reason: standing,
          principal: session.credentialId,
          source: 'session',
          action: 'agent session',
        });
        session.close(CloseCode.REVOKED, `credential ${standing}`);
      }
    }
  }, 500);
  return {
    close: () => {
      clearInterval(sweep);
      options.server.off('upgrade', onUpgrade);
      wss.close();
    },
  };
}
