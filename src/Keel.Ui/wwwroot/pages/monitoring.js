// Monitoring: per endpoint, feature drift against the reference over time (which features drift,
// by which test, how far past the threshold), prediction drift, quality once labels arrive,
// request volume and latency, and the endpoint's alerts. /monitoring lists the endpoints.
import { html, useMemo } from '../vendor/htm-preact.mjs';
import { Page, Loaded, Empty, Badge, Table, KeyValues, ErrorBox } from '../lib/ui.js';
import { get, useApi, KEEL, ApiError } from '../lib/api.js';
import { href, setQuery } from '../lib/router.js';
import { num, pct, time, ago } from '../lib/format.js';
import { LineChart } from '../lib/chart.js';
import { listEndpoints } from '../lib/serving.js';

const enc = encodeURIComponent;
const ranges = [['1h', 'Last hour', 3600e3], ['6h', 'Last 6 hours', 6 * 3600e3], ['24h', 'Last day', 86400e3], ['7d', 'Last 7 days', 7 * 86400e3], ['30d', 'Last 30 days', 30 * 86400e3], ['all', 'Since the endpoint was created', null]];
// Seconds-long windows suit servers with short buckets (the quickstart's are one second).
const windows = [['5s', 5], ['10s', 10], ['1m', 60], ['5m', 300], ['15m', 900], ['1h', 3600], ['6h', 21600], ['1d', 86400]];

/** Reads the report for a range, choosing a window that gives at most ~120 points. */
async function readReport(name, createdAt, range, windowArg, signal) {
  const to = Date.now();
  const span = ranges.find(r => r[0] === range) || ranges[ranges.length - 1];
  // Bucket starts are aligned; start a little before the creation so its first bucket is in.
  const from = span[2] ? to - span[2] : Math.min(to - 3600e3, (createdAt || to) - 60e3);
  const window = windowArg || (windows.find(([, s]) => (to - from) / 1000 / s <= 120) || windows[windows.length - 1])[0];
  const path = `${KEEL}/endpoints/${enc(name)}/monitoring`;
  try {
    return await get(path, { from, to, window }, { signal });
  } catch (e) {
    // A server with longer buckets refuses a shorter window: let it choose.
    if (e instanceof ApiError && e.status === 400 && !windowArg) return get(path, { from, to }, { signal });
    throw e;
  }
}

async function loadOne(name, range, windowArg, signal) {
  const ep = await get(`${KEEL}/endpoints/${enc(name)}`, undefined, { signal });
  const endpoint = ep.endpoint || ep;
  const [report, alerts] = await Promise.all([
    readReport(name, endpoint.created_at, range, windowArg, signal),
    get(`${KEEL}/alerts`, { endpoint: name, max_results: 100 }, { signal }).then(r => r.alerts || [], e => (e.name === 'AbortError' ? Promise.reject(e) : { failed: e })),
  ]);
  return { endpoint, report, alerts };
}

export default function Monitoring({ params, query }) {
  return params.endpoint ? html`<${EndpointMonitoring} name=${params.endpoint} query=${query} />` : html`<${MonitoringList} />`;
}

