// Alerts: what fired (value against threshold, since when), each alert's state changes and webhook
// deliveries, the pipeline run it triggered, acknowledgement, and the rules that raise them.
import { html, useState } from '../vendor/htm-preact.mjs';
import { Page, Loaded, Empty, Badge, Table, KeyValues, Tabs, Confirm, ErrorBox } from '../lib/ui.js';
import { get, post, useApi, KEEL } from '../lib/api.js';
import { href, setQuery } from '../lib/router.js';
import { num, time, ago } from '../lib/format.js';

const enc = encodeURIComponent;

export default function Alerts({ params, query }) {
  return params.id ? html`<${AlertPage} id=${params.id} />` : html`<${AlertList} query=${query} />`;
}

const stateBadge = (a) => html`<${Badge} value=${a.state} />${a.acknowledged_at ? html` <${Badge} value="acknowledged" kind="neutral" />` : ''}`;
const compare = (a, dir) => `${num(a.value)} ${dir === 'above' ? '≥' : dir === 'below' ? '≤' : 'vs'} ${num(a.threshold)}`;

function AlertList({ query }) {
  const tab = query.get('tab') || 'alerts';
  return html`
    <${Page} title="Alerts" subtitle="Rules watch an endpoint's monitoring figures; an alert opens when a window crosses a threshold.">
      <${Tabs} tabs=${[['alerts', 'Alerts'], ['rules', 'Rules']]} current=${tab} onChange=${t => setQuery({ tab: t === 'alerts' ? '' : t })} />
      ${tab === 'rules' ? html`<${RuleList} query=${query} />` : html`<${AlertTable} query=${query} />`}
    <//>`;
}

function AlertTable({ query }) {
  const state = query.get('state') || '';
  const endpoint = query.get('endpoint') || '';
  const data = useApi(async (signal) => {
    const [alerts, rules] = await Promise.all([
      get(`${KEEL}/alerts`, { state, endpoint, max_results: 1000 }, { signal }),
      get(`${KEEL}/alerts/rules`, undefined, { signal }).catch(e => (e.name === 'AbortError' ? Promise.reject(e) : { rules: [] })),
    ]);
    return { alerts: alerts.alerts || [], rules: Object.fromEntries((rules.rules || []).map(r => [r.name, r])) };
  }, [state, endpoint], { refreshMs: 10_000 });
  const filter = (query.get('q') || '').toLowerCase();
  return html`
    <div class="toolbar">
      <input type="search" data-search placeholder="Filter by rule, endpoint or metric" aria-label="Filter alerts" value=${query.get('q') || ''} onInput=${e => setQuery({ q: e.target.value })} />
      <select aria-label="State" value=${state} onChange=${e => setQuery({ state: e.target.value })}>
        <option value="">Every state</option>
        <option value="open">Open (pending or firing)</option>
        <option value="firing">Firing</option>
        <option value="pending">Pending</option>
        <option value="resolved">Resolved</option>
      </select>
      ${endpoint && html`<span>Endpoint <strong>${endpoint}</strong> <button type="button" onClick=${() => setQuery({ endpoint: '' })} aria-label="Show every endpoint">×</button></span>`}
    </div>
    <${Loaded} state=${data}>${(d) => {
      if (d.alerts.length === 0 && !state && !endpoint) {
        return html`<${Empty} title="No alert has fired" hint="Alerts come from rules on an endpoint's monitoring figures (accuracy, drift share, error rate, latency). Apply rules from a YAML file:"
          command="keel alerts apply rules.yaml" />`;
      }
      const rows = d.alerts.filter(a => !filter || [a.rule, a.endpoint, a.metric].some(s => (s || '').toLowerCase().includes(filter)));
      return html`
        <${Table} rows=${rows} rowKey=${a => a.id} rowHref=${a => href('/alerts/' + a.id)} empty="No alert matches." columns=${[
          { key: 'id', label: 'Alert', render: a => `#${a.id}` },
          { key: 'state', label: 'State', render: stateBadge },
          { key: 'severity', label: 'Severity', render: a => html`<${Badge} value=${a.severity} kind=${a.severity === 'critical' ? 'bad' : 'warn'} />` },
          { key: 'rule', label: 'Rule' },
          { key: 'endpoint', label: 'Endpoint', render: a => html`<a href=${href('/monitoring/' + enc(a.endpoint))}>${a.endpoint}</a>` },
          { key: 'metric', label: 'Metric', render: a => `${a.metric} over ${a.window}` },
          { key: 'value', label: 'Value vs threshold', align: 'right', render: a => compare(a, (d.rules[a.rule] || {}).direction) },
          { key: 'opened_at', label: 'Opened', render: a => html`<span title=${time(a.opened_at)}>${ago(a.opened_at)}</span>` },
        ]} />`;
    }}<//>`;
}

