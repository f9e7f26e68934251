// The kubesmart mesh dashboard: polls /mesh/status every second and renders services, pods and events.
// Plain browser JavaScript, no build step and no third-party code.

const history = new Map(); // service -> last 60 request rates, for the sparklines
let faults = {}; // pod -> the fault a driver (the demo) gave it, from status.scenario
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const ms = (v) =>
  v === undefined || v === null ? '-' : v < 10 ? `${v.toFixed(2)} ms` : `${Math.round(v)} ms`;
const rate = (v) => `${(v || 0).toFixed(1)}/s`;
const badge = (text, cls) => el('span', { class: `badge ${cls || text}` }, text);

function sparkline(name, value) {
  const values = history.get(name) || [];
  values.push(value);
  if (values.length > 60) values.shift();
  history.set(name, values);
  const canvas = el('canvas', {
    class: 'spark',
    width: '160',
    height: '32',
    'aria-label': `${name} request rate`,
  });
  const g = canvas.getContext('2d');
  const max = Math.max(1, ...values);
  g.strokeStyle = '#58a6ff';
  g.lineWidth = 1.5;
  g.beginPath();
  values.forEach((v, i) => {
    const x = (i / 59) * 159;
    const y = 31 - (v / max) * 29;
    if (i === 0) g.moveTo(x, y);
    else g.lineTo(x, y);
  });
  g.stroke();
  return canvas;
}

function podRow(e) {
  const reason =
    e.state === 'ejected' && e.ejectedForMs !== undefined ? ` ${Math.ceil(e.ejectedForMs / 1000)}s` : '';
  return el(
    'tr',
    { class: e.available ? 'in' : 'out', 'data-pod': e.pod },
    el('td', {}, e.pod, faults[e.pod] ? el('span', { class: 'badge fault' }, faults[e.pod]) : null),
    el('td', {}, e.url.replace('http://', '')),
    el('td', {}, badge(`${e.state}${reason}`, e.state)),
    el('td', {}, badge(e.health, e.health)),
    el('td', {}, badge(e.circuit, e.circuit)),
    el('td', { class: 'num' }, e.inflight),
    el('td', { class: 'num' }, rate(e.rate)),
    el('td', { class: 'num' }, ms(e.p50Ms)),
    el('td', { class: 'num' }, ms(e.p99Ms)),
    el('td', { class: 'num' }, e.requests),
    el('td', { class: 'num' }, e.errors + e.failures > 0 ? `${e.errors} / ${e.failures}` : '0'),
    el('td', { class: 'num' }, e.ejections),
  );
}

async function post(path) {
  const res = await fetch(path, { method: 'POST' });
  return res.json();
}

function serviceCard(s) {
  const c = s.counters;
  const head = el(
    'div',
    { class: 'service-head' },
    el(
      'div',
      { class: 'title-row' },
      el('h2', {}, s.name),
      badge(s.health),
      el('span', { class: 'kv' }, 'path ', el('b', {}, s.path)),
      el('span', { class: 'kv' }, 'Service ', el('b', {}, `${s.namespace}/${s.service}`)),
      el('span', { class: 'kv' }, 'balancer ', el('b', {}, s.balancer)),
      el('span', { class: 'spacer' }),
      sparkline(s.name, s.rate),
      el(
        'button',
        {
          type: 'button',
          title: `POST /mesh/reset/${s.name}`,
          onclick: () => post(`/mesh/reset/${encodeURIComponent(s.name)}`),
        },
        'reset',
      ),
    ),
    el(
      'div',
      { class: 'stats-row' },
      el('span', { class: 'kv' }, 'pods ', el('b', {}, `${s.available}/${s.total}`)),
      el('span', { class: 'kv' }, 'rate ', el('b', {}, rate(s.rate))),
      el('span', { class: 'kv' }, 'p50 ', el('b', {}, ms(s.p50Ms))),
      el('span', { class: 'kv' }, 'p99 ', el('b', {}, ms(s.p99Ms))),
      el('span', { class: 'kv' }, 'errors ', el('b', {}, c.errors)),
      el('span', { class: 'kv' }, 'retried ', el('b', {}, c.retried)),
      el('span', { class: 'kv' }, 'failovers ', el('b', {}, c.failovers)),
      el('span', { class: 'kv' }, 'ejections ', el('b', {}, c.ejections)),
      el(
        'span',
        { class: 'kv' },
        'breakers ',
        el(
          'b',
          {},
          `${s.breakers.closed} closed · ${s.breakers['half-open']} half-open · ${s.breakers.open} open`,
        ),
      ),
    ),
  );
  const rows = s.endpoints.length
    ? s.endpoints.map(podRow)
    : [
        el(
          'tr',
          {},
          el('td', { colspan: '12', class: 'empty' }, 'no endpoints: no ready pods behind this Service'),
        ),
      ];
  const table = el(
    'table',
    {},
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...['pod', 'address', 'state', 'health', 'breaker'].map((h) => el('th', {}, h)),
        ...['in flight', 'rate', 'p50', 'p99', 'requests', 'errors / failures', 'ejections'].map((h) =>
          el('th', { class: 'num' }, h),
        ),
      ),
    ),
    el('tbody', {}, rows),
  );
  return el('article', { class: 'service', 'data-service': s.name }, head, table);
}

