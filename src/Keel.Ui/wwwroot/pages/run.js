// One run: what it was (params, tags, dataset inputs, parent and children, the model versions
// registered from it), how it went (each metric's latest, min and max, and a chart over steps
// or time, downsampled by the server so a 100,000-point history draws at once) and what it made
// (the artifact tree with previews). The chart axis and the open artifact live in the URL.
import { html, Page, Loaded, ErrorBox, Badge, KeyValues, Table, Loading } from '../lib/ui.js';
import { get, post, useApi, MLFLOW, KEEL } from '../lib/api.js';
import { href, setQuery } from '../lib/router.js';
import { duration, num, time } from '../lib/format.js';
import { LineChart } from '../lib/chart.js';
import { ArtifactTree, ArtifactPreview } from '../lib/artifacts.js';
import { toRow, PARENT_TAG } from '../lib/runs-table.js';
import { useMemo } from '../vendor/htm-preact.mjs';

const CHART_POINTS = 1000;

// Histories asked for as soon as the run's metric keys are known, before the rest of the page
// has loaded; the chart's own load takes the answer from here ("id|x|keys" -> promise).
const early = new Map();

async function loadRun(id, x, signal) {
  const { run } = await get(`${MLFLOW}/runs/get`, { run_id: id }, { signal });
  const keys = (run.data.metrics || []).map(m => m.key).sort();
  if (keys.length) {
    const pending = loadHistories(id, keys, x);
    pending.catch(() => { });
    early.clear();
    early.set(`${id}|${x}|${keys.join('\u0000')}`, pending);
  }
  const optional = (p) => p.catch(e => (e.name === 'AbortError' ? Promise.reject(e) : null));
  const [experiment, children, versions] = await Promise.all([
    optional(get(`${MLFLOW}/experiments/get`, { experiment_id: run.info.experiment_id }, { signal })),
    optional(post(`${MLFLOW}/runs/search`, { experiment_ids: [run.info.experiment_id], filter: `tags.\`${PARENT_TAG}\` = '${id}'`, max_results: 100 }, { signal })),
    optional(get(`${MLFLOW}/model-versions/search`, { filter: `run_id = '${id}'`, max_results: 100 }, { signal })),
  ]);
  return {
    run,
    row: toRow(run),
    experiment: experiment && experiment.experiment,
    children: (children && children.runs || []).map(toRow),
    versions: versions && versions.model_versions || [],
  };
}

/** Every metric's downsampled history at once: { key: { points, total, downsampled, min, max } }. */
async function loadHistories(id, keys, x, signal) {
  const answers = await Promise.all(keys.map(k => get(`${KEEL}/metrics/history-downsampled`, { run_id: id, metric_key: k, max_points: CHART_POINTS, x }, { signal })));
  return Object.fromEntries(keys.map((k, i) => [k, answers[i]]));
}

function MetricChart({ metric, history, x }) {
  const series = useMemo(() => [{
    label: metric,
    x: history.points.map(p => (x === 'time' ? Number(p.timestamp) : Number(p.step))),
    y: history.points.map(p => (typeof p.value === 'number' ? p.value : NaN)),
  }], [history, x]);
  return html`<div class="card metric-card">
    <h3>${metric} <span class="muted small">${num(history.total)} point${history.total === 1 ? '' : 's'}${history.downsampled ? `, ${num(history.points.length)} drawn` : ''}</span></h3>
    <${LineChart} series=${series} xLabel=${x === 'time' ? 'time' : 'step'} yLabel=${metric} time=${x === 'time'} points=${history.points.length === 1} height=${200} testid="metric-chart" />
  </div>`;
}

function Metrics({ id, metrics, x, all }) {
  const keys = useMemo(() => metrics.map(m => m.key).sort(), [metrics]);
  const histories = useApi(signal => {
    if (!keys.length) return Promise.resolve({});
    const key = `${id}|${x}|${keys.join('\u0000')}`;
    const pending = early.get(key);
    early.delete(key);
    return pending || loadHistories(id, keys, x, signal);
  }, [id, keys.join('\u0000'), x]);
  const latest = Object.fromEntries(metrics.map(m => [m.key, m]));
  if (keys.length === 0) return html`<p class="muted">This run logged no metrics.</p>`;
  const h = histories.data || {};
  // A metric logged once is a number, not a curve: the table says it; charts are for histories.
  const charted = keys.filter(k => all || (h[k] && h[k].total > 1));
  const single = keys.length - keys.filter(k => h[k] && h[k].total > 1).length;
  return html`
    <div data-testid="run-metrics">
      <${Table} rowKey=${k => k} rows=${keys} columns=${[
        { key: 'key', label: 'Metric', render: k => k },
        { key: 'latest', label: 'Latest', align: 'right', render: k => num(latest[k].value) },
        { key: 'min', label: 'Min', align: 'right', render: k => (h[k] ? num(h[k].min) : '…') },
        { key: 'max', label: 'Max', align: 'right', render: k => (h[k] ? num(h[k].max) : '…') },
        { key: 'step', label: 'Last step', align: 'right', render: k => num(latest[k].step) },
        { key: 'points', label: 'Points', align: 'right', render: k => (h[k] ? num(h[k].total) : '…') },
      ]} />
    </div>
    <div class="toolbar chart-toolbar">
      <span class="muted">Charts over</span>
      <div class="segmented" role="group" aria-label="Chart x axis">
        <button type="button" aria-pressed=${x !== 'time'} class=${x !== 'time' ? 'primary' : ''} onClick=${() => setQuery({ x: '' })}>Step</button>
        <button type="button" aria-pressed=${x === 'time'} class=${x === 'time' ? 'primary' : ''} onClick=${() => setQuery({ x: 'time' })}>Time</button>
      </div>
    </div>
    ${histories.error && html`<${ErrorBox} error=${histories.error} retry=${histories.reload} title="Could not load the metric histories" />`}
    ${!histories.data && !histories.error && html`<${Loading} label="Loading charts…" />`}
    ${histories.data && single > 0 && html`<p class="muted" data-testid="single-value-metrics">
      ${all ? `Every metric is charted, the ${single} logged once too.` : `${single === keys.length ? 'Every metric' : `${single} of ${keys.length} metrics`} logged a single value (in the table above).`}
      ${' '}<button type="button" onClick=${() => setQuery({ charts: all ? '' : 'all' })}>${all ? 'Chart histories only' : 'Chart every metric'}</button></p>`}
    ${histories.data && html`<div class="grid metric-grid">${charted.map(k => h[k] && html`<${MetricChart} key=${k + x} metric=${k} history=${h[k]} x=${x} />`)}</div>`}`;
}

