// Endpoints: what each one serves (routes with their traffic shares), in which environment and
// mode, and whether a rollout is running.
import { html, Page, Loaded, Empty, Badge, Table } from '../lib/ui.js';
import { useApi } from '../lib/api.js';
import { href, setQuery } from '../lib/router.js';
import { num } from '../lib/format.js';
import { listEndpoints, TrafficBar } from '../lib/serving.js';

export default function Endpoints({ query }) {
  const state = useApi(listEndpoints, [], { refreshMs: 10_000 });
  const filter = (query.get('q') || '').toLowerCase();
  const env = query.get('env') || '';
  return html`
    <${Page} title="Endpoints" subtitle="Models served over HTTP: routes, traffic shares and rollouts.">
      <${Loaded} state=${state}>${(all) => {
        if (all.length === 0) {
          return html`<${Empty} title="No endpoint yet" hint="Serve a registered model version behind an endpoint; then roll out new versions with a canary."
            command="keel endpoints create my-endpoint --model models:/my-model/1" />`;
        }
        const envs = [...new Set(all.map(e => e.endpoint.environment))].sort();
        const rows = all.filter(({ endpoint: e }) => (!env || e.environment === env)
          && (!filter || e.name.toLowerCase().includes(filter) || e.routes.some(r => r.model_uri.toLowerCase().includes(filter))));
        return html`
          <div class="toolbar">
            <input type="search" data-search placeholder="Filter by name or model URI" aria-label="Filter endpoints" value=${query.get('q') || ''}
              onInput=${e => setQuery({ q: e.target.value })} />
            <select aria-label="Environment" value=${env} onChange=${e => setQuery({ env: e.target.value })}>
              <option value="">All environments</option>
              ${envs.map(v => html`<option value=${v}>${v}</option>`)}
            </select>
          </div>
          <${Table} rows=${rows} rowKey=${r => r.endpoint.name} rowHref=${r => href('/endpoints/' + encodeURIComponent(r.endpoint.name))}
            empty="No endpoint matches the filter."
            columns=${[
              { key: 'name', label: 'Name', render: r => r.endpoint.name },
              { key: 'environment', label: 'Environment', render: r => html`<${Badge} value=${r.endpoint.environment} kind="neutral" />` },
              { key: 'mode', label: 'Mode', render: r => r.endpoint.mode },
              { key: 'routes', label: 'Routes', render: r => html`
                <div class="route-cell">
                  <${TrafficBar} routes=${r.endpoint.routes} compact=${true} />
                  ${r.endpoint.routes.map(x => html`<div class=${x.weight > 0 ? 'mono' : 'mono muted'}>${x.model_uri} ${x.weight}%${x.weight === 0 ? ` (${x.role})` : ''}</div>`)}
                </div>` },
              { key: 'rollout', label: 'Rollout', render: r => r.endpoint.rollout
                ? html`<${Badge} value=${r.endpoint.rollout.state === 'running' ? `running · ${r.endpoint.rollout.steps[r.endpoint.rollout.step_index]}%` : r.endpoint.rollout.state} />`
                : html`<span class="muted">none</span>` },
              { key: 'requests', label: 'Requests', align: 'right', title: 'Since the server started', render: r => num((r.live || []).reduce((n, x) => n + x.requests, 0)) },
            ]} />`;
      }}<//>
    <//>`;
}
