// Compare runs (#/compare?runs=a,b,c): params and metrics side by side (differences only by
// default), overlaid metric charts, parallel coordinates and a scatter of any two values. Built
// for 100 runs and more: runs come in runs/search chunks of 100 and histories in bulk requests.
import { html, useMemo, useState } from '../vendor/htm-preact.mjs';
import { Page, Loaded, Empty, Table, ErrorBox, Loading } from '../lib/ui.js';
import { useApi } from '../lib/api.js';
import { href, setQuery } from '../lib/router.js';
import { num } from '../lib/format.js';
import { LineChart, colorOf } from '../lib/chart.js';
import { loadRunsByIds, loadHistories, lowerIsBetter } from '../lib/run-batch.js';
import { ParallelCoordinates } from '../lib/parallel.js';

const present = (v) => v !== undefined && v !== null && v !== '';

/** Do the runs disagree on this value (a missing value counts as different)? */
function differs(runs, pick) {
  const first = pick(runs[0]);
  return runs.some(r => String(pick(r) ?? '\u0000') !== String(first ?? '\u0000'));
}

function keysOf(runs, field) {
  const seen = new Set();
  for (const r of runs) for (const k of Object.keys(r[field])) seen.add(k);
  return [...seen].sort();
}

const runLabel = (r) => html`<a href=${href('/runs/' + r.id)} title=${r.id}>${r.name}</a>`;

/** Reads "params.x" / "metrics.y" of a run. */
function valueOf(run, key) {
  const at = key.indexOf('.');
  const kind = key.slice(0, at), name = key.slice(at + 1);
  return kind === 'params' ? run.params[name] : run.metrics[name];
}

const shortKey = (key) => key.replace(/^params\./, '').replace(/^metrics\./, '');

export default function Compare({ query }) {
  const ids = useMemo(() => [...new Set((query.get('runs') || '').split(',').map(s => s.trim()).filter(Boolean))], [query.get('runs')]);
  const state = useApi(signal => loadRunsByIds(ids, { signal, lenient: true }), [ids.join(',')]);
  const crumbs = [['Experiments', href('/experiments')]];
  if (ids.length === 0) {
    return html`<${Page} title="Compare runs" crumbs=${crumbs}>
      <${Empty} title="No runs to compare"
        hint="Select runs in an experiment's runs table and press Compare, or list run ids in the URL: #/compare?runs=ID1,ID2."
        command="keel runs list --experiment quickstart" />
    <//>`;
  }
  return html`<${Page} title=${`Compare ${ids.length} runs`} crumbs=${crumbs}>
    <${Loaded} state=${state}>${(runs) => html`<${Comparison} runs=${runs} query=${query} />`}<//>
  <//>`;
}

function Comparison({ runs, query }) {
  const diffOnly = query.get('diff') !== '0';
  const paramKeys = useMemo(() => keysOf(runs, 'params'), [runs]);
  const metricKeys = useMemo(() => keysOf(runs, 'metrics'), [runs]);
  const experiments = [...new Set(runs.map(r => r.experimentId))];
  const shownParams = diffOnly && runs.length > 1 ? paramKeys.filter(k => differs(runs, r => r.params[k])) : paramKeys;
  const shownMetrics = diffOnly && runs.length > 1 ? metricKeys.filter(k => differs(runs, r => r.metrics[k])) : metricKeys;
  // Few runs: a column per run (keys down the side). Many runs: a row per run, keys across.
  const byRun = query.get('layout') ? query.get('layout') === 'rows' : runs.length > 8;

  const paramRows = shownParams.map(k => ({ key: k, cells: runs.map(r => (present(r.params[k]) ? r.params[k] : html`<span class="muted">—</span>`)) }));
  const metricRows = shownMetrics.map(k => {
    const values = runs.map(r => r.metrics[k]);
    const finite = values.filter(v => Number.isFinite(v));
    const best = finite.length > 1 ? (lowerIsBetter(k) ? Math.min(...finite) : Math.max(...finite)) : undefined;
    return {
      key: k,
      cells: values.map(v => (v === undefined ? html`<span class="muted">—</span>`
        : html`<span class=${v === best ? 'best' : ''} title=${v === best ? (lowerIsBetter(k) ? 'lowest' : 'highest') : undefined}>${num(v)}</span>`)),
    };
  });

  return html`
    <p class="subtitle">
      ${runs.length} runs from ${experiments.length === 1 ? html`experiment <a href=${href('/experiments/' + experiments[0])}>${experiments[0]}</a>` : `${experiments.length} experiments`}.
    </p>
    ${runs.unknown && runs.unknown.length > 0 && html`
      <div class="error-box" role="alert"><strong>${runs.unknown.length} run${runs.unknown.length === 1 ? '' : 's'} not found, left out:</strong>
        <span class="mono"> ${runs.unknown.join(', ')}</span>
        <p><a href=${href('/compare', { runs: runs.map(r => r.id).join(',') })}>Compare only the runs that exist</a></p></div>`}
    <div class="toolbar">
      <label class="check"><input type="checkbox" checked=${diffOnly} onChange=${e => setQuery({ diff: e.target.checked ? '' : '0' })} /> Differences only</label>
      <label class="check"><input type="checkbox" checked=${byRun} onChange=${e => setQuery({ layout: e.target.checked ? 'rows' : 'columns' })} /> A row per run</label>
      <span class="muted">${diffOnly ? `${shownParams.length} of ${paramKeys.length} params and ${shownMetrics.length} of ${metricKeys.length} metrics differ` : `${paramKeys.length} params, ${metricKeys.length} metrics`}</span>
    </div>
    <div class="compare-tables">
      <section>
        <h2>Params</h2>
        <${Matrix} runs=${runs} rows=${paramRows} keyLabel="Param" byRun=${byRun}
          empty=${diffOnly ? 'All params are the same in these runs.' : 'These runs have no params.'} />
      </section>
      <section>
        <h2>Metrics <span class="muted small">(latest values; best highlighted)</span></h2>
        <${Matrix} runs=${runs} rows=${metricRows} keyLabel="Metric" byRun=${byRun} align="right"
          empty=${diffOnly ? 'All metrics are the same in these runs.' : 'These runs have no metrics.'} />
      </section>
    </div>
    <${MetricChart} runs=${runs} metricKeys=${metricKeys} query=${query} />
    <${Parallel} runs=${runs} paramKeys=${paramKeys} metricKeys=${metricKeys} query=${query} />
    <${Scatter} runs=${runs} paramKeys=${paramKeys} metricKeys=${metricKeys} query=${query} />`;
}

