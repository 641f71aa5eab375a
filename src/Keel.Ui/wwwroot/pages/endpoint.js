// One endpoint: how traffic is split (a bar, not a table), live figures per version refreshed
// every few seconds, the rollout timeline with what each step measured, where the served models
// came from, the audit trail, and the rollout actions, each saying what happens to traffic.
import { html, useEffect, useRef, useState } from '../vendor/htm-preact.mjs';
import { Page, Loaded, Badge, Table, KeyValues, Confirm } from '../lib/ui.js';
import { get, post, useApi, KEEL, MLFLOW } from '../lib/api.js';
import { href } from '../lib/router.js';
import { num, pct, time, ago, duration } from '../lib/format.js';
import { LineChart } from '../lib/chart.js';
import { TrafficBar, ModelLink, modelVersionOf, parseModelUri, roleName } from '../lib/serving.js';

const enc = encodeURIComponent;
const ms = (v) => (v === null || v === undefined ? '—' : `${num(v, 3)} ms`);

export default function EndpointPage({ params }) {
  const name = params.name;
  const state = useApi(signal => get(`${KEEL}/endpoints/${enc(name)}`, undefined, { signal }), [name], { refreshMs: 3000 });
  const events = useApi(signal => get(`${KEEL}/endpoints/${enc(name)}/events`, undefined, { signal }), [name], { refreshMs: 15_000 });
  const [action, setAction] = useState(null);
  const endpoint = state.data && state.data.endpoint;
  const open = (kind) => setAction(kind);
  const done = () => { setAction(null); state.reload(); events.reload(); };
  return html`
    <${Page} title=${name} crumbs=${[['Endpoints', href('/endpoints')]]}
      subtitle=${endpoint ? html`<${Badge} value=${endpoint.environment} kind="neutral" /> mode <strong>${endpoint.mode}</strong> · revision ${endpoint.version} · changed ${ago(endpoint.updated_at)}` : null}
      actions=${endpoint && html`
        <a href=${href('/monitoring/' + enc(name))}>Monitoring</a>
        <button type="button" class="primary" onClick=${() => open('rollout')}>Start rollout</button>
        <button type="button" onClick=${() => open('promote')}>Promote</button>
        <button type="button" onClick=${() => open('abort')}>Abort</button>
        <button type="button" onClick=${() => open('rollback')}>Roll back</button>`}>
      <${Loaded} state=${state}>${(d) => html`<div class="stack">
        <div class="card">
          <h2>Traffic split</h2>
          <${TrafficBar} routes=${d.endpoint.routes} />
        </div>
        <${LiveFigures} live=${d.live || []} />
        <${RolloutCard} endpoint=${d.endpoint} />
        <${Origins} endpoint=${d.endpoint} />
        <${Events} state=${events} />
        <${Actions} kind=${action} endpoint=${d.endpoint} onDone=${done} onCancel=${() => setAction(null)} />
      </div>`}<//>
    <//>`;
}

/** Requests per second per version, from the counters this page has read so far (last 5 minutes). */
function useRates(live) {
  const samples = useRef([]);
  const [series, setSeries] = useState([]);
  useEffect(() => {
    const now = Date.now();
    const s = samples.current;
    s.push({ t: now, counts: Object.fromEntries(live.map(r => [r.model_uri, r.requests])) });
    while (s.length > 2 && now - s[0].t > 5 * 60e3) s.shift();
    if (s.length < 2) return;
    const uris = live.filter(r => r.weight > 0 || r.requests > 0).map(r => r.model_uri);
    setSeries(uris.map(uri => {
      const x = [], y = [];
      for (let i = 1; i < s.length; i++) {
        const dt = (s[i].t - s[i - 1].t) / 1000;
        if (dt <= 0 || s[i].counts[uri] === undefined || s[i - 1].counts[uri] === undefined) continue;
        x.push(s[i].t);
        y.push(Math.max(0, s[i].counts[uri] - s[i - 1].counts[uri]) / dt);
      }
      return { label: uri, x, y };
    }));
  }, [live]);
  return series;
}

