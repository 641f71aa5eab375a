// A pipeline run: the DAG with each step coloured by its state (refreshing while the run is not
// finished), the steps with attempts, durations and cache hits, step logs, the gate's report,
// what triggered the run and what it produced, and Cancel.
import { html, Page, Loaded, Table, Badge, KeyValues, Confirm, ErrorBox, Loading, Empty } from '../lib/ui.js';
import { get, post, useApi, KEEL } from '../lib/api.js';
import { href, setQuery } from '../lib/router.js';
import { ago, time, duration, num, short } from '../lib/format.js';
import { PipelineDag, edgeKinds } from '../lib/pipeline-dag.js';
import { UriLink, uriHref } from '../lib/uri-links.js';
import { useEffect, useState } from '../vendor/htm-preact.mjs';

const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

async function load(id, signal) {
  const run = await get(`${KEEL}/pipelines/runs/${encodeURIComponent(id)}`, undefined, { signal });
  // The definition at the run's version tells value edges from ordering edges (optional).
  let definition = null;
  try {
    const p = await get(`${KEEL}/pipelines/${encodeURIComponent(run.run.pipeline)}`, { version: run.run.pipeline_version }, { signal });
    definition = p.pipeline && p.pipeline.definition;
  } catch (e) { if (e.name === 'AbortError') throw e; }
  return { ...run, definition };
}

function parseJson(text) {
  if (!text) return null;
  if (typeof text !== 'string') return text;
  try { return JSON.parse(text); } catch { return null; }
}

function stepDuration(s) {
  return s.started_at ? duration((s.finished_at || Date.now()) - s.started_at) : '—';
}

/** runs:/RUN_ID/path -> { run, path }. */
function runArtifact(uri) {
  const m = /^runs:\/([0-9a-zA-Z_-]+)\/(.+)$/.exec(uri || '');
  return m ? { run: m[1], path: m[2] } : null;
}

function Trigger({ run }) {
  const detail = parseJson(run.trigger_detail);
  const items = [['Kind', html`<${Badge} value=${run.trigger_kind} kind="neutral" />`], ['Trigger', run.trigger_name]];
  if (run.trigger_kind === 'alert' && detail) {
    items.push(['Alert', detail.alert_id ? html`<a href=${href('/alerts/' + detail.alert_id)} data-testid="trigger-alert">alert ${detail.alert_id}: ${detail.rule}</a>` : detail.rule]);
    if (detail.endpoint) items.push(['Endpoint', html`<a href=${href('/endpoints/' + encodeURIComponent(detail.endpoint))}>${detail.endpoint}</a>`]);
    if (detail.metric) items.push(['Figure', `${detail.metric} ${num(detail.value)} (threshold ${num(detail.threshold)}, ${detail.severity})`]);
    if (detail.window_start) items.push(['Window', `${time(detail.window_start)} – ${time(detail.window_end)}`]);
  } else if (run.trigger_kind === 'dataset' && detail) {
    items.push(['Dataset', detail.uri ? html`<${UriLink} uri=${detail.uri} />` : detail.dataset]);
  } else if (run.trigger_kind === 'registry' && detail) {
    items.push(['Model', detail.uri ? html`<${UriLink} uri=${detail.uri} />` : detail.model], ['Event', detail.alias ? `alias @${detail.alias}` : detail.event]);
  } else if (run.trigger_kind === 'schedule' && detail) {
    items.push(['Scheduled', detail.scheduled_time_local || detail.scheduled_time], ['Missed', detail.missed]);
  } else if (detail) {
    items.push(['Detail', html`<code class="wrap">${run.trigger_detail}</code>`]);
  } else if (run.trigger_detail) {
    items.push(['Detail', run.trigger_detail]);
  }
  items.push(['By', run.actor]);
  return html`<${KeyValues} items=${items} />`;
}