function datasetRows(run) {
  return (run.inputs && run.inputs.dataset_inputs || []).map(d => ({
    ...d.dataset,
    context: ((d.tags || []).find(t => t.key === 'mlflow.data.context') || {}).value || '',
  }));
}

export default function Run({ params, query }) {
  const id = params.id;
  const x = query.get('x') === 'time' ? 'time' : 'step';
  const artifact = query.get('artifact') || '';
  const state = useApi(signal => loadRun(id, x, signal), [id]);
  const d = state.data;
  const title = d ? d.row.name : 'Run';
  const crumbs = [['Experiments', href('/experiments')]];
  if (d) crumbs.push([d.experiment ? d.experiment.name : `Experiment ${d.run.info.experiment_id}`, href('/experiments/' + d.run.info.experiment_id)]);
  return html`
    <${Page} title=${title} crumbs=${crumbs}
      actions=${d && html`<${Badge} value=${d.row.status} />`}
      subtitle=${html`Run <span class="mono">${id}</span>`}>
      <${Loaded} state=${state}>${({ run, row, children, versions }) => {
        const tags = Object.entries(row.tags).filter(([k]) => k !== 'mlflow.log-model.history').sort(([a], [b]) => a.localeCompare(b));
        const params = Object.entries(row.params).sort(([a], [b]) => a.localeCompare(b));
        const datasets = datasetRows(run);
        return html`
          <div class="grid run-overview">
            <div class="card">
              <h2>Overview</h2>
              <${KeyValues} items=${[
                ['Status', html`<${Badge} value=${row.status} />`],
                ['Started', time(row.start)],
                ['Duration', row.end && row.start ? duration(row.end - row.start) : row.status === 'RUNNING' ? 'running' : '—'],
                ['User', row.user],
                ['Source', row.tags['mlflow.source.name']],
                ['Artifacts', html`<span class="mono">${run.info.artifact_uri}</span>`],
                ['Parent run', row.parent ? html`<a href=${href('/runs/' + row.parent)} data-testid="parent-link">${row.parent}</a>` : undefined],
                ['Child runs', children.length > 0 ? html`<span data-testid="child-runs">${children.map((c, i) => html`${i > 0 && ', '}<a href=${href('/runs/' + c.id)}>${c.name}</a>`)}</span>` : undefined],
                ['Registered as', versions.length > 0 ? html`<span data-testid="model-versions">${versions.map((v, i) => html`${i > 0 && ', '}<a href=${href(`/models/${encodeURIComponent(v.name)}/versions/${v.version}`)}>${v.name} v${v.version}</a>`)}</span>` : undefined],
              ]} />
            </div>
            <div class="card">
              <h2>Parameters</h2>
              ${params.length === 0 ? html`<p class="muted">No parameters.</p>` : html`
                <div data-testid="run-params"><${Table} rows=${params} rowKey=${p => p[0]} columns=${[
                  { key: 'k', label: 'Name', render: p => p[0] },
                  { key: 'v', label: 'Value', render: p => html`<span class="mono">${p[1]}</span>` },
                ]} /></div>`}
            </div>
          </div>
          <h2>Metrics</h2>
          <${Metrics} id=${id} metrics=${run.data.metrics || []} x=${x} all=${query.get('charts') === 'all'} />
          ${datasets.length > 0 && html`
            <h2>Dataset inputs</h2>
            <div data-testid="run-datasets"><${Table} rows=${datasets} rowKey=${(r, i) => i} columns=${[
              { key: 'name', label: 'Dataset' },
              { key: 'context', label: 'Context' },
              { key: 'digest', label: 'Digest', render: r => html`<span class="mono">${r.digest}</span>` },
              { key: 'source_type', label: 'Source type' },
              { key: 'source', label: 'Source', render: r => html`<span class="mono small">${r.source}</span>` },
            ]} /></div>`}
          <h2>Artifacts</h2>
          <div class="artifacts">
            <${ArtifactTree} runId=${id} selected=${artifact} onOpen=${p => setQuery({ artifact: p })} />
            ${artifact ? html`<${ArtifactPreview} key=${artifact} runId=${id} path=${artifact} />` : html`<p class="muted artifact-hint">Choose a file to preview it.</p>`}
          </div>
          <h2>Tags</h2>
          ${tags.length === 0 ? html`<p class="muted">No tags.</p>` : html`
            <div data-testid="run-tags"><${Table} rows=${tags} rowKey=${t => t[0]} columns=${[
              { key: 'k', label: 'Tag', render: t => t[0] },
              { key: 'v', label: 'Value', render: t => html`<span class="mono tag-value">${t[1]}</span>` },
            ]} /></div>`}`;
      }}<//>
    <//>`;
}