/** rows: [{ key, cells: [per run] }] as a table with a column per run, or (byRun) a row per run and a column per key. */
function Matrix({ runs, rows, keyLabel, byRun, align, empty }) {
  if (!byRun) {
    return html`<${Table} rows=${rows} rowKey=${r => r.key} empty=${empty} columns=${[
      { key: 'key', label: keyLabel, render: r => html`<span class="mono">${r.key}</span>` },
      ...runs.map((r, i) => ({ key: r.id, label: runLabel(r), align, render: row => row.cells[i] })),
    ]} />`;
  }
  if (rows.length === 0) return html`<${Table} rows=${[]} columns=${[{ key: 'run', label: 'Run' }]} empty=${empty} />`;
  return html`<${Table} rows=${runs.map((r, i) => ({ r, i }))} rowKey=${x => x.r.id} columns=${[
    { key: 'run', label: 'Run', render: x => runLabel(x.r) },
    ...rows.map(row => ({ key: row.key, label: html`<span class="mono">${row.key}</span>`, align, render: x => row.cells[x.i] })),
  ]} />`;
}

/** The metric most runs have, preferring the longest histories, then the ones that differ. */
function defaultMetric(runs, metricKeys) {
  let best = metricKeys[0], score = -1;
  for (const k of metricKeys) {
    const having = runs.filter(r => r.metrics[k] !== undefined);
    const steps = Math.max(0, ...having.map(r => r.steps[k] || 0));
    const s = having.length * 1000 + Math.min(steps, 999) + (differs(runs, r => r.metrics[k]) ? 0.5 : 0);
    if (s > score) { best = k; score = s; }
  }
  return best;
}

function MetricChart({ runs, metricKeys, query }) {
  const metric = query.get('metric') && metricKeys.includes(query.get('metric')) ? query.get('metric') : defaultMetric(runs, metricKeys);
  const ids = runs.map(r => r.id);
  const state = useApi(signal => (metric ? loadHistories(ids, metric, { signal }) : Promise.resolve({})), [ids.join(','), metric]);
  const series = useMemo(() => {
    if (!state.data) return [];
    return runs.map((r, i) => ({ r, i, h: state.data[r.id] }))
      .filter(({ h }) => h && h.x.length > 0)
      .map(({ r, i, h }) => ({ label: r.name, x: h.x, y: h.y, color: colorOf(i) }));
  }, [state.data, runs]);
  const single = series.every(s => s.x.length <= 1);
  return html`
    <section class="card compare-card">
      <div class="toolbar">
        <h2>Metric over steps</h2>
        ${metricKeys.length > 0 && html`
          <label>Metric <select aria-label="Chart metric" value=${metric} onChange=${e => setQuery({ metric: e.target.value })}>
            ${metricKeys.map(k => html`<option value=${k}>${k}</option>`)}
          </select></label>`}
        <span class="muted">${series.length} of ${runs.length} runs have ${metric || 'metrics'}</span>
      </div>
      ${!metric ? html`<p class="muted">These runs logged no metrics.</p>`
        : state.error ? html`<${ErrorBox} error=${state.error} retry=${state.reload} />`
          : state.data === undefined ? html`<${Loading} label="Loading metric history…" />`
            : html`<${LineChart} series=${series} xLabel="step" yLabel=${metric} points=${single} testid="compare-chart" />`}
    </section>`;
}

