// One experiment's runs: MLflow's filter syntax, server-side sorting by any column, a column
// chooser, grouping with aggregates, child runs under their parent, and paging 100 runs at a
// time so a 10,000-run experiment shows its first rows at once. The whole layout lives in the
// URL (filter, sort, desc, cols, group, agg, flat, pages) and can be saved as a named view, an
// experiment tag keel.ui.view.<name> that every backend stores.
import { html, Page, Loaded, Empty, ErrorBox, Loading, Badge, Table } from '../lib/ui.js';
import { get, post, useApi, MLFLOW } from '../lib/api.js';
import { href, navigate, setQuery } from '../lib/router.js';
import { duration, num, time, short } from '../lib/format.js';
import { toRow, valueOf, orderClause, keysOf, commonMetrics, nest, group, savedViews, parseColumn, VIEW_TAG } from '../lib/runs-table.js';
import { useEffect, useRef, useState } from '../vendor/htm-preact.mjs';

const PAGE = 100;
const NONE = '-';

/** Loads pages of runs/search: the first at once, `want` pages on a reload of a URL, more on demand. */
function useRunPages(experimentId, filter, orderBy, want) {
  const [state, setState] = useState({ rows: [], token: null, loading: true, error: null, more: false });
  const generation = useRef(0);
  const fetchPage = (token, signal) => post(`${MLFLOW}/runs/search`, {
    experiment_ids: [experimentId], filter: filter || undefined, order_by: [orderBy], max_results: PAGE, page_token: token || undefined,
  }, { signal });
  useEffect(() => {
    const mine = ++generation.current;
    const controller = new AbortController();
    setState({ rows: [], token: null, loading: true, error: null, more: false });
    (async () => {
      let rows = [];
      let token = null;
      try {
        for (let i = 0; i < Math.max(1, want); i++) {
          const page = await fetchPage(token, controller.signal);
          rows = rows.concat((page.runs || []).map(toRow));
          token = page.next_page_token || null;
          if (mine !== generation.current) return;
          // Show the first page while the rest of a restored URL loads.
          setState({ rows, token, loading: i + 1 < want && !!token, error: null, more: false });
          if (!token) break;
        }
      } catch (error) {
        if (error.name !== 'AbortError' && mine === generation.current) setState({ rows: [], token: null, loading: false, error, more: false });
      }
    })();
    return () => controller.abort();
  }, [experimentId, filter, orderBy]);
  const loadMore = async () => {
    const mine = generation.current;
    setState(s => ({ ...s, more: true }));
    try {
      const page = await fetchPage(state.token);
      if (mine !== generation.current) return;
      setState(s => ({ ...s, rows: s.rows.concat((page.runs || []).map(toRow)), token: page.next_page_token || null, more: false }));
      setQuery({ pages: Math.ceil((state.rows.length + PAGE) / PAGE) });
    } catch (error) {
      if (mine === generation.current) setState(s => ({ ...s, more: false, moreError: error }));
    }
  };
  return { ...state, loadMore };
}

function FilterBox({ value, error }) {
  const [typed, setTyped] = useState(value);
  useEffect(() => setTyped(value), [value]);
  const apply = (e) => { e.preventDefault(); setQuery({ filter: typed.trim(), pages: '' }); };
  return html`
    <form class="runs-filter" onSubmit=${apply}>
      <div class="toolbar">
        <input type="search" class="grow mono" data-search data-testid="runs-filter" aria-label="Filter runs"
          placeholder="metrics.accuracy > 0.9 and params.C = '1.0' and tags.mlflow.parentRunId = '…'"
          value=${typed} onInput=${e => setTyped(e.target.value)} />
        <button type="submit">Filter</button>
        ${value && html`<button type="button" onClick=${() => setQuery({ filter: '', pages: '' })}>Clear</button>`}
      </div>
      ${error && html`<div data-testid="filter-error"><${ErrorBox} error=${error} title="The filter was refused" /></div>`}
    </form>`;
}

function ColumnChooser({ keys, cols, onChange }) {
  const chosen = new Set(cols);
  const toggle = (c) => onChange(chosen.has(c) ? cols.filter(x => x !== c) : [...cols, c]);
  const section = (kind, label) => keys[kind].length === 0 ? null : html`
    <fieldset><legend>${label}</legend>
      ${keys[kind].map(k => {
        const c = `${kind}.${k}`;
        return html`<label class="check"><input type="checkbox" checked=${chosen.has(c)} onChange=${() => toggle(c)} /> ${k}</label>`;
      })}
    </fieldset>`;
  return html`
    <details class="menu" data-testid="column-chooser">
      <summary>Columns (${cols.length})</summary>
      <div class="menu-body">
        ${section('metrics', 'Metrics')}${section('params', 'Parameters')}${section('tags', 'Tags')}
        ${keys.metrics.length + keys.params.length + keys.tags.length === 0 && html`<p class="muted">The loaded runs have no metrics, parameters or tags.</p>`}
      </div>
    </details>`;
}