function MonitoringList() {
  const state = useApi(async (signal) => {
    const [endpoints, alerts] = await Promise.all([
      listEndpoints(signal),
      get(`${KEEL}/alerts`, { state: 'open', max_results: 1000 }, { signal }).then(r => r.alerts || []),
    ]);
    const reports = await Promise.all(endpoints.map(({ endpoint }) =>
      readReport(endpoint.name, endpoint.created_at, 'all', null, signal).catch(e => (e.name === 'AbortError' ? Promise.reject(e) : { failed: e }))));
    return endpoints.map(({ endpoint }, i) => ({ endpoint, report: reports[i], alerts: alerts.filter(a => a.endpoint === endpoint.name) }));
  }, [], { refreshMs: 30_000 });
  return html`
    <${Page} title="Monitoring" subtitle="Drift against the reference, quality once labels arrive, traffic and alerts, per endpoint.">
      <${Loaded} state=${state}>${(rows) => rows.length === 0
        ? html`<${Empty} title="Nothing to monitor yet" hint="Monitoring starts with an endpoint: every prediction it answers is logged and compared with the model's training data."
            command="keel endpoints create my-endpoint --model models:/my-model/1" />`
        : html`
          <${Table} rows=${rows} rowKey=${r => r.endpoint.name} rowHref=${r => href('/monitoring/' + enc(r.endpoint.name))} columns=${[
            { key: 'name', label: 'Endpoint', render: r => r.endpoint.name },
            { key: 'traffic', label: 'Requests logged', align: 'right', render: r => r.report.failed ? '—' : num(r.report.windows.reduce((n, w) => n + w.traffic, 0)) },
            { key: 'drift', label: 'Drifting features (latest)', align: 'right', render: r => {
              const w = lastWith(r.report.windows || [], 'drift');
              if (!w) return html`<span class="muted">no reference</span>`;
              return html`<span class=${w.drift.number_of_drifted_columns ? 'drift-mark' : ''}>${w.drift.number_of_drifted_columns} of ${w.drift.number_of_columns}</span>`;
            } },
            { key: 'quality', label: 'Quality (latest)', render: r => {
              const w = lastWith(r.report.windows || [], 'quality');
              return w ? Object.entries(w.quality.metrics).slice(0, 2).map(([k, v]) => `${k} ${num(v, 3)}`).join(', ') : html`<span class="muted">no labels</span>`;
            } },
            { key: 'labels', label: 'Labels', align: 'right', render: r => r.report.labels ? num(r.report.labels.labels) : '—' },
            { key: 'alerts', label: 'Open alerts', align: 'right', render: r => r.alerts.length ? html`<a href=${href('/alerts', { endpoint: r.endpoint.name })}><${Badge} value=${`${r.alerts.length} open`} /></a>` : '0' },
            { key: 'err', label: '', render: r => r.report.failed ? html`<span class="muted">${r.report.failed.message}</span>` : '' },
          ]} />`}<//>
    <//>`;
}

/**
 * One line's points over windows: y(window) at each window's start. A lone window is drawn as a
 * flat segment over its span, so the time axis stays on the window instead of spanning years.
 */
function line(label, wins, y, extra) {
  const kept = wins.filter(v => y(v) !== undefined && y(v) !== null);
  if (kept.length === 1) {
    const v = kept[0];
    return { label, x: [Date.parse(v.start), Date.parse(v.end)], y: [y(v), y(v)], ...extra };
  }
  return { label, x: kept.map(v => Date.parse(v.start)), y: kept.map(y), ...extra };
}

function lastWith(windows, key) {
  for (let i = windows.length - 1; i >= 0; i--) if (windows[i][key]) return windows[i];
  return null;
}

function EndpointMonitoring({ name, query }) {
  const range = query.get('range') || 'all';
  const windowArg = query.get('window') || '';
  const state = useApi(signal => loadOne(name, range, windowArg, signal), [name, range, windowArg], { refreshMs: 30_000 });
  return html`
    <${Page} title=${`Monitoring: ${name}`} crumbs=${[['Monitoring', href('/monitoring')], [name, href('/endpoints/' + enc(name))]]}
      actions=${html`
        <select aria-label="Range" value=${range} onChange=${e => setQuery({ range: e.target.value === 'all' ? '' : e.target.value })}>
          ${ranges.map(([v, label]) => html`<option value=${v}>${label}</option>`)}
        </select>
        <select aria-label="Window" value=${windowArg} onChange=${e => setQuery({ window: e.target.value })}>
          <option value="">Window: automatic</option>
          ${windows.map(([v]) => html`<option value=${v}>Window: ${v}</option>`)}
        </select>`}>
      <${Loaded} state=${state}>${(d) => html`<${Report} name=${name} data=${d} query=${query} />`}<//>
    <//>`;
}