function RuleList({ query }) {
  const data = useApi(signal => get(`${KEEL}/alerts/rules`, { endpoint: query.get('endpoint') || '' }, { signal }), [query.get('endpoint')]);
  return html`
    <${Loaded} state=${data}>${(d) => (d.rules || []).length === 0
      ? html`<${Empty} title="No alert rule" hint="A rule names an endpoint, a metric, a window and warning/critical thresholds. Apply rules from a YAML file:" command="keel alerts apply rules.yaml" />`
      : html`
        <${Table} rows=${d.rules} rowKey=${r => r.name} columns=${[
          { key: 'name', label: 'Rule', render: r => html`<strong>${r.name}</strong>${r.enabled ? '' : html` <${Badge} value="disabled" kind="neutral" />`}` },
          { key: 'endpoint', label: 'Endpoint', render: r => html`<a href=${href('/monitoring/' + enc(r.endpoint))}>${r.endpoint}</a>` },
          { key: 'metric', label: 'Fires when', render: r => `${r.metric} over ${r.window} ${r.direction === 'below' ? '≤' : '≥'} ${num(r.warning)} (warning)${r.critical !== undefined && r.critical !== null ? `, ${num(r.critical)} (critical)` : ''}` },
          { key: 'for', label: 'For', align: 'right', title: 'Consecutive windows before it fires', render: r => `${r.for} window${r.for === 1 ? '' : 's'}` },
          { key: 'min_samples', label: 'Min samples', align: 'right', render: r => num(r.min_samples) },
          { key: 'webhooks', label: 'Webhooks', align: 'right', render: r => num((r.webhooks || []).length) },
          { key: 'updated_at', label: 'Updated', render: r => `${ago(r.updated_at)}${r.updated_by ? ' by ' + r.updated_by : ''}` },
        ]} />`}<//>`;
}

async function loadAlert(id, signal) {
  const details = await get(`${KEEL}/alerts/${enc(id)}`, undefined, { signal });
  const a = details.alert;
  const optional = (p) => p.catch(e => (e.name === 'AbortError' ? Promise.reject(e) : { failed: e }));
  const [rule, runs] = await Promise.all([
    optional(get(`${KEEL}/alerts/rules/${enc(a.rule)}`, undefined, { signal })),
    optional(get(`${KEEL}/pipelines/runs`, { max_results: 1000 }, { signal })),
  ]);
  const triggered = (runs.runs || []).filter(r => r.trigger_kind === 'alert' && alertIdOf(r) === String(a.id));
  return { ...details, rule: rule.rule || null, triggered, runsFailed: runs.failed };
}

function alertIdOf(run) {
  let d = run.trigger_detail;
  if (typeof d === 'string') { try { d = JSON.parse(d); } catch (e) { return null; } }
  return d && d.alert_id !== undefined && d.alert_id !== null ? String(d.alert_id) : null;
}