function GroupChooser({ keys, groupBy, agg }) {
  const options = [...keys.params.map(k => `params.${k}`), ...keys.tags.map(k => `tags.${k}`), 'status', 'user_id'];
  return html`
    <label class="inline">Group by
      <select aria-label="Group by" value=${groupBy} onChange=${e => setQuery({ group: e.target.value })}>
        <option value="">(no grouping)</option>
        ${options.map(o => html`<option value=${o}>${o}</option>`)}
      </select>
    </label>
    ${groupBy && html`
      <label class="inline">Aggregate
        <select aria-label="Aggregate metric" value=${agg} onChange=${e => setQuery({ agg: e.target.value })}>
          <option value="">(count only)</option>
          ${keys.metrics.map(k => html`<option value=${k}>${k}</option>`)}
        </select>
      </label>`}`;
}

function SavedViews({ experiment, query, path, onSaved }) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const views = savedViews(experiment);
  const save = async (e) => {
    e.preventDefault();
    const n = name.trim();
    if (!n) return;
    setBusy(true); setError(null);
    try {
      await post(`${MLFLOW}/experiments/set-experiment-tag`, { experiment_id: experiment.experiment_id, key: VIEW_TAG + n, value: query.toString() });
      setName('');
      onSaved();
    } catch (err) { setError(err); } finally { setBusy(false); }
  };
  return html`
    <form class="toolbar saved-views" onSubmit=${save}>
      ${views.length > 0 && html`
        <label class="inline">View
          <select aria-label="Saved views" data-testid="saved-views" value=""
            onChange=${e => { const v = views.find(x => x.name === e.target.value); if (v) navigate(path, new URLSearchParams(v.query)); }}>
            <option value="">Saved views…</option>
            ${views.map(v => html`<option value=${v.name}>${v.name}</option>`)}
          </select>
        </label>`}
      <input aria-label="View name" placeholder="View name" value=${name} onInput=${e => setName(e.target.value)} />
      <button type="submit" disabled=${busy || !name.trim()}>Save view</button>
      ${error && html`<${ErrorBox} error=${error} title="The view was not saved" />`}
    </form>`;
}

function cellOf(col) {
  const { kind, key } = parseColumn(col);
  const render = (r) => {
    const v = valueOf(r, col);
    if (v === undefined || v === null) return html`<span class="muted">—</span>`;
    return kind === 'metrics' ? num(v) : String(v);
  };
  return { key: col, label: key, title: `${kind}.${key}`, sortable: true, align: kind === 'metrics' ? 'right' : undefined, render };
}

