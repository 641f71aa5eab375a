// Overview: the state of the loop at a glance (what is served, what fired, what ran), each
// figure a link to its page. A fresh server says how to fill it.
import { html, Page, Loaded, Empty, Stat, Badge, Table } from '../lib/ui.js';
import { get, post, useApi, MLFLOW, KEEL } from '../lib/api.js';
import { href } from '../lib/router.js';
import { ago, num } from '../lib/format.js';

async function loadOverview(signal) {
  const opt = (p) => p.catch(e => (e.name === 'AbortError' ? Promise.reject(e) : { failed: e }));
  const [experiments, models, endpoints, alerts, runs, datasets] = await Promise.all([
    opt(post(`${MLFLOW}/experiments/search`, { max_results: 1000 }, { signal })),
    opt(get(`${MLFLOW}/registered-models/search`, { max_results: 1000 }, { signal })),
    opt(get(`${KEEL}/endpoints`, undefined, { signal })),
    opt(get(`${KEEL}/alerts`, undefined, { signal })),
    opt(get(`${KEEL}/pipelines/runs`, { max_results: 10 }, { signal })),
    opt(get(`${KEEL}/datasets`, undefined, { signal })),
  ]);
  return {
    experiments: experiments.experiments || [],
    models: models.registered_models || [],
    endpoints: (endpoints.endpoints || []).map(e => e.endpoint || e),
    alerts: alerts.alerts || [],
    runs: runs.runs || [],
    datasets: datasets.datasets || [],
    failed: [experiments, models, endpoints, alerts, runs, datasets].filter(x => x.failed).map(x => x.failed),
  };
}

export default function Home() {
  const state = useApi(loadOverview, [], { refreshMs: 10_000 });
  return html`
    <${Page} title="Overview" subtitle="The loop at a glance: data, experiments, models, endpoints, monitoring and pipelines.">
      <${Loaded} state=${state}>${(d) => {
        const nothing = d.experiments.length <= 1 && d.models.length === 0 && d.endpoints.length === 0 && d.datasets.length === 0;
        if (nothing) {
          return html`<${Empty} title="Nothing here yet"
            hint="Run the quickstart to fill this server with a whole loop: a dataset, tuned runs, a registered model, an endpoint with a canary, drift, an alert and a retraining pipeline."
            command="keel quickstart" />`;
        }
        const firing = d.alerts.filter(a => a.state === 'firing');
        return html`
          <div class="stats">
            <${Stat} label="Experiments" value=${num(d.experiments.length)} to=${href('/experiments')} />
            <${Stat} label="Registered models" value=${num(d.models.length)} to=${href('/models')} />
            <${Stat} label="Endpoints" value=${num(d.endpoints.length)} to=${href('/endpoints')} />
            <${Stat} label="Firing alerts" value=${num(firing.length)} to=${href('/alerts')} tone=${firing.length ? 'bad' : 'good'} />
            <${Stat} label="Datasets" value=${num(d.datasets.length)} to=${href('/datasets')} />
            <${Stat} label="Pipeline runs" value=${num(d.runs.length)} to=${href('/pipelines')} />
          </div>
          <div class="grid">
            <div class="card">
              <h2>Endpoints</h2>
              ${d.endpoints.length === 0 ? html`<p class="muted">No endpoint yet: <code>keel endpoints create</code>.</p>` : html`
                <${Table} rows=${d.endpoints} rowKey=${e => e.name} rowHref=${e => href('/endpoints/' + encodeURIComponent(e.name))} columns=${[
                  { key: 'name', label: 'Name' },
                  { key: 'routes', label: 'Serving', render: e => (e.routes || []).filter(r => r.weight > 0).map(r => `${r.model_uri} (${r.weight}%)`).join(', ') },
                  { key: 'rollout', label: 'Rollout', render: e => e.rollout ? html`<${Badge} value=${e.rollout.state} />` : '—' },
                ]} />`}
            </div>
            <div class="card">
              <h2>Alerts</h2>
              ${d.alerts.length === 0 ? html`<p class="muted">No alert has fired.</p>` : html`
                <${Table} rows=${d.alerts.slice(0, 8)} rowKey=${a => a.id} rowHref=${a => href('/alerts/' + a.id)} columns=${[
                  { key: 'rule', label: 'Rule' },
                  { key: 'state', label: 'State', render: a => html`<${Badge} value=${a.state} />` },
                  { key: 'value', label: 'Value', align: 'right', render: a => `${num(a.value)} / ${num(a.threshold)}` },
                  { key: 'opened_at', label: 'Opened', render: a => ago(a.opened_at) },
                ]} />`}
            </div>
            <div class="card">
              <h2>Recent pipeline runs</h2>
              ${d.runs.length === 0 ? html`<p class="muted">No pipeline has run: <code>keel pipelines init</code> writes one to start from.</p>` : html`
                <${Table} rows=${d.runs} rowKey=${r => r.run_id} rowHref=${r => href('/pipelines/runs/' + r.run_id)} columns=${[
                  { key: 'run_id', label: 'Run', render: r => `${r.pipeline} #${r.run_id}` },
                  { key: 'state', label: 'State', render: r => html`<${Badge} value=${r.state} />` },
                  { key: 'trigger_kind', label: 'Trigger' },
                  { key: 'created_at', label: 'Started', render: r => ago(r.started_at || r.created_at) },
                ]} />`}
            </div>
            <div class="card">
              <h2>Registered models</h2>
              ${d.models.length === 0 ? html`<p class="muted">No registered model: <code>keel models register</code>.</p>` : html`
                <${Table} rows=${d.models.slice(0, 8)} rowKey=${m => m.name} rowHref=${m => href('/models/' + encodeURIComponent(m.name))} columns=${[
                  { key: 'name', label: 'Name' },
                  { key: 'latest', label: 'Latest', render: m => (m.latest_versions || []).map(v => 'v' + v.version).join(', ') || '—' },
                  { key: 'aliases', label: 'Aliases', render: m => (m.aliases || []).map(a => `@${a.alias} → v${a.version}`).join(', ') || '—' },
                ]} />`}
            </div>
          </div>
          ${d.failed.length > 0 && html`<p class="muted">Some figures could not be read: ${d.failed.map(e => e.message).join('; ')}</p>`}`;
      }}<//>
    <//>`;
}