function Report({ name, data: { report, alerts }, query }) {
  const w = report.windows;
  const latestDrift = lastWith(w, 'drift');
  const latestQuality = lastWith(w, 'quality');
  const traffic = w.reduce((n, x) => n + x.traffic, 0);
  const errors = w.reduce((n, x) => n + x.errors, 0);
  const open = Array.isArray(alerts) ? alerts.filter(a => a.state !== 'resolved') : [];
  return html`<div class="stack">
    <p class="muted inline-note">${time(report.from)} → ${time(report.to)} UTC · windows of ${report.window} · ${w.length} window${w.length === 1 ? '' : 's'} with traffic</p>
    <div class="stats">
      <div class="stat"><span class="stat-value">${num(traffic)}</span><span class="stat-label">Requests</span></div>
      <div class=${'stat ' + (errors ? 'bad' : '')}><span class="stat-value">${num(errors)}</span><span class="stat-label">Errors</span></div>
      <div class=${'stat ' + (latestDrift && latestDrift.drift.number_of_drifted_columns ? 'bad' : '')}><span class="stat-value">${latestDrift ? `${latestDrift.drift.number_of_drifted_columns} / ${latestDrift.drift.number_of_columns}` : '—'}</span><span class="stat-label">Drifting features (latest window${latestDrift ? `, ${num(latestDrift.traffic)} request${latestDrift.traffic === 1 ? '' : 's'}` : ''})</span></div>
      <div class=${'stat ' + (latestDrift && latestDrift.prediction_drift && latestDrift.prediction_drift.drift_detected ? 'bad' : '')}><span class="stat-value">${latestDrift && latestDrift.prediction_drift ? (latestDrift.prediction_drift.drift_detected ? 'drifting' : 'stable') : '—'}</span><span class="stat-label">Prediction drift</span></div>
      <div class="stat"><span class="stat-value">${num(report.labels.labels)}</span><span class="stat-label">Labels (${num(report.labels.matched)} matched, ${num(report.labels.unmatched)} waiting)</span></div>
      <a class=${'stat ' + (open.length ? 'bad' : 'good')} href=${href('/alerts', { endpoint: name })}><span class="stat-value">${num(open.length)}</span><span class="stat-label">Open alerts</span></a>
    </div>
    ${w.length === 0 ? html`<${Empty} title="No traffic in this range" hint="Monitoring figures come from the predictions the endpoint answers. Choose a longer range, or send requests to the endpoint."
        command=${`curl -X POST localhost:5000/endpoints/${name}/invocations -H 'Content-Type: application/json' -d @rows.json`} />` : html`
      <${Drift} windows=${w} latest=${latestDrift} query=${query} name=${name} />
      <${Quality} windows=${w} latest=${latestQuality} labels=${report.labels} name=${name} />
      <${Volume} windows=${w} />`}
    <${Alerts} alerts=${alerts} name=${name} />
  </div>`;
}

function Drift({ windows: w, latest, query, name }) {
  if (!latest) {
    return html`<div class="card"><h2>Drift</h2><${Empty} title="No reference to compare with"
      hint="Drift is measured against the model version's training dataset, or an explicit reference dataset set in the monitoring settings." command=${`curl -X PUT localhost:5000/api/2.0/keel/endpoints/${name}/monitoring/settings -H 'Content-Type: application/json' -d '{"reference":"datasets:/my-dataset/1"}'`} /></div>`;
  }
  return html`<${DriftBody} windows=${w} latest=${latest} query=${query} />`;
}