function Produced({ steps, run }) {
  const items = [];
  for (const s of steps) {
    const o = s.outputs || {};
    if (s.type === 'register' && o.model) items.push([`${s.step} (register)`, html`<${UriLink} uri=${o.model} label=${o.model.replace(/^models:\/(.+)\/(\d+)$/, '$1 v$2')} />`]);
    else if (s.type === 'deploy' && o.endpoint) items.push([`${s.step} (deploy)`, html`<a href=${href('/endpoints/' + encodeURIComponent(o.endpoint))} data-testid="produced-endpoint">endpoint ${o.endpoint}</a>${o.model ? html` ← <${UriLink} uri=${o.model} />` : ''}${o.state ? html` <${Badge} value=${o.state} />` : ''}${o.rollout_id ? html` <span class="muted">rollout ${o.rollout_id}</span>` : ''}`]);
    else if (s.type === 'train' && o.run_id) items.push([`${s.step} (train)`, html`<a href=${href('/runs/' + o.run_id)}>training run ${short(o.run_id)}</a>`]);
    else if (s.type === 'gate' && o.decision) items.push([`${s.step} (gate)`, html`<${Badge} value=${o.decision} />`]);
  }
  if (run.mlflow_run_id) items.push(['MLflow run', html`<a href=${href('/runs/' + run.mlflow_run_id)}>${short(run.mlflow_run_id)}</a> <span class="muted">(each step is a child run)</span>`]);
  if (items.length === 0) return html`<p class="muted">Nothing yet.</p>`;
  return html`<${KeyValues} items=${items} />`;
}

function GateReport({ step }) {
  const where = runArtifact(step.outputs && step.outputs.report);
  const state = useApi(signal => where ? get('/get-artifact', { run_id: where.run, path: where.path }, { signal }).then(r => (typeof r === 'string' ? JSON.parse(r) : r)) : Promise.resolve(null), [where && where.run, where && where.path]);
  if (!where) return html`<p class="muted">The gate step has not written its report yet.</p>`;
  if (state.error) return html`<${ErrorBox} error=${state.error} title="Could not read the gate report" retry=${state.reload} />`;
  if (!state.data) return html`<${Loading} />`;
  const r = state.data;
  const g = r.gate || r;
  const checks = g.checks || [];
  const names = [...new Set([...Object.keys(g.champion_metrics || {}), ...Object.keys(g.challenger_metrics || {})])];
  return html`
    <div data-testid="gate-report">
      <p><${Badge} value=${g.decision || r.decision} /> ${(g.reasons || []).join('; ')}</p>
      <${KeyValues} items=${[
        ['Challenger', r.challenger && html`<${UriLink} uri=${r.challenger} />`],
        ['Champion', r.champion ? html`<${UriLink} uri=${r.champion} />` : (g.first_model ? `none (first model: ${g.first_model_policy})` : undefined)],
        ['Evaluated on', r.dataset && html`<${UriLink} uri=${r.dataset} /> <span class="muted">${num(g.rows)} rows</span>`],
        ['Significance level', g.alpha !== undefined ? `α = ${g.alpha}` : undefined],
        ['Report', html`<a href=${href('/runs/' + where.run, { artifact: where.path })}>${where.path}</a>`],
      ]} />
      <h3>Rules</h3>
      <${Table} rows=${checks} rowKey=${(c, i) => i} columns=${[
        { key: 'status', label: 'Result', render: c => html`<${Badge} value=${c.status || (c.passed ? 'passed' : 'failed')} />` },
        { key: 'name', label: 'Check', render: c => html`<strong>${c.name}</strong>${c.kind && c.kind !== 'metric' ? html` <span class="muted">${c.kind}</span>` : ''}` },
        { key: 'champion_value', label: 'Champion', align: 'right', render: c => num(c.champion_value) },
        { key: 'challenger_value', label: 'Challenger', align: 'right', render: c => num(c.challenger_value) },
        { key: 'delta', label: 'Δ', align: 'right', render: c => c.delta === undefined ? '—' : (c.delta > 0 ? '+' : '') + num(c.delta) },
        { key: 'rule', label: 'Rule', render: c => [c.bound !== undefined && `bound ${c.direction === 'lower_is_better' ? '≤' : '≥'} ${num(c.bound)}`, c.allowed_regression !== undefined && `regression ≤ ${num(c.allowed_regression)}`].filter(Boolean).join(', ') || '—' },
        { key: 'significance', label: 'Significance', render: c => c.significance ? html`<span title=${c.significance.requirement ? 'requirement: ' + c.significance.requirement : ''}>${c.significance.test} p=${num(c.significance.p_value, 3)} ${c.significance.significant ? html`<${Badge} value="significant" kind="good" />` : html`<span class="muted">not significant</span>`}</span>` : '—' },
        { key: 'reason', label: 'Why', render: c => html`<span class="wrap">${c.reason}</span>` },
      ]} />
      ${names.length > 0 && html`
        <h3>Metrics on the evaluation set</h3>
        <${Table} rows=${names} rowKey=${n => n} columns=${[
          { key: 'name', label: 'Metric', render: n => n },
          { key: 'champion', label: 'Champion', align: 'right', render: n => num((g.champion_metrics || {})[n]) },
          { key: 'challenger', label: 'Challenger', align: 'right', render: n => num((g.challenger_metrics || {})[n]) },
        ]} />`}
    </div>`;
}