function AlertPage({ id }) {
  const state = useApi(signal => loadAlert(id, signal), [id], { refreshMs: 10_000 });
  const [acking, setAcking] = useState(false);
  const [by, setBy] = useState('');
  const a = state.data && state.data.alert;
  return html`
    <${Page} title=${a ? `Alert #${a.id}: ${a.rule}` : `Alert #${id}`} crumbs=${[['Alerts', href('/alerts')]]}
      actions=${a && html`<button type="button" class="primary" onClick=${() => setAcking(true)} disabled=${!!a.acknowledged_at} title=${a.acknowledged_at ? 'Already acknowledged' : ''}>${a.acknowledged_at ? 'Acknowledged' : 'Acknowledge'}</button>`}>
      <${Loaded} state=${state}>${(d) => html`<div class="stack">
        <div class="grid">
          <div class="card">
            <h2>${stateBadge(d.alert)} <${Badge} value=${d.alert.severity} kind=${d.alert.severity === 'critical' ? 'bad' : 'warn'} /></h2>
            <${KeyValues} items=${[
              ['Endpoint', html`<a href=${href('/endpoints/' + enc(d.alert.endpoint))}>${d.alert.endpoint}</a> · <a href=${href('/monitoring/' + enc(d.alert.endpoint))}>monitoring</a>`],
              ['Metric', `${d.alert.metric} over ${d.alert.window}`],
              ['Value vs threshold', compare(d.alert, d.rule && d.rule.direction)],
              ['Window', `${time(d.alert.window_start)} → ${time(d.alert.window_end)}`],
              ['Opened', `${time(d.alert.opened_at)} (${ago(d.alert.opened_at)})`],
              ['Firing since', d.alert.firing_at ? time(d.alert.firing_at) : null],
              ['Resolved', d.alert.resolved_at ? time(d.alert.resolved_at) : null],
              ['Acknowledged', d.alert.acknowledged_at ? `by ${d.alert.acknowledged_by || 'anonymous'} at ${time(d.alert.acknowledged_at)}` : 'not yet'],
            ]} />
          </div>
          <div class="card">
            <h2>Rule</h2>
            ${d.rule ? html`<${KeyValues} items=${[
              ['Name', d.rule.name],
              ['Fires when', `${d.rule.metric} ${d.rule.direction === 'below' ? '≤' : '≥'} ${num(d.rule.warning)} (warning)${d.rule.critical !== undefined && d.rule.critical !== null ? `, ${num(d.rule.critical)} (critical)` : ''}`],
              ['For', `${d.rule.for} consecutive window${d.rule.for === 1 ? '' : 's'} of ${d.rule.window}, at least ${num(d.rule.min_samples)} samples`],
              ['Webhooks', (d.rule.webhooks || []).length ? (d.rule.webhooks || []).map(w => w.url || w).join(', ') : 'none'],
              ['Enabled', d.rule.enabled ? 'yes' : 'no'],
            ]} />` : html`<p class="muted">The rule <strong>${d.alert.rule}</strong> no longer exists.</p>`}
          </div>
          <div class="card" data-testid="triggered-runs">
            <h2>Pipeline runs it triggered</h2>
            ${d.runsFailed ? html`<${ErrorBox} error=${d.runsFailed} title="Could not read the pipeline runs" />`
              : d.triggered.length === 0 ? html`<p class="muted">None: no pipeline trigger listens to this rule.</p>`
                : html`<ul>${d.triggered.map(r => html`<li><a href=${href('/pipelines/runs/' + r.run_id)}>${r.pipeline} #${r.run_id}</a> <${Badge} value=${r.state} /> <span class="muted">${ago(r.created_at)}</span></li>`)}</ul>`}
          </div>
        </div>
        <div class="card">
          <h2>State changes</h2>
          <${Table} rows=${d.events || []} rowKey=${e => e.sequence} empty="No event." columns=${[
            { key: 'sequence', label: '#', align: 'right' },
            { key: 'time', label: 'When', render: e => time(e.time) },
            { key: 'to', label: 'To', render: e => html`<${Badge} value=${e.to} />` },
            { key: 'severity', label: 'Severity' },
            { key: 'value', label: 'Value / threshold', align: 'right', render: e => `${num(e.value)} / ${num(e.threshold)}` },
            { key: 'reason', label: 'Why', render: e => html`<span style="white-space:normal">${e.reason || ''}</span>` },
          ]} />
        </div>
        <div class="card">
          <h2>Webhook deliveries</h2>
          ${(d.deliveries || []).length === 0 ? html`<p class="muted">No delivery: ${d.rule && (d.rule.webhooks || []).length ? 'none attempted yet.' : 'the rule has no webhook.'}</p>` : html`
            <${Table} rows=${d.deliveries} rowKey=${(x, i) => i} columns=${[
              { key: 'time', label: 'When', render: x => time(x.time) },
              { key: 'event_sequence', label: 'Event', align: 'right' },
              { key: 'url', label: 'URL', render: x => html`<span class="mono">${x.url}</span>` },
              { key: 'attempt', label: 'Attempt', align: 'right' },
              { key: 'status_code', label: 'Status', align: 'right', render: x => x.status_code ?? '—' },
              { key: 'outcome', label: 'Outcome', render: x => html`<${Badge} value=${x.outcome} />` },
              { key: 'error', label: 'Error', render: x => x.error || '' },
            ]} />`}
        </div>
        <${Confirm} open=${acking} title=${`Acknowledge alert #${d.alert.id}`} confirmLabel="Acknowledge" danger=${false}
          body=${html`<p>Records who saw the alert and when. The alert stays <strong>${d.alert.state}</strong>: it resolves on its own when the metric comes back; no webhook is sent.</p>
            <label>Acknowledged by<input value=${by} onInput=${e => setBy(e.target.value)} placeholder="your name (else the X-Keel-User header, else anonymous)" /></label>`}
          onConfirm=${async () => { await post(`${KEEL}/alerts/${enc(d.alert.id)}/ack`, by ? { by } : {}); setAcking(false); state.reload(); }}
          onCancel=${() => setAcking(false)} />
      </div>`}<//>
    <//>`;
}
