import type { MeshEvent, MeshStatus, ServiceView } from '@kubesmart/gateway';
import type { TrafficTotals } from './trafficDriver.js';

/** What the live view shows at one moment. */
export interface ViewFrame {
  readonly header: string;
  readonly stepIndex: number;
  readonly steps: number;
  readonly stepTitle: string;
  readonly stepExplain: string;
  /** 0-1 through the whole scenario. */
  readonly progress: number;
  readonly elapsedSeconds: number;
  readonly status: MeshStatus;
  readonly traffic: TrafficTotals;
  readonly footer: readonly string[];
}

const ESC = '\u001b[';
const color = (code: string, text: string, on: boolean): string =>
  on ? `${ESC}${code}m${text}${ESC}0m` : text;
const pad = (text: string | number, width: number): string => String(text).padEnd(width).slice(0, width);
const lpad = (text: string | number, width: number): string => String(text).padStart(width);
const ms = (v: number | undefined): string =>
  v === undefined ? '-' : v < 10 ? `${v.toFixed(1)}ms` : `${Math.round(v)}ms`;

function stateColor(state: string): string {
  if (state === 'serving' || state === 'healthy' || state === 'closed') return '32';
  if (state === 'half-open' || state === 'degraded' || state === 'unknown') return '33';
  return '31';
}

export function progressBar(fraction: number, width = 30): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${lpad(Math.round(fraction * 100), 3)}%`;
}

export function totalsLine(status: MeshStatus, traffic: TrafficTotals): string {
  const services = Object.values(status.services);
  const failovers = services.reduce((n, s) => n + s.counters.failovers, 0);
  const ejections = services.reduce((n, s) => n + s.counters.ejections + s.counters.breakerOpens, 0);
  return `requests ${traffic.requests}  client errors ${traffic.clientErrors} (idempotent ${traffic.idempotentClientErrors})  retried ${traffic.retried}  failovers ${failovers}  ejections ${ejections}`;
}

export function serviceLine(s: ServiceView): string {
  return `${pad(s.name, 8)} ${s.available}/${s.total} serving  ${lpad(s.rate.toFixed(1), 5)} req/s  p50 ${lpad(ms(s.p50Ms), 6)}  p99 ${lpad(ms(s.p99Ms), 6)}  errors ${s.counters.errors}  breakers open ${s.breakers.open}`;
}

export function eventLine(e: MeshEvent): string {
  return `${new Date(e.at).toISOString().slice(11, 19)} ${e.route}/${e.pod} ${e.kind}: ${e.detail}`;
}

/** The full-screen view for a terminal, redrawn in place. */
export function renderFrame(frame: ViewFrame, colors: boolean): string {
  const out: string[] = [];
  const c = (code: string, text: string): string => color(code, text, colors);
  out.push(c('1', frame.header));
  out.push(
    `${progressBar(frame.progress)}  step ${frame.stepIndex + 1}/${frame.steps}: ${c('1;36', frame.stepTitle)}  ${frame.elapsedSeconds.toFixed(1)} s`,
  );
  for (const line of frame.stepExplain.split('\n')) out.push(`  ${c('2', line)}`);
  out.push('');
  out.push(totalsLine(frame.status, frame.traffic));
  for (const s of Object.values(frame.status.services)) {
    out.push('');
    out.push(
      `${c('1', pad(s.name, 8))} ${c(stateColor(s.health), pad(s.health, 8))} ${serviceLine(s).slice(9)}`,
    );
    out.push(
      c(
        '2',
        `  ${pad('pod', 26)} ${pad('state', 13)} ${pad('health', 10)} ${pad('breaker', 10)} ${lpad('req/s', 6)} ${lpad('p50', 7)} ${lpad('p99', 7)} ${lpad('requests', 9)} ${lpad('in flight', 9)}`,
      ),
    );
    for (const e of s.endpoints) {
      out.push(
        `  ${pad(e.pod, 26)} ${c(stateColor(e.state), pad(e.state, 13))} ${c(stateColor(e.health), pad(e.health, 10))} ${c(stateColor(e.circuit), pad(e.circuit, 10))} ${lpad(e.rate.toFixed(1), 6)} ${lpad(ms(e.p50Ms), 7)} ${lpad(ms(e.p99Ms), 7)} ${lpad(e.requests, 9)} ${lpad(e.inflight, 9)}`,
      );
    }
  }
  out.push('');
  out.push(c('1', 'mesh events'));
  const events = frame.status.events.slice(-6);
  if (events.length === 0) out.push(c('2', '  none yet'));
  for (const e of events) out.push(`  ${eventLine(e)}`);
  out.push('');
  for (const line of frame.footer) out.push(c('2', line));
  return `${ESC}H${out.map((line) => `${line}${ESC}K`).join('\n')}\n${ESC}J`;
}

export const clearScreen = `${ESC}2J${ESC}H`;
export const hideCursor = `${ESC}?25l`;
export const showCursor = `${ESC}?25h`;
