// Pipelines: each pipeline at its latest version with its triggers and how its last run went;
// below, the most recent runs of every pipeline.
import { html, Page, Loaded, Empty, Table, Badge } from '../lib/ui.js';
import { get, useApi, KEEL } from '../lib/api.js';
import { href, setQuery } from '../lib/router.js';
import { ago, time, duration } from '../lib/format.js';

async function load(signal) {
  const [{ pipelines }, { runs }] = await Promise.all([
    get(`${KEEL}/pipelines`, undefined, { signal }),
    get(`${KEEL}/pipelines/runs`, { max_results: 50 }, { signal }),
  ]);
  // The last run of each pipeline (a pipeline whose runs are older than the 50 newest asks for its own).
  const last = new Map();
  for (const r of runs) if (!last.has(r.pipeline)) last.set(r.pipeline, r);
  await Promise.all(pipelines.filter(p => !last.has(p.name)).map(async p => {
    const own = await get(`${KEEL}/pipelines/runs`, { pipeline: p.name, max_results: 1 }, { signal });
    if (own.runs && own.runs[0]) last.set(p.name, own.runs[0]);
  }));
  return { pipelines: pipelines.map(p => ({ ...p, last: last.get(p.name) })), runs };
}

export function runDuration(r) {
  if (!r || !r.started_at) return '—';
  return duration((r.finished_at || Date.now()) - r.started_at);
}

export default function Pipelines({ query }) {
  const state = useApi(load, [], { refreshMs: 10_000 });
  const q = query.get('q') || '';
  return html`
    <${Page} title="Pipelines" subtitle="DAGs of steps run on triggers (schedules, new data, alerts, registry events) or by hand, cached step by step.">
      <${Loaded} state=${state}>${({ pipelines, runs }) => {
        if (pipelines.length === 0) {
          return html`<${Empty} title="No pipeline yet" hint="Write a definition from a template, then apply it; it runs on its triggers or by hand." command=${'keel pipelines init --template classification --dataset churn --label churned\nkeel pipelines apply retrain-churn.yaml'} />`;
        }
        const needle = q.toLowerCase();
        const rows = pipelines.filter(p => !needle || p.name.toLowerCase().includes(needle) || (p.description || '').toLowerCase().includes(needle));
        return html`
          <div class="toolbar">
            <input type="search" data-search placeholder="Filter by name or description" aria-label="Filter pipelines" value=${q} onInput=${e => setQuery({ q: e.target.value })} />
            <span class="muted">${rows.length} of ${pipelines.length}</span>
          </div>
          <${Table} rows=${rows} rowKey=${p => p.name} rowHref=${p => href('/pipelines/' + encodeURIComponent(p.name))} empty="No pipeline matches the filter." columns=${[
            { key: 'name', label: 'Name' },
            { key: 'version', label: 'Version', align: 'right', render: p => `v${p.version}` },
            { key: 'description', label: 'Description', render: p => html`<span class="wrap">${p.description || '—'}</span>` },
            { key: 'steps', label: 'Steps', align: 'right', render: p => (p.steps || []).length },
            { key: 'triggers', label: 'Triggers', render: p => (p.triggers || []).length === 0 ? html`<span class="muted">by hand</span>`
              : html`<span class="wrap">${p.triggers.map(t => html`<span class="trigger" title=${t.summary}><${Badge} value=${t.kind} kind="neutral" /> ${t.name}</span> `)}</span>` },
            { key: 'last', label: 'Last run', render: p => p.last ? html`<a href=${href('/pipelines/runs/' + p.last.run_id)} data-testid="last-run">#${p.last.run_id} <${Badge} value=${p.last.state} /></a> <span class="muted" title=${time(p.last.created_at)}>${ago(p.last.created_at)}</span>` : html`<span class="muted">never</span>` },
          ]} />
          <h2>Recent runs</h2>
          <${Table} rows=${runs.slice(0, 20)} rowKey=${r => r.run_id} rowHref=${r => href('/pipelines/runs/' + r.run_id)} empty="No run yet." columns=${[
            { key: 'run_id', label: 'Run', render: r => `${r.pipeline} #${r.run_id}` },
            { key: 'state', label: 'State', render: r => html`<${Badge} value=${r.state} />` },
            { key: 'trigger_kind', label: 'Trigger', render: r => r.trigger_name ? `${r.trigger_kind}: ${r.trigger_name}` : r.trigger_kind },
            { key: 'created_at', label: 'Started', render: r => html`<span title=${time(r.started_at || r.created_at)}>${ago(r.started_at || r.created_at)}</span>` },
            { key: 'duration', label: 'Duration', align: 'right', render: runDuration },
          ]} />`;
      }}<//>
    <//>`;
}
