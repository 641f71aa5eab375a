// Registered models: search by name, latest versions, aliases, tags and descriptions, paged.
import { html, useState, useEffect } from '../vendor/htm-preact.mjs';
import { Page, Loaded, Empty, Table, Badge } from '../lib/ui.js';
import { get, useApi, MLFLOW } from '../lib/api.js';
import { href, setQuery } from '../lib/router.js';
import { ago } from '../lib/format.js';

const PAGE = 50;

const quoteLike = (s) => `'%${s.replace(/'/g, "\\'")}%'`;

export default function Models({ query }) {
  const q = query.get('q') || '';
  const token = query.get('page') || '';
  const [typed, setTyped] = useState(q);
  const [history, setHistory] = useState([]); // tokens of earlier pages, for Previous
  useEffect(() => setTyped(q), [q]);
  const state = useApi(signal => get(`${MLFLOW}/registered-models/search`, {
    filter: q ? `name ILIKE ${quoteLike(q)}` : undefined,
    max_results: PAGE,
    order_by: 'name ASC',
    page_token: token || undefined,
  }, { signal }), [q, token]);
  const search = (e) => { e.preventDefault(); setHistory([]); setQuery({ q: typed.trim(), page: '' }); };
  return html`
    <${Page} title="Models" subtitle="Registered models with their latest versions and aliases. Open one to see its versions, move an alias or change a stage.">
      <form class="toolbar" onSubmit=${search} role="search">
        <input type="search" data-search placeholder="Filter by name (press / to focus)" aria-label="Filter models by name" value=${typed} onInput=${e => setTyped(e.target.value)} />
        <button type="submit">Search</button>
      </form>
      <${Loaded} state=${state}>${(d) => {
        const models = d.registered_models || [];
        if (models.length === 0 && !q && !token) {
          return html`<${Empty} title="No registered model yet"
            hint="Register a model from a run's logged model; the quickstart registers breast-cancer with three versions."
            command="keel models register NAME runs:/RUN_ID/model" />`;
        }
        return html`
          <${Table} rows=${models} rowKey=${m => m.name} rowHref=${m => href('/models/' + encodeURIComponent(m.name))}
            empty=${q ? `No model name contains "${q}".` : 'No more models.'}
            columns=${[
              { key: 'name', label: 'Name' },
              { key: 'latest', label: 'Latest versions', render: m => (m.latest_versions || []).map(v => html`<a href=${href(`/models/${encodeURIComponent(m.name)}/versions/${v.version}`)}>v${v.version}</a>${v.current_stage && v.current_stage !== 'None' ? html` <${Badge} value=${v.current_stage} />` : ''} `) },
              { key: 'aliases', label: 'Aliases', render: m => (m.aliases || []).map(a => html`<span class="tag">@${a.alias} → v${a.version}</span>`) },
              { key: 'tags', label: 'Tags', render: m => (m.tags || []).map(t => html`<span class="tag">${t.key}=${t.value}</span>`) },
              { key: 'description', label: 'Description', render: m => m.description || html`<span class="muted">—</span>` },
              { key: 'updated', label: 'Updated', render: m => ago(m.last_updated_timestamp) },
            ]} />
          <div class="toolbar pager">
            <button type="button" disabled=${!token} onClick=${() => { const prev = history[history.length - 1] || ''; setHistory(h => h.slice(0, -1)); setQuery({ page: prev }); }}>← Previous</button>
            <button type="button" disabled=${!d.next_page_token} onClick=${() => { setHistory(h => [...h, token]); setQuery({ page: d.next_page_token }); }}>Next →</button>
            <span class="muted">${models.length} model${models.length === 1 ? '' : 's'} on this page</span>
          </div>`;
      }}<//>
    <//>`;
}
