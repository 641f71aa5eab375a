// A pipeline: its DAG, parameters and triggers, its runs, a plan (which steps a run would run
// or take from the cache, and why) and "Run now".
import { html, Page, Loaded, Table, Badge, KeyValues, Confirm, ErrorBox, Loading } from '../lib/ui.js';
import { get, post, useApi, KEEL } from '../lib/api.js';
import { href, navigate, setQuery } from '../lib/router.js';
import { ago, time } from '../lib/format.js';
import { PipelineDag, edgeKinds } from '../lib/pipeline-dag.js';
import { runDuration } from './pipelines.js';
import { useState } from '../vendor/htm-preact.mjs';

async function load(name, signal) {
  const enc = encodeURIComponent(name);
  const [{ pipeline }, { runs }] = await Promise.all([
    get(`${KEEL}/pipelines/${enc}`, undefined, { signal }),
    get(`${KEEL}/pipelines/runs`, { pipeline: name, max_results: 100 }, { signal }),
  ]);
  return { pipeline, runs };
}

function Plan({ name, onClose }) {
  const state = useApi(signal => post(`${KEEL}/pipelines/${encodeURIComponent(name)}/plan`, {}, { signal }), [name]);
  return html`
    <section class="card plan" data-testid="plan">
      <div class="page-title-row"><h2>Plan</h2><button type="button" onClick=${onClose}>Close</button></div>
      <p class="muted">What a run started now would do. Nothing is run.</p>
      ${state.error ? html`<${ErrorBox} error=${state.error} retry=${state.reload} />` : !state.data ? html`<${Loading} />` : html`
        <${Table} rows=${state.data.steps || []} rowKey=${s => s.step} columns=${[
          { key: 'step', label: 'Step', render: s => html`<strong>${s.step}</strong>` },
          { key: 'type', label: 'Type' },
          { key: 'action', label: 'Would', render: s => html`<${Badge} value=${s.action} kind=${s.action === 'cached' ? 'good' : s.action === 'run' ? 'warn' : 'neutral'} />` },
          { key: 'reason', label: 'Why', render: s => html`<span class="wrap">${s.reason}${(s.changes || []).length ? html`<ul class="changes">${s.changes.map(c => html`<li class="mono">${c}</li>`)}</ul>` : ''}${s.cached_from ? html` <a href=${href('/pipelines/runs/' + s.cached_from)}>run #${s.cached_from}</a>` : ''}</span>` },
        ]} />`}
    </section>`;
}

export default function Pipeline({ params, query }) {
  const name = params.name;
  const state = useApi(signal => load(name, signal), [name], { refreshMs: 10_000 });
  const [confirm, setConfirm] = useState(false);
  const [values, setValues] = useState({});
  const showPlan = query.get('plan') === '1';
  const defaults = (state.data && state.data.pipeline.params) || {};
  const open = () => { setValues(Object.fromEntries(Object.entries(defaults).map(([k, v]) => [k, v ?? '']))); setConfirm(true); };
  const start = async () => {
    // Only what differs from the definition's defaults (and required values) is sent.
    const params = Object.fromEntries(Object.entries(values).filter(([k, v]) => v !== '' && v !== defaults[k]));
    const answer = await post(`${KEEL}/pipelines/${encodeURIComponent(name)}/runs`, Object.keys(params).length ? { params } : {});
    setConfirm(false);
    navigate('/pipelines/runs/' + answer.run.run_id);
  };
  return html`
    <${Page} title=${name} crumbs=${[['Pipelines', href('/pipelines')]]}
      subtitle=${state.data && state.data.pipeline.description}
      actions=${html`
        <button type="button" onClick=${() => setQuery({ plan: showPlan ? '' : '1' })} aria-pressed=${showPlan}>Plan</button>
        <button type="button" class="primary" onClick=${open} disabled=${!state.data}>Run now</button>`}>
      <${Loaded} state=${state}>${({ pipeline, runs }) => html`
        ${showPlan && html`<${Plan} name=${name} onClose=${() => setQuery({ plan: '' })} />`}
        <h2>Steps</h2>
        <${PipelineDag} steps=${pipeline.steps} kinds=${edgeKinds(pipeline.definition)} label=${`Steps of ${name}`} />
        <div class="grid">
          <div class="card">
            <h3>Definition</h3>
            <${KeyValues} items=${[
              ['Version', `v${pipeline.version}`],
              ['Concurrency', pipeline.concurrency],
              ['Dedupe key', pipeline.dedupe_key && html`<code>${pipeline.dedupe_key}</code>`],
              ['Updated', `${time(pipeline.updated_at)} (${ago(pipeline.updated_at)})`],
              ['Hash', html`<code class="wrap">${pipeline.hash}</code>`],
            ]} />
            ${pipeline.definition && html`<details><summary>Definition as applied</summary><pre>${pipeline.definition}</pre></details>`}
          </div>
          <div class="card">
            <h3>Parameters</h3>
            ${Object.keys(pipeline.params || {}).length === 0 ? html`<p class="muted">None.</p>` : html`<${KeyValues} items=${Object.entries(pipeline.params).map(([k, v]) => [k, v === null ? html`<em>required</em>` : html`<code>${v}</code>`])} />`}
            <h3>Triggers</h3>
            ${(pipeline.triggers || []).length === 0 ? html`<p class="muted">None: it runs by hand (<code>keel pipelines run ${name}</code>).</p>` : html`
              <ul class="plain">${pipeline.triggers.map(t => html`<li><${Badge} value=${t.kind} kind="neutral" /> <strong>${t.name}</strong>: ${t.summary}</li>`)}</ul>`}
          </div>
        </div>
        <h2>Runs</h2>
        <${Table} rows=${runs} rowKey=${r => r.run_id} rowHref=${r => href('/pipelines/runs/' + r.run_id)} empty="No run yet: Run now, or wait for a trigger." columns=${[
          { key: 'run_id', label: 'Run', render: r => `#${r.run_id}` },
          { key: 'state', label: 'State', render: r => html`<${Badge} value=${r.state} />` },
          { key: 'trigger', label: 'Trigger', render: r => r.trigger_name ? `${r.trigger_kind}: ${r.trigger_name}` : r.trigger_kind },
          { key: 'pipeline_version', label: 'Version', align: 'right', render: r => `v${r.pipeline_version}` },
          { key: 'created_at', label: 'Created', render: r => time(r.created_at) },
          { key: 'started_at', label: 'Started', render: r => time(r.started_at) },
          { key: 'finished_at', label: 'Finished', render: r => time(r.finished_at) },
          { key: 'duration', label: 'Duration', align: 'right', render: runDuration },
        ]} />
        <${Confirm} open=${confirm} title=${`Run ${name} now?`} confirmLabel="Run now" danger=${false}
          body=${html`<p>Starts a run of <strong>${name}</strong> v${pipeline.version}. Steps with a cache hit are reused; ${pipeline.steps.filter(s => ['gate', 'register', 'deploy'].includes(s.type)).length > 0 ? 'its gate, register and deploy steps always run and can change the registry and serving.' : 'the others run.'}</p>
            ${Object.keys(values).length > 0 && html`<fieldset class="run-params"><legend>Parameters</legend>
              ${Object.entries(values).map(([k, v]) => html`<label>${k}${defaults[k] === null ? ' (required)' : ''}<input name=${k} value=${v} required=${defaults[k] === null} onInput=${e => setValues(o => ({ ...o, [k]: e.target.value }))} /></label>`)}
            </fieldset>`}`}
          onConfirm=${start} onCancel=${() => setConfirm(false)} />`}<//>
    <//>`;
}