function LiveFigures({ live }) {
  const rates = useRates(live);
  const total = live.reduce((n, r) => n + r.requests, 0);
  const errors = live.reduce((n, r) => n + r.errors, 0);
  return html`
    <div class="card" data-testid="live-figures">
      <h2>Live figures <span class="muted inline-note">since this server started · refreshed every 3 s</span></h2>
      <div class="stats">
        <div class="stat"><span class="stat-value" data-testid="live-requests">${num(total)}</span><span class="stat-label">Requests</span></div>
        <div class=${'stat ' + (errors ? 'bad' : '')}><span class="stat-value">${num(errors)}</span><span class="stat-label">Errors</span></div>
        <div class="stat"><span class="stat-value">${total ? pct(errors / total, 2) : '—'}</span><span class="stat-label">Error rate</span></div>
      </div>
      <${Table} rows=${live} rowKey=${r => r.model_uri + r.role} columns=${[
        { key: 'model_uri', label: 'Version', render: r => html`<${ModelLink} uri=${r.model_uri} version=${r.version} />` },
        { key: 'role', label: 'Role', render: r => roleName(r.role) },
        { key: 'weight', label: 'Share', align: 'right', render: r => `${r.weight}%` },
        { key: 'ready', label: 'Ready', render: r => html`<${Badge} value=${r.ready ? 'ready' : 'loading'} />` },
        { key: 'requests', label: 'Requests', align: 'right', render: r => num(r.requests) },
        { key: 'errors', label: 'Errors', align: 'right', render: r => num(r.errors) },
        { key: 'rate', label: 'Error rate', align: 'right', render: r => (r.requests ? pct(r.errors / r.requests, 2) : '—') },
        { key: 'p50_ms', label: 'p50', align: 'right', render: r => (r.requests ? ms(r.p50_ms) : '—') },
        { key: 'p99_ms', label: 'p99', align: 'right', render: r => (r.requests ? ms(r.p99_ms) : '—') },
      ]} />
      ${rates.length > 0 && rates[0].x.length > 1
        ? html`<h3>Requests per second <span class="muted inline-note">while this page is open</span></h3><${LineChart} series=${rates} time=${true} xLabel="time" yLabel="req/s" height=${160} testid="live-rate-chart" />`
        : html`<p class="muted inline-note">Requests per second appear here after a few seconds.</p>`}
    </div>`;
}

function RolloutCard({ endpoint }) {
  const r = endpoint.rollout;
  const past = [...(endpoint.past_rollouts || [])].reverse();
  return html`
    <div class="card" data-testid="rollout">
      <h2>Rollout</h2>
      ${r ? html`<${RolloutView} rollout=${r} policy=${endpoint.policy} />`
        : html`<p class="muted">No rollout yet. <em>Start rollout</em> moves traffic to a new version step by step, comparing it with the one serving now.</p>`}
      ${past.length > 0 && html`
        <h3>Earlier rollouts</h3>
        ${past.map(p => html`
          <details class="past-rollout">
            <summary><${Badge} value=${p.state} /> <span class="mono">${p.champion_uri} → ${p.challenger_uri}</span> <span class="muted">${time(p.started_at)}</span></summary>
            <${RolloutView} rollout=${p} />
          </details>`)}`}
    </div>`;
}