function DriftBody({ windows: w, latest: newest, query }) {
  // The table shows one window's figures: the one chosen (?at=start), else the latest with drift figures.
  const latest = w.find(x => x.drift && x.start === query.get('at')) || newest;
  const columns = latest.drift.columns;
  const drifting = new Set();
  w.forEach(x => x.drift && x.drift.columns.forEach(c => { if (c.drift_detected) drifting.add(c.column); }));
  const chosen = query.get('f') !== null
    ? new Set(query.get('f').split(',').filter(Boolean))
    : new Set(drifting.size ? [...drifting] : columns.slice(0, 5).map(c => c.column));
  const toggle = (c) => {
    const next = new Set(chosen);
    if (next.has(c.column)) next.delete(c.column); else next.add(c.column);
    setQuery({ f: [...next].join(',') || ',' });
  };
  const filter = (query.get('q') || '').toLowerCase();
  const sorted = [...columns]
    .filter(c => !filter || c.column.toLowerCase().includes(filter))
    .sort((a, b) => (b.drift_detected - a.drift_detected) || (drifting.has(b.column) - drifting.has(a.column)) || a.column.localeCompare(b.column));
  const chosenKey = [...chosen].join(',');
  const series = useMemo(() => {
    const withDrift = w.filter(x => x.drift);
    const out = [...chosen].map(col => line(col, withDrift, x => (x.drift.columns.find(c => c.column === col) || {}).drift_score));
    // The threshold as its own line (the first chosen feature's; tests share one threshold unless set per column).
    const first = columns.find(c => chosen.has(c.column));
    if (first && out.length) out.push(line(`threshold (${first.stattest})`, withDrift, () => first.threshold, { color: '#768390' }));
    return out;
  }, [w, chosenKey]);
  const pValue = columns.some(c => ['ks', 'chisquare', 'z', 'fisher_exact', 't_test', 'anderson', 'cramer_von_mises', 'mannw', 'g_test'].includes(c.stattest));
  const windowsDrifting = (col) => w.filter(x => x.drift && x.drift.columns.some(c => c.column === col && c.drift_detected)).length;
  const withDrift = w.filter(x => x.drift).length;
  return html`
    <div class="card">
      <h2>Feature drift</h2>
      <p class="muted inline-note">Against ${latest.drift.reference || 'the reference'} · the window of ${time(latest.start)}: ${latest.drift.number_of_drifted_columns} of ${latest.drift.number_of_columns} features drift (${pct(latest.drift.share_of_drifted_columns)}; the dataset counts as drifting at ${pct(latest.drift.drift_share, 0)})${latest.drift.dataset_drift ? html` — <strong class="drift-mark">dataset drift</strong>` : ''}.
        ${pValue ? ' For p-value tests (ks, chi-square, z) a score below the threshold means drift.' : ''}</p>
      <h3>Drift score over time <span class="muted inline-note">${chosen.size} feature${chosen.size === 1 ? '' : 's'} shown; tick features below to add them</span></h3>
      ${series.length > 0 && series.some(s => s.x.length) ? html`<${LineChart} series=${series} time=${true} xLabel="window" yLabel="drift score" testid="drift-chart" />`
        : html`<p class="muted" data-testid="drift-chart">Tick a feature to chart its drift score.</p>`}
      <div class="toolbar" style="margin-top:12px">
        <input type="search" data-search placeholder="Filter features" aria-label="Filter features" value=${query.get('q') || ''} onInput=${e => setQuery({ q: e.target.value })} />
      </div>
      <${Table} rows=${sorted} rowKey=${c => c.column} selected=${chosen} onSelect=${toggle} caption=${html`Features in the window of
        <select aria-label="Window shown" value=${latest.start} onChange=${e => setQuery({ at: e.target.value === newest.start ? '' : e.target.value })}>
          ${w.filter(x => x.drift).map(x => html`<option value=${x.start}>${time(x.start)} · ${num(x.traffic)} request${x.traffic === 1 ? '' : 's'} · ${x.drift.number_of_drifted_columns} drifting</option>`)}
        </select>`} columns=${[
        { key: 'column', label: 'Feature', render: c => html`<span class="mono">${c.column}</span>` },
        { key: 'drift', label: 'Drift', render: c => c.drift_detected ? html`<span class="drift-mark" data-drifting="true" title="drifting">● drifting</span>` : html`<span class="muted">no</span>` },
        { key: 'windows', label: 'Windows drifting', align: 'right', title: 'Windows in the range where this feature drifted', render: c => {
          const n = windowsDrifting(c.column);
          return html`<span class=${n ? 'drift-mark' : 'muted'}>${n} of ${withDrift}</span>`;
        } },
        { key: 'stattest', label: 'Method', render: c => c.stattest },
        { key: 'drift_score', label: 'Score', align: 'right', render: c => num(c.drift_score, 3) },
        { key: 'threshold', label: 'Threshold', align: 'right', render: c => num(c.threshold, 3) },
        { key: 'column_type', label: 'Type', render: c => c.column_type },
        { key: 'current_count', label: 'Rows', align: 'right', render: c => num(c.current_count) },
      ]} />
      ${latest.prediction_drift && html`
        <h3>Prediction drift</h3>
        <${KeyValues} items=${[
          ['Output', html`<span class="mono">${latest.prediction_drift.column}</span>`],
          ['Drifting', latest.prediction_drift.drift_detected ? html`<span class="drift-mark">● yes</span>` : 'no'],
          ['Method', latest.prediction_drift.stattest],
          ['Score', `${num(latest.prediction_drift.drift_score, 3)} (threshold ${num(latest.prediction_drift.threshold, 3)})`],
        ]} />`}
    </div>`;
}