function Parallel({ runs, paramKeys, metricKeys, query }) {
  const all = [...paramKeys.map(k => 'params.' + k), ...metricKeys.map(k => 'metrics.' + k)];
  const differing = all.filter(k => runs.length < 2 || differs(runs, r => valueOf(r, k)));
  const fromUrl = (query.get('axes') || '').split(',').filter(k => all.includes(k));
  const colorKey = query.get('color') && metricKeys.includes(query.get('color')) ? query.get('color') : defaultMetric(runs, metricKeys);
  const axisKeys = fromUrl.length > 0 ? fromUrl : [
    ...differing.filter(k => k.startsWith('params.') && !/seed/.test(k)).slice(0, 6),
    ...(colorKey ? ['metrics.' + colorKey] : []),
  ];
  const axes = useMemo(() => axisKeys.map(k => ({ key: k, label: shortKey(k), values: runs.map(r => valueOf(r, k)) })), [runs, axisKeys.join(',')]);
  const color = useMemo(() => (colorKey ? { label: colorKey, values: runs.map(r => r.metrics[colorKey]) } : null), [runs, colorKey]);
  const toggle = (k) => {
    const next = axisKeys.includes(k) ? axisKeys.filter(a => a !== k) : [...axisKeys, k];
    setQuery({ axes: next.join(',') || '-' });
  };
  return html`
    <section class="card compare-card">
      <div class="toolbar">
        <h2>Parallel coordinates</h2>
        ${metricKeys.length > 0 && html`
          <label>Colour by <select aria-label="Colour lines by" value=${colorKey} onChange=${e => setQuery({ color: e.target.value })}>
            ${metricKeys.map(k => html`<option value=${k}>${k}</option>`)}
          </select></label>`}
        <details class="axis-chooser">
          <summary>Axes (${axisKeys.length})</summary>
          <div class="axis-list">
            ${(differing.length > 0 ? differing : all).map(k => html`
              <label class="check"><input type="checkbox" checked=${axisKeys.includes(k)} onChange=${() => toggle(k)} /> ${k}</label>`)}
          </div>
        </details>
      </div>
      ${axes.length === 0 ? html`<p class="muted">Choose at least one axis.</p>`
        : html`<${ParallelCoordinates} runs=${runs} axes=${axes} color=${color} />`}
    </section>`;
}

/** A value as a number for the scatter: numbers as they are, categories as their index. */
function numericValues(runs, key) {
  const values = runs.map(r => valueOf(r, key));
  const nums = values.map(v => (present(v) ? Number(v) : null));
  if (nums.every((n, i) => n === null || Number.isFinite(n))) return { values: nums, categories: null };
  const cats = [...new Set(values.filter(present).map(String))].sort();
  return { values: values.map(v => (present(v) ? cats.indexOf(String(v)) : null)), categories: cats };
}

function Scatter({ runs, paramKeys, metricKeys, query }) {
  const all = [...paramKeys.map(k => 'params.' + k), ...metricKeys.map(k => 'metrics.' + k)];
  const firstDiffParam = all.find(k => k.startsWith('params.') && differs(runs, r => valueOf(r, k)) && !/seed/.test(k)) || all[0];
  const sx = all.includes(query.get('x')) ? query.get('x') : firstDiffParam;
  const sy = all.includes(query.get('y')) ? query.get('y') : (metricKeys.length ? 'metrics.' + defaultMetric(runs, metricKeys) : all[1] || all[0]);
  const series = useMemo(() => {
    if (!sx || !sy) return [];
    const xs = numericValues(runs, sx), ys = numericValues(runs, sy);
    return runs.map((r, i) => ({ label: r.name, x: xs.values[i] === null ? [] : [xs.values[i]], y: ys.values[i] === null ? [] : [ys.values[i]], color: colorOf(i) }))
      .filter(s => s.x.length === 1 && s.y.length === 1);
  }, [runs, sx, sy]);
  const cats = sx ? numericValues(runs, sx).categories : null;
  const select = (name, value) => html`
    <select aria-label=${'Scatter ' + name.toUpperCase()} value=${value} onChange=${e => setQuery({ [name]: e.target.value })}>
      ${all.map(k => html`<option value=${k}>${k}</option>`)}
    </select>`;
  return html`
    <section class="card compare-card">
      <div class="toolbar">
        <h2>Scatter</h2>
        <label>X ${select('x', sx)}</label>
        <label>Y ${select('y', sy)}</label>
      </div>
      ${cats && html`<p class="muted small">${shortKey(sx)}: ${cats.map((c, i) => `${i} = ${c}`).join(', ')}</p>`}
      ${series.length === 0 ? html`<p class="muted">No run has both values.</p>`
        : html`<${LineChart} series=${series} xLabel=${shortKey(sx)} yLabel=${shortKey(sy)} points=${true} height=${300} testid="compare-scatter" />`}
    </section>`;
}
