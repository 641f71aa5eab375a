// Datasets: every versioned dataset with its latest version, aliases and last change; a filter
// that lives in the URL.
import { html, Page, Loaded, Empty, Table } from '../lib/ui.js';
import { get, useApi, readAll, KEEL } from '../lib/api.js';
import { href, setQuery } from '../lib/router.js';
import { ago, time } from '../lib/format.js';

export default function Datasets({ query }) {
  const state = useApi(signal => readAll(token => get(`${KEEL}/datasets`, { max_results: 1000, page_token: token }, { signal }), 'datasets'), []);
  const q = query.get('q') || '';
  return html`
    <${Page} title="Datasets" subtitle="Versioned data: each version is content-addressed, profiled and checked by the dataset's suite.">
      <${Loaded} state=${state}>${(all) => {
        if (all.length === 0) {
          return html`<${Empty} title="No dataset yet" hint="Add a CSV, Parquet or JSON Lines file (or a directory) as a versioned dataset; it is profiled and validated as it is added." command="keel data add data/churn.csv --name churn" />`;
        }
        const needle = q.toLowerCase();
        const rows = all.filter(d => !needle || d.name.toLowerCase().includes(needle) || (d.description || '').toLowerCase().includes(needle));
        return html`
          <div class="toolbar">
            <input type="search" data-search placeholder="Filter by name or description" aria-label="Filter datasets" value=${q} onInput=${e => setQuery({ q: e.target.value })} />
            <span class="muted">${rows.length} of ${all.length}</span>
          </div>
          <${Table} rows=${rows} rowKey=${d => d.name} rowHref=${d => href('/datasets/' + encodeURIComponent(d.name))} empty="No dataset matches the filter." columns=${[
            { key: 'name', label: 'Name' },
            { key: 'description', label: 'Description', render: d => html`<span class="wrap">${d.description || '—'}</span>` },
            { key: 'latest_version', label: 'Latest', align: 'right', render: d => d.latest_version ? html`<a href=${href(`/datasets/${encodeURIComponent(d.name)}/versions/${d.latest_version}`)}>v${d.latest_version}</a>` : '—' },
            { key: 'aliases', label: 'Aliases', render: d => Object.entries(d.aliases || {}).map(([a, v]) => `@${a} → v${v}`).join(', ') || '—' },
            { key: 'suite', label: 'Suite', render: d => d.suite ? 'gated' : '—' },
            { key: 'updated_at', label: 'Updated', render: d => html`<span title=${time(d.updated_at)}>${ago(d.updated_at)}</span>` },
          ]} />`;
      }}<//>
    <//>`;
}
