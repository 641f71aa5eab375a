// One model version: details, tags, its source run with the run's metrics and params, its
// lineage picture and the endpoints that serve it (directly or through an alias).
import { html, useState } from '../vendor/htm-preact.mjs';
import { Page, Loaded, Table, Badge, KeyValues } from '../lib/ui.js';
import { get, withQuery, useApi, MLFLOW, KEEL } from '../lib/api.js';
import { href } from '../lib/router.js';
import { ago, num, time } from '../lib/format.js';
import { flatRun } from '../lib/run-batch.js';

async function loadVersion(name, version, signal) {
  const optional = (p) => p.catch(e => (e.name === 'AbortError' ? Promise.reject(e) : { failed: e }));
  const [answer, model, endpoints] = await Promise.all([
    get(`${MLFLOW}/model-versions/get`, { name, version }, { signal }),
    optional(get(`${MLFLOW}/registered-models/get`, { name }, { signal })),
    optional(get(`${KEEL}/endpoints`, undefined, { signal })),
  ]);
  const v = answer.model_version;
  const run = v.run_id ? await optional(get(`${MLFLOW}/runs/get`, { run_id: v.run_id }, { signal })) : null;
  return {
    version: v,
    aliases: (model.registered_model?.aliases || []).filter(a => String(a.version) === String(version)).map(a => a.alias),
    run: run && !run.failed ? flatRun(run.run) : null,
    runError: run && run.failed,
    endpoints: (endpoints.endpoints || []).map(e => e.endpoint || e),
    endpointsError: endpoints.failed,
  };
}

/** The routes of the endpoints that serve this version, by number or through one of its aliases. */
function servingRoutes(endpoints, name, version, aliases) {
  const uris = new Set([`models:/${name}/${version}`, ...aliases.map(a => `models:/${name}@${a}`)]);
  const out = [];
  for (const e of endpoints) for (const r of e.routes || []) if (uris.has(r.model_uri)) out.push({ endpoint: e.name, ...r });
  return out;
}

export default function ModelVersion({ params }) {
  const { name, version } = params;
  const state = useApi(signal => loadVersion(name, version, signal), [name, version]);
  const modelHref = href('/models/' + encodeURIComponent(name));
  return html`
    <${Page} title=${`${name} version ${version}`} crumbs=${[['Models', href('/models')], [name, modelHref]]}>
      <${Loaded} state=${state}>${(d) => html`<${VersionView} name=${name} number=${version} data=${d} />`}<//>
    <//>`;
}

function VersionView({ name, number, data }) {
  const { version: v, aliases, run, runError, endpoints, endpointsError } = data;
  const uri = `models:/${name}/${number}`;
  const routes = servingRoutes(endpoints, name, number, aliases);
  const [lineageFailed, setLineageFailed] = useState(false);
  const lineageSrc = withQuery(`${KEEL}/lineage`, { uri, format: 'svg' });
  const metrics = run ? Object.entries(run.metrics).sort(([a], [b]) => a.localeCompare(b)) : [];
  const params = run ? Object.entries(run.params).sort(([a], [b]) => a.localeCompare(b)) : [];
  return html`
    <div class="model-grid">
      <div class="card">
        <h2>Details</h2>
        <${KeyValues} items=${[
          ['URI', html`<code>${uri}</code>`],
          ['Stage', html`<${Badge} value=${v.current_stage || 'None'} kind=${!v.current_stage || v.current_stage === 'None' ? 'neutral' : undefined} />`],
          ['Aliases', aliases.length ? aliases.map(a => html`<${Badge} value=${'@' + a} kind=${a === 'champion' ? 'good' : 'neutral'} /> `) : html`<span class="muted">none</span>`],
          ['Status', html`<${Badge} value=${v.status} />`],
          ['Source run', v.run_id ? html`<a data-testid="source-run" href=${href('/runs/' + v.run_id)}>${run ? run.name : v.run_id}</a>` : html`<span class="muted">none</span>`],
          ['Source', html`<code>${v.source}</code>`],
          ['Created', `${time(v.creation_timestamp)} (${ago(v.creation_timestamp)})`],
          ['Updated', time(v.last_updated_timestamp)],
          ['By', v.user_id],
          ['Description', v.description],
        ]} />
      </div>
      <div class="card">
        <h2>Served by</h2>
        ${endpointsError ? html`<p class="muted">Endpoints could not be read: ${endpointsError.message}</p>`
          : routes.length === 0 ? html`<p class="muted">No endpoint serves this version. Deploy it with <code>keel endpoints create NAME --model ${uri}</code>.</p>`
            : html`<${Table} rows=${routes} rowKey=${r => r.endpoint + r.model_uri} rowHref=${r => href('/endpoints/' + encodeURIComponent(r.endpoint))} columns=${[
              { key: 'endpoint', label: 'Endpoint' },
              { key: 'weight', label: 'Traffic', align: 'right', render: r => `${num(r.weight)}%` },
              { key: 'role', label: 'Role', render: r => r.role ? html`<${Badge} value=${r.role} />` : '—' },
              { key: 'model_uri', label: 'Route', render: r => html`<code>${r.model_uri}</code>` },
            ]} />`}
      </div>
      <div class="card">
        <h2>Tags</h2>
        ${(v.tags || []).length === 0 ? html`<p class="muted">No tags.</p>`
          : html`<${KeyValues} items=${v.tags.map(t => [t.key, t.value])} />`}
      </div>
    </div>
    <section class="card compare-card">
      <div class="toolbar">
        <h2>Lineage</h2>
        <a href=${href('/lineage', { uri })}>Open in the lineage view →</a>
      </div>
      ${lineageFailed ? html`<p class="muted">The lineage picture could not be drawn for <code>${uri}</code>.</p>` : html`
        <a href=${href('/lineage', { uri })} class="graph">
          <img class="lineage-img" data-testid="lineage" src=${lineageSrc} alt=${`Lineage of ${uri}: the datasets and runs it came from and the endpoints that serve it`} onError=${() => setLineageFailed(true)} />
        </a>`}
    </section>
    <div class="model-grid">
      <div class="card">
        <h2>Run metrics</h2>
        ${runError ? html`<p class="muted">The source run could not be read: ${runError.message}</p>`
          : !run ? html`<p class="muted">This version has no source run.</p>`
            : html`<${Table} rows=${metrics} rowKey=${m => m[0]} empty="The run logged no metrics." columns=${[
              { key: 'k', label: 'Metric', render: m => html`<span class="mono">${m[0]}</span>` },
              { key: 'v', label: 'Latest', align: 'right', render: m => num(m[1]) },
            ]} />`}
      </div>
      <div class="card">
        <h2>Run params</h2>
        ${run && html`<${Table} rows=${params} rowKey=${p => p[0]} empty="The run logged no params." columns=${[
          { key: 'k', label: 'Param', render: p => html`<span class="mono">${p[0]}</span>` },
          { key: 'v', label: 'Value', render: p => html`<span title=${p[1]}>${p[1].length > 60 ? p[1].slice(0, 59) + '…' : p[1]}</span>` },
        ]} />`}
      </div>
    </div>`;
}
