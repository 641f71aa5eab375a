// Experiments: every experiment by last update, searchable by name (MLflow's
// `name LIKE '%x%'` filter, so the server does the matching), each a link to its runs table.
import { html, Page, Loaded, Empty, Table } from '../lib/ui.js';
import { post, useApi, MLFLOW } from '../lib/api.js';
import { href, setQuery } from '../lib/router.js';
import { ago, time } from '../lib/format.js';
import { useEffect, useState } from '../vendor/htm-preact.mjs';

/** A LIKE pattern that matches the typed text literally (% and _ would be wildcards, ' ends the string). */
function likeFilter(text) {
  const t = text.trim();
  if (!t) return undefined;
  return `name LIKE '%${t.replace(/'/g, "\\'")}%'`;
}

export default function Experiments({ query }) {
  const q = query.get('q') || '';
  const deleted = query.get('deleted') === '1';
  const [typed, setTyped] = useState(q);
  useEffect(() => setTyped(q), [q]);
  // Debounced: each keystroke would otherwise be a request.
  useEffect(() => {
    if (typed === q) return undefined;
    const t = setTimeout(() => setQuery({ q: typed }), 200);
    return () => clearTimeout(t);
  }, [typed]);

  const state = useApi(signal => post(`${MLFLOW}/experiments/search`, {
    max_results: 1000,
    filter: likeFilter(q),
    order_by: ['last_update_time DESC'],
    view_type: deleted ? 'ALL' : 'ACTIVE_ONLY',
  }, { signal }), [q, deleted]);

  return html`
    <${Page} title="Experiments" subtitle="Each experiment groups the runs of one question: its runs table filters, sorts, groups and compares them.">
      <div class="toolbar">
        <input type="search" data-search placeholder="Search experiments by name" aria-label="Search experiments by name"
          value=${typed} onInput=${e => setTyped(e.target.value)} />
        <label class="check"><input type="checkbox" checked=${deleted} onChange=${e => setQuery({ deleted: e.target.checked ? '1' : '' })} /> Show deleted</label>
      </div>
      <${Loaded} state=${state}>${(d) => {
        const rows = d.experiments || [];
        if (rows.length === 0 && !q) {
          return html`<${Empty} title="No experiments yet" hint="Log a run (keel train, or any MLflow client pointed at this server) and its experiment appears here." command="keel quickstart" />`;
        }
        return html`
          <div data-testid="experiments-table">
            <${Table} rows=${rows} rowKey=${e => e.experiment_id} rowHref=${e => href('/experiments/' + e.experiment_id)}
              empty=${`No experiment matches “${q}”.`}
              columns=${[
                { key: 'name', label: 'Name' },
                { key: 'experiment_id', label: 'ID', render: e => html`<span class="mono">${e.experiment_id}</span>` },
                { key: 'lifecycle_stage', label: 'State', render: e => e.lifecycle_stage === 'deleted' ? 'deleted' : 'active' },
                { key: 'last_update_time', label: 'Last update', render: e => html`<span title=${time(e.last_update_time)}>${ago(e.last_update_time)}</span>` },
                { key: 'creation_time', label: 'Created', render: e => time(e.creation_time) },
                { key: 'description', label: 'Description', render: e => ((e.tags || []).find(t => t.key === 'mlflow.note.content') || {}).value || '' },
              ]} />
          </div>`;
      }}<//>
    <//>`;
}