function RolloutView({ rollout: r, policy }) {
  const running = r.state === 'running';
  // The timeline: finished steps as recorded, then (while running) the step in progress and those to come.
  const items = r.history.map(s => ({ ...s, kind: s.outcome }));
  if (running) {
    items.push({ percent: r.steps[r.step_index], kind: 'current', started_at: r.step_started_at });
    r.steps.slice(r.step_index + 1).forEach(p => items.push({ percent: p, kind: 'pending' }));
  }
  const hold = r.hold_requests ? `${num(r.hold_requests)} challenger requests per step` : r.hold_seconds ? `at least ${duration(r.hold_seconds * 1000)} per step` : '—';
  return html`
    ${r.state === 'rolled_back' && html`<div class="error-box" role="note"><strong>Rolled back</strong><p>${r.reason || 'no reason recorded'}</p></div>`}
    <${KeyValues} items=${[
      ['State', html`<${Badge} value=${r.state} />`],
      ['Champion', html`<${ModelLink} uri=${r.champion_uri} />`],
      ['Challenger', html`<${ModelLink} uri=${r.challenger_uri} />`],
      ['Steps', r.steps.map(s => s + '%').join(' → ')],
      ['Hold', hold],
      ['Started', time(r.started_at)],
      ['Ended', r.ended_at ? `${time(r.ended_at)} (${duration(r.ended_at - r.started_at)})` : 'still running'],
      [r.state === 'rolled_back' ? 'Rollback reason' : 'Reason', r.reason],
      ['Policy', policy && `error rate +${pct(policy.max_error_rate_increase, 1)} at most, p99 ≤ ${policy.max_p99_latency_ratio}× the champion's (+${policy.p99_latency_slack_ms} ms), divergence ≤ ${policy.max_divergence}, judged after ${policy.min_requests} requests`],
    ]} />
    <ol class="timeline" aria-label="Rollout steps">
      ${items.map(s => html`
        <li class=${s.kind}>
          <div class="pct">${s.percent}%</div>
          <div>${s.kind === 'current' ? html`<${Badge} value="in progress" />` : s.kind === 'pending' ? html`<span class="muted">to come</span>` : html`<${Badge} value=${s.outcome} />`}</div>
          <div class="muted inline-note">${s.started_at ? time(s.started_at) : ''}</div>
        </li>`)}
    </ol>
    <${Table} rows=${r.history} rowKey=${(s, i) => i} caption="What each step measured (champion vs challenger)" columns=${[
      { key: 'percent', label: 'Step', render: s => `${s.percent}%` },
      { key: 'outcome', label: 'Outcome', render: s => html`<${Badge} value=${s.outcome} />` },
      { key: 'started_at', label: 'Started', render: s => time(s.started_at) },
      { key: 'took', label: 'Took', align: 'right', render: s => duration(s.ended_at - s.started_at) },
      { key: 'req', label: 'Requests', align: 'right', title: 'champion / challenger', render: s => s.comparison ? `${num(s.comparison.champion_requests)} / ${num(s.comparison.challenger_requests)}` : '—' },
      { key: 'err', label: 'Error rate', align: 'right', title: 'champion / challenger', render: s => s.comparison ? `${pct(s.comparison.champion_error_rate, 2)} / ${pct(s.comparison.challenger_error_rate, 2)}` : '—' },
      { key: 'p99', label: 'p99', align: 'right', title: 'champion / challenger', render: s => s.comparison ? `${ms(s.comparison.champion_p99_ms)} / ${ms(s.comparison.challenger_p99_ms)}` : '—' },
      { key: 'div', label: 'Divergence', align: 'right', title: 'Jensen–Shannon divergence of the predictions (0..1)', render: s => s.comparison ? num(s.comparison.divergence, 3) : '—' },
      { key: 'reason', label: 'Reason', render: s => s.reason || '' },
    ]} />`;
}

/** Where the served versions came from: the registry version, its training run and the pipeline run that made it. */
function Origins({ endpoint }) {
  const uris = [];
  if (endpoint.rollout && endpoint.rollout.state === 'running') uris.push(['Challenger', endpoint.rollout.challenger_uri]);
  endpoint.routes.forEach(r => { if (!uris.some(([, u]) => u === r.model_uri)) uris.push([roleName(r.role), r.model_uri]); });
  const key = uris.map(([, u]) => u).join('|');
  const state = useApi(signal => Promise.all(uris.map(([role, uri]) => modelVersionOf(uri, signal).then(v => ({ role, uri, v }), e => ({ role, uri, error: e })))), [key]);
  return html`
    <div class="card" data-testid="origins">
      <h2>Where the models came from</h2>
      <${Loaded} state=${state}>${(rows) => html`
        <${Table} rows=${rows} rowKey=${r => r.uri} columns=${[
          { key: 'role', label: 'Route', render: r => r.role },
          { key: 'uri', label: 'Model version', render: r => html`<${ModelLink} uri=${r.uri} version=${r.v ? `${r.v.name}/${r.v.version}` : undefined} />` },
          { key: 'run', label: 'Training run', render: r => r.v && r.v.run_id ? html`<a class="mono" href=${href('/runs/' + r.v.run_id)}>${r.v.run_id.slice(0, 8)}</a>` : r.error ? html`<span class="muted">${r.error.message}</span>` : '—' },
          { key: 'pipeline', label: 'Made by pipeline run', render: r => {
            const tags = Object.fromEntries(((r.v && r.v.tags) || []).map(t => [t.key, t.value]));
            const id = tags['keel.pipeline.run_id'];
            return id ? html`<a href=${href('/pipelines/runs/' + id)}>${tags['keel.pipeline'] || 'pipeline'} #${id}</a>${tags['keel.pipeline.step'] ? html` <span class="muted">step ${tags['keel.pipeline.step']}</span>` : ''}` : html`<span class="muted">—</span>`;
          } },
          { key: 'aliases', label: 'Aliases', render: r => ((r.v && r.v.aliases) || []).map(a => '@' + a).join(' ') },
        ]} />`}<//>
    </div>`;
}