export default function Runs({ params, query, path }) {
  const id = params.id;
  const filter = query.get('filter') || '';
  const sort = query.get('sort') || '';
  const desc = sort ? query.get('desc') === '1' : true;
  const groupBy = query.get('group') || '';
  const agg = query.get('agg') || '';
  const flat = query.get('flat') === '1';
  const want = Math.max(1, Math.min(100, Number(query.get('pages')) || 1));
  const colsParam = query.get('cols');

  const experiment = useApi(signal => get(`${MLFLOW}/experiments/get`, { experiment_id: id }, { signal }), [id]);
  const runs = useRunPages(id, filter, orderClause(sort, desc), want);
  const [collapsed, setCollapsed] = useState(new Set());
  const [selected, setSelected] = useState(new Set());

  const exp = experiment.data && experiment.data.experiment;
  const name = exp ? exp.name : `Experiment ${id}`;
  const keys = keysOf(runs.rows);
  const cols = colsParam === null ? commonMetrics(runs.rows, 6).map(k => `metrics.${k}`)
    : colsParam === NONE ? [] : colsParam.split(',').filter(Boolean);
  const onSort = (key) => {
    const nextDesc = key === (sort || 'start_time') ? !desc : key !== 'run_name';
    setQuery({ sort: key, desc: nextDesc ? '1' : '0', pages: '' });
  };
  const toggleSelect = (r) => setSelected(s => { const n = new Set(s); if (n.has(r.id)) n.delete(r.id); else n.add(r.id); return n; });
  const toggleCollapse = (rowId) => setCollapsed(s => { const n = new Set(s); if (n.has(rowId)) n.delete(rowId); else n.add(rowId); return n; });

  const nameColumn = {
    key: 'run_name', label: 'Run', sortable: true,
    render: r => html`<span class="run-name" style=${`padding-left:${(r.depth || 0) * 1.25}em`}>
      ${r.children > 0
        ? html`<button type="button" class="twisty" aria-expanded=${!collapsed.has(r.id)} aria-label=${(collapsed.has(r.id) ? 'Expand ' : 'Collapse ') + r.name}
            onClick=${() => toggleCollapse(r.id)}>${collapsed.has(r.id) ? '▸' : '▾'}</button>`
        : (r.depth ? html`<span class="twisty-space" aria-hidden="true">↳</span>` : null)}
      <a href=${href('/runs/' + r.id)}>${r.name}</a>
      ${r.children > 0 && html` <span class="muted">(${r.children})</span>`}
    </span>`,
  };
  const columns = [
    nameColumn,
    { key: 'status', label: 'Status', sortable: true, render: r => html`<${Badge} value=${r.status} />` },
    { key: 'start_time', label: 'Created', sortable: true, render: r => time(r.start) },
    { key: 'duration', label: 'Duration', align: 'right', render: r => r.end && r.start ? duration(r.end - r.start) : '—' },
    ...cols.map(cellOf),
  ];
  const sortState = { key: sort || 'start_time', desc };
  const table = (rows) => html`<${Table} columns=${columns} rows=${rows} rowKey=${r => r.id} sort=${sortState} onSort=${onSort}
    selected=${selected} onSelect=${toggleSelect} empty="No run matches." />`;

  const compareIds = [...selected];
  const actions = html`
    <a class=${'button' + (compareIds.length < 2 ? ' disabled' : ' primary')} data-testid="compare"
      href=${compareIds.length >= 2 ? href('/compare', { runs: compareIds.join(',') }) : undefined}
      aria-disabled=${compareIds.length < 2} title="Select two or more runs to compare">Compare${compareIds.length ? ` (${compareIds.length})` : ''}</a>`;

  // Enter on a focused row opens the run (the rows have their own links, so the table has no rowHref).
  const openRow = (e) => { if (e.key === 'Enter' && e.target.tagName === 'TR') { const a = e.target.querySelector('a[href^="#/runs/"]'); if (a) { location.hash = a.getAttribute('href'); e.preventDefault(); } } };
  let body;
  if (runs.error && runs.error.status === 400) body = null; // said under the filter box
  else if (runs.error) body = html`<${ErrorBox} error=${runs.error} />`;
  else if (runs.rows.length === 0 && runs.loading) body = html`<${Loading} label="Loading runs…" />`;
  else if (runs.rows.length === 0 && !filter) {
    body = html`<${Empty} title="No runs in this experiment yet"
      hint="Train with Keel, or point any MLflow client at this server (MLFLOW_TRACKING_URI) and log a run into this experiment."
      command=${`keel train spec.yaml --experiment "${name}"\n# or, from Python:\n# mlflow.set_experiment("${name}"); mlflow.start_run()`} />`;
  } else if (groupBy) {
    const groups = group(runs.rows, groupBy, agg);
    body = html`<div data-testid="runs-table" onKeyDown=${openRow}>${groups.map(g => html`
      <details class="run-group" open data-testid="run-group">
        <summary><strong>${parseColumn(groupBy).key} = ${g.value}</strong> <span class="muted">· ${g.count} run${g.count === 1 ? '' : 's'}</span>
          ${agg && html` <span class="group-agg">· ${agg} mean ${num(g.mean)} · min ${num(g.min)} · max ${num(g.max)}</span>`}</summary>
        ${table(g.rows)}
      </details>`)}</div>`;
  } else {
    body = html`<div data-testid="runs-table" onKeyDown=${openRow}>${table(flat ? runs.rows : nest(runs.rows, collapsed))}</div>`;
  }

  return html`
    <${Page} title=${name} crumbs=${[['Experiments', href('/experiments')]]} actions=${actions}
      subtitle=${exp ? html`Experiment <span class="mono">${exp.experiment_id}</span> · artifacts at <span class="mono">${exp.artifact_location}</span>` : null}>
      ${experiment.error && html`<${ErrorBox} error=${experiment.error} retry=${experiment.reload} />`}
      <${FilterBox} value=${filter} error=${runs.error && runs.error.status === 400 ? runs.error : null} />
      <div class="toolbar runs-layout">
        <${ColumnChooser} keys=${keys} cols=${cols} onChange=${next => setQuery({ cols: next.length ? next.join(',') : NONE })} />
        <${GroupChooser} keys=${keys} groupBy=${groupBy} agg=${agg} />
        ${!groupBy && html`<label class="check"><input type="checkbox" checked=${!flat} onChange=${e => setQuery({ flat: e.target.checked ? '' : '1' })} /> Nest child runs</label>`}
        ${exp && html`<${SavedViews} experiment=${exp} query=${query} path=${path} onSaved=${experiment.refresh} />`}
      </div>
      ${body}
      ${runs.rows.length > 0 && html`
        <div class="toolbar runs-paging">
          <span class="muted" data-testid="runs-count">${num(runs.rows.length)} run${runs.rows.length === 1 ? '' : 's'} loaded${runs.token ? ', more on the server' : ''}</span>
          ${runs.token && html`<button type="button" onClick=${runs.loadMore} disabled=${runs.more || runs.loading}>${runs.more || runs.loading ? 'Loading…' : `Load ${PAGE} more`}</button>`}
          ${runs.moreError && html`<${ErrorBox} error=${runs.moreError} title="The next page did not load" />`}
        </div>`}
    <//>`;
}