/** The demo's current step, each pod's fault, and the summary once the run is over. */
function renderScenario(scenario) {
  const section = $('scenario');
  section.hidden = !scenario;
  if (!scenario) return;
  const step = scenario.step;
  const faulted = Object.entries(scenario.faults);
  const parts = [
    el(
      'div',
      { class: 'title-row' },
      el(
        'h2',
        {},
        scenario.finished ? 'run finished' : step ? `step ${step.index + 1}/${step.count}` : 'scenario',
      ),
      step ? el('b', { class: 'step-title' }, step.title) : null,
      ...faulted.map(([pod, fault]) => el('span', { class: 'badge fault' }, `${pod}: ${fault}`)),
    ),
    step && !scenario.finished ? el('p', { class: 'explain' }, step.explain) : null,
    scenario.summary ? el('pre', { class: 'summary' }, scenario.summary.join('\n')) : null,
  ];
  section.replaceChildren(...parts.filter((part) => part !== null));
}

function render(status) {
  faults = status.scenario ? status.scenario.faults : {};
  renderScenario(status.scenario);
  const services = Object.values(status.services);
  const sum = (f) => services.reduce((n, s) => n + f(s), 0);
  $('totals').replaceChildren(
    ...[
      ['services', services.length],
      ['pods serving', `${sum((s) => s.available)}/${sum((s) => s.total)}`],
      ['requests/s', sum((s) => s.rate).toFixed(1)],
      ['requests', sum((s) => s.counters.requests)],
      ['client errors', sum((s) => s.counters.errors)],
      ['failovers', sum((s) => s.counters.failovers)],
      ['ejections', sum((s) => s.counters.ejections)],
      ['breakers opened', sum((s) => s.counters.breakerOpens)],
    ].map(([label, value]) => el('div', { class: 'stat' }, el('b', {}, value), el('small', {}, label))),
  );
  $('services').replaceChildren(...services.map(serviceCard));
  const events = status.events.slice().reverse();
  $('events').replaceChildren(
    ...(events.length
      ? events.map((e) =>
          el(
            'li',
            { class: `k-${e.kind}` },
            `${new Date(e.at).toLocaleTimeString()}  ${e.route}/${e.pod}  ${e.kind}: ${e.detail}`,
          ),
        )
      : [el('li', { class: 'empty' }, 'nothing yet')]),
  );
  $('updated').textContent =
    `updated ${new Date(status.time).toLocaleTimeString()} · up ${status.uptimeSeconds}s`;
}

async function tick() {
  try {
    const res = await fetch('/mesh/status', { cache: 'no-store' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    render(await res.json());
    $('conn').className = 'badge healthy';
    $('conn').textContent = 'live';
  } catch (error) {
    $('conn').className = 'badge down';
    $('conn').textContent = `offline (${error.message})`;
  } finally {
    setTimeout(tick, 1000);
  }
}

$('check').addEventListener('click', async () => {
  const result = await post('/health-check');
  const lines = Object.entries(result.services).flatMap(([name, pods]) =>
    pods.map((p) => `${name}/${p.pod}: ${p.status}`),
  );
  $('check').title = lines.join('\n');
  $('check').textContent = `checked ${lines.length} pods`;
});

tick();