function Events({ state }) {
  return html`
    <div class="card">
      <h2>Audit trail</h2>
      <${Loaded} state=${state}>${(d) => html`
        <${Table} rows=${d.events || []} rowKey=${e => e.id} empty="No event recorded." columns=${[
          { key: 'timestamp', label: 'When', render: e => time(e.timestamp) },
          { key: 'action', label: 'Action', render: e => html`<span class="mono">${e.action}</span>` },
          { key: 'actor', label: 'Who', render: e => e.actor || html`<span class="muted">anonymous</span>` },
          { key: 'detail', label: 'Detail', render: e => e.detail || '' },
        ]} />`}<//>
    </div>`;
}

function parseSteps(text) {
  const steps = text.split(/[\s,]+/).filter(Boolean).map(Number);
  return steps.length && steps.every(n => Number.isInteger(n)) ? steps : null;
}

/** The four rollout actions behind one Confirm dialog, each saying what will happen to traffic. */
function Actions({ kind, endpoint, onDone, onCancel }) {
  const [uri, setUri] = useState('');
  const [steps, setSteps] = useState('10, 50, 100');
  const [holdKind, setHoldKind] = useState('seconds');
  const [hold, setHold] = useState('300');
  const [reason, setReason] = useState('');
  useEffect(() => { if (kind) setReason(''); }, [kind]);
  const primaryModel = parseModelUri((endpoint.routes.find(x => x.role === 'primary') || {}).model_uri);
  const versions = useApi(signal => (kind === 'rollout' && primaryModel
    ? get(`${MLFLOW}/model-versions/search`, { filter: `name='${primaryModel.name}'`, max_results: 50 }, { signal }).then(r => r.model_versions || [])
    : Promise.resolve([])), [kind, primaryModel && primaryModel.name]);

  const r = endpoint.rollout;
  const running = r && r.state === 'running';
  const primary = endpoint.routes.find(x => x.role === 'primary');
  const standby = endpoint.routes.find(x => x.role === 'standby');
  const path = `${KEEL}/endpoints/${enc(endpoint.name)}`;
  const body = { expected_version: endpoint.version, ...(reason ? { reason } : {}) };
  const reasonField = html`<label>Reason (kept in the audit trail)<input value=${reason} onInput=${e => setReason(e.target.value)} placeholder="optional" /></label>`;
  const current = html`<p class="inline-note">Now: ${endpoint.routes.filter(x => x.weight > 0).map(x => `${x.model_uri} ${x.weight}%`).join(', ')}.</p>`;

  let title = '', text = null, label = '', run = null, danger = true;
  if (kind === 'rollout') {
    const list = parseSteps(steps) || [];
    const holdText = holdKind === 'requests' ? `${hold} requests to the challenger` : `at least ${hold} s`;
    title = `Start a rollout on ${endpoint.name}`;
    label = 'Start rollout';
    danger = false;
    text = html`
      <div class="form-grid">
        <label>Challenger model URI
          <input list="rollout-versions" value=${uri} onInput=${e => setUri(e.target.value)} placeholder=${primaryModel ? `models:/${primaryModel.name}/…` : 'models:/name/version'} required />
          <datalist id="rollout-versions">${(versions.data || []).map(v => html`<option value=${`models:/${v.name}/${v.version}`}>v${v.version}${(v.aliases || []).length ? ' @' + v.aliases.join(' @') : ''}</option>`)}</datalist>
        </label>
        <label>Steps (challenger share in %, ending at 100)<input value=${steps} onInput=${e => setSteps(e.target.value)} /></label>
        <label>Hold each step for
          <span class="toolbar" style="margin:0">
            <input type="number" min="1" value=${hold} onInput=${e => setHold(e.target.value)} style="flex:1" aria-label="Hold" />
            <select value=${holdKind} onChange=${e => setHoldKind(e.target.value)} aria-label="Hold unit"><option value="seconds">seconds</option><option value="requests">challenger requests</option></select>
          </span>
        </label>
      </div>
      ${current}
      <p>${uri || 'The challenger'} gets ${list.length ? list.map(s => s + '%').join(', then ') : '(steps?)'} of live traffic, ${holdText} per step; ${primary ? primary.model_uri : 'the champion'} answers the rest.
        At each step the challenger is compared with the champion: a breach of the policy sends all traffic back to the champion at once; a clean last step promotes the challenger.</p>`;
    run = () => post(`${path}/rollout`, {
      model_uri: uri.trim(),
      steps: parseSteps(steps) || undefined,
      ...(holdKind === 'requests' ? { hold_requests: Number(hold) } : { hold_seconds: Number(hold) }),
      expected_version: endpoint.version,
    });
  } else if (kind === 'promote') {
    title = `Promote on ${endpoint.name}`;
    label = 'Promote';
    text = running
      ? html`${current}<p><strong>${r.challenger_uri}</strong> takes <strong>100%</strong> of traffic now, skipping the remaining steps. ${r.champion_uri} gets none but is kept warm, so a rollback is instant.</p>`
      : html`${current}<p>No rollout is running on this endpoint: promote ends a running rollout, so the server should refuse and traffic stays as it is.</p>`;
    run = () => post(`${path}/promote`, body);
  } else if (kind === 'abort') {
    title = `Abort the rollout on ${endpoint.name}`;
    label = 'Abort rollout';
    text = running
      ? html`${current}<p><strong>${r.champion_uri}</strong> takes back <strong>100%</strong> of traffic now; ${r.challenger_uri} gets none. The rollout ends as aborted.</p>`
      : html`${current}<p>No rollout is running on this endpoint, so there is nothing to abort: the server should refuse and traffic stays as it is.</p>`;
    run = () => post(`${path}/abort`, body);
  } else if (kind === 'rollback') {
    title = `Roll back ${endpoint.name}`;
    label = 'Roll back';
    text = running
      ? html`${current}<p><strong>${r.champion_uri}</strong> takes back <strong>100%</strong> of traffic now; ${r.challenger_uri} gets none. The rollout ends as rolled back.</p>`
      : standby
        ? html`${current}<p><strong>${standby.model_uri}</strong> (kept warm) takes <strong>100%</strong> of traffic at once; ${primary ? primary.model_uri : 'the current version'} gets none.</p>`
        : html`${current}<p>No rollout is running and no earlier version is kept warm: the server should refuse and traffic stays as it is.</p>`;
    run = () => post(`${path}/rollback`, body);
  }
  return html`
    <${Confirm} open=${!!kind} title=${title} confirmLabel=${label} danger=${danger}
      body=${html`${text}${kind && kind !== 'rollout' ? reasonField : ''}`}
      onConfirm=${async () => { if (run) { await run(); onDone(); } }}
      onCancel=${onCancel} />`;
}