function Logs({ id, steps, step, live }) {
  const state = useApi(signal => get(`${KEEL}/pipelines/runs/${id}/logs`, { step: step || undefined, max_results: 10000 }, { signal }), [id, step], { refreshMs: live ? 2000 : undefined });
  return html`
    <div class="toolbar">
      <label>Step <select aria-label="Log step" value=${step || ''} onChange=${e => setQuery({ step: e.target.value })}>
        <option value="">All steps</option>
        ${steps.map(s => html`<option value=${s.step}>${s.step}</option>`)}
      </select></label>
      ${live && html`<span class="muted">following…</span>`}
    </div>
    ${state.error ? html`<${ErrorBox} error=${state.error} retry=${state.reload} />` : !state.data ? html`<${Loading} />` :
      (state.data.lines || []).length === 0 ? html`<p class="muted">No log lines${step ? ' for this step' : ''} yet.</p>` : html`
      <pre class="logs" data-testid="step-logs">${state.data.lines.map(l => `${time(l.time).slice(11)} ${step ? '' : `[${l.step}${l.attempt > 1 ? ' #' + l.attempt : ''}] `}${l.line}\n`).join('')}</pre>`}`;
}

export default function PipelineRun({ params, query }) {
  const id = params.id;
  const [live, setLive] = useState(true);
  const [cancelling, setCancelling] = useState(false);
  const state = useApi(signal => load(id, signal), [id], { refreshMs: live ? 2000 : undefined });
  useEffect(() => { if (state.data) setLive(!FINISHED.has(state.data.run.state)); }, [state.data]);
  const run = state.data && state.data.run;
  const step = query.get('step') || '';
  const cancel = async () => {
    await post(`${KEEL}/pipelines/runs/${id}/cancel`, { reason: 'cancelled from the web UI' });
    setCancelling(false);
    state.reload();
  };
  return html`
    <${Page} title=${run ? `${run.pipeline} #${run.run_id}` : `Pipeline run #${id}`}
      crumbs=${[['Pipelines', href('/pipelines')], ...(run ? [[run.pipeline, href('/pipelines/' + encodeURIComponent(run.pipeline))]] : [])]}
      actions=${run && !FINISHED.has(run.state) && html`<button type="button" class="danger" onClick=${() => setCancelling(true)}>Cancel run</button>`}>
      <${Loaded} state=${state}>${({ run, steps, definition }) => {
        const gates = steps.filter(s => s.type === 'gate');
        return html`
          <p class="run-state">
            <${Badge} value=${run.state} /> ${' '}
            ${run.started_at ? html`started ${time(run.started_at)} (${ago(run.started_at)})` : html`created ${time(run.created_at)}`}
            ${run.finished_at ? html`, finished ${time(run.finished_at)}, took ${duration(run.finished_at - run.started_at)}` : ''}
            ${!FINISHED.has(run.state) && html` <span class="muted">· refreshing</span>`}
          </p>
          ${run.error && html`<div class="error-box" role="alert"><strong>The run failed</strong><p>${run.error}</p></div>`}
          <${PipelineDag} steps=${steps.map(s => ({ name: s.step, type: s.type, upstream: s.upstream, state: s.state, note: s.error }))}
            kinds=${edgeKinds(definition)} selected=${step} label=${`Steps of run ${run.run_id}`}
            stepHref=${s => href('/pipelines/runs/' + run.run_id, { step: s.name })} />
          <h2>Steps</h2>
          <${Table} rows=${steps} rowKey=${s => s.step} columns=${[
            { key: 'step', label: 'Step', render: s => html`<a href=${href('/pipelines/runs/' + run.run_id, { step: s.step })}>${s.step}</a>` },
            { key: 'type', label: 'Type' },
            { key: 'state', label: 'State', render: s => html`<${Badge} value=${s.state} />` },
            { key: 'attempt', label: 'Attempts', align: 'right', render: s => s.attempt },
            { key: 'duration', label: 'Duration', align: 'right', render: stepDuration },
            { key: 'cache', label: 'Cache', render: s => s.state === 'cached' ? html`hit${s.cached_from ? html` from <a href=${href('/pipelines/runs/' + s.cached_from)}>run #${s.cached_from}</a>` : ''}` : s.cache_key ? html`<span class="muted" title=${s.cache_key}>miss</span>` : html`<span class="muted">not cached</span>` },
            { key: 'outputs', label: 'Outputs', render: s => html`<span class="wrap">${Object.entries(s.outputs || {}).map(([k, v]) => html`<span class="output">${k}: ${uriHref(v) ? html`<${UriLink} uri=${v} />` : html`<code>${v}</code>`}</span> `)}</span>` },
            { key: 'mlflow_run_id', label: 'MLflow run', render: s => s.mlflow_run_id ? html`<a href=${href('/runs/' + s.mlflow_run_id)}>${short(s.mlflow_run_id)}</a>` : '—' },
            { key: 'error', label: 'Error', render: s => s.error ? html`<span class="wrap bad">${s.error}</span>` : '' },
          ]} />
          <div class="grid">
            <div class="card" data-testid="trigger"><h3>Triggered by</h3><${Trigger} run=${run} /></div>
            <div class="card" data-testid="produced"><h3>Produced</h3><${Produced} steps=${steps} run=${run} /></div>
          </div>
          ${gates.map(g => html`<h2>Gate report: ${g.step}</h2><${GateReport} step=${g} />`)}
          <h2>Logs</h2>
          <${Logs} id=${run.run_id} steps=${steps} step=${step} live=${!FINISHED.has(run.state)} />
          ${Object.keys(run.params || {}).length > 0 && html`<h2>Parameters</h2><${KeyValues} items=${Object.entries(run.params).map(([k, v]) => [k, uriHref(v) ? html`<${UriLink} uri=${v} />` : html`<code>${v}</code>`])} />`}
          <${Confirm} open=${cancelling} title=${`Cancel run #${run.run_id}?`} confirmLabel="Cancel run"
            body=${html`<p>Ends the run and its unfinished steps as cancelled and stops the workers running them. Finished steps keep their outputs.</p>`}
            onConfirm=${cancel} onCancel=${() => setCancelling(false)} />`;
      }}<//>
    <//>`;
}