function Quality({ windows: w, latest, labels, name }) {
  if (!latest) {
    return html`<div class="card"><h2>Quality</h2><${Empty} title="No labels yet"
      hint=${`Quality appears once true labels arrive for logged predictions (${num(labels.labels)} labels so far). Send them by request id:`}
      command=${`keel monitor feedback labels.csv --endpoint ${name}`} /></div>`;
  }
  const metrics = [...new Set(w.flatMap(x => (x.quality ? Object.keys(x.quality.metrics) : [])))].filter(m => m !== 'log_loss');
  const withQ = w.filter(x => x.quality);
  const series = metrics.map(m => line(m, withQ, x => x.quality.metrics[m]));
  const versions = latest.versions.filter(v => v.quality);
  return html`
    <div class="card">
      <h2>Quality <span class="muted inline-note">${num(labels.labels)} labels, ${num(labels.matched)} matched to predictions, ${num(labels.unmatched)} waiting, ${num(labels.replaced)} replaced</span></h2>
      <${LineChart} series=${series} time=${true} xLabel="window" yLabel="metric" testid="quality-chart" />
      <${Table} rows=${versions.length ? versions : [{ version: 'all versions', quality: latest.quality }]} rowKey=${v => v.version} caption=${`Latest labelled window (${time(latest.start)})`} columns=${[
        { key: 'version', label: 'Version', render: v => html`<span class="mono">${v.version}</span>` },
        { key: 'labeled', label: 'Labelled', align: 'right', render: v => num(v.quality.labeled) },
        ...Object.keys(latest.quality.metrics).map(m => ({ key: m, label: m, align: 'right', render: v => num(v.quality.metrics[m], 4) })),
      ]} />
    </div>`;
}

function Volume({ windows: w }) {
  const traffic = [line('requests', w, v => v.traffic), line('errors', w, v => v.errors)];
  const lat = w.filter(v => v.latency_ms);
  const latency = ['p50', 'p95', 'p99'].map(q => line(q, lat, v => v.latency_ms[q]));
  return html`
    <div class="grid">
      <div class="card"><h2>Request volume</h2><${LineChart} series=${traffic} time=${true} xLabel="window" yLabel="requests" height=${220} testid="volume-chart" /></div>
      <div class="card"><h2>Latency</h2><${LineChart} series=${latency} time=${true} xLabel="window" yLabel="ms" height=${220} testid="latency-chart" /></div>
    </div>`;
}

function Alerts({ alerts, name }) {
  if (alerts && alerts.failed) return html`<div class="card"><h2>Alerts</h2><${ErrorBox} error=${alerts.failed} title="Could not read the alerts" /></div>`;
  return html`
    <div class="card">
      <h2>Alerts on ${name}</h2>
      ${alerts.length === 0 ? html`<p class="muted">No alert on this endpoint. Rules: <a href=${href('/alerts', { tab: 'rules' })}>alert rules</a>.</p>` : html`
        <${Table} rows=${alerts} rowKey=${a => a.id} rowHref=${a => href('/alerts/' + a.id)} columns=${[
          { key: 'id', label: 'Alert', render: a => `#${a.id} ${a.rule}` },
          { key: 'state', label: 'State', render: a => html`<${Badge} value=${a.state} />` },
          { key: 'metric', label: 'Metric', render: a => a.metric },
          { key: 'value', label: 'Value / threshold', align: 'right', render: a => `${num(a.value)} / ${num(a.threshold)}` },
          { key: 'opened_at', label: 'Opened', render: a => ago(a.opened_at) },
        ]} />`}
    </div>`;
}
