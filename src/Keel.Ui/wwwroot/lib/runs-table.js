// Helpers of the runs table (pages/runs.js): flattening MLflow runs into rows, columns named
// like MLflow's search keys (metrics.x, params.x, tags.x, attributes), order_by clauses, nesting
// by mlflow.parentRunId and group aggregates. Pure functions, so the page stays about layout.

export const PARENT_TAG = 'mlflow.parentRunId';
export const VIEW_TAG = 'keel.ui.view.';

/** An MLflow run as a row: { id, name, status, start, end, user, metrics, params, tags, parent }. */
export function toRow(run) {
  const d = run.data || {};
  const pairs = (list) => Object.fromEntries((list || []).map(x => [x.key, x.value]));
  const tags = pairs(d.tags);
  return {
    id: run.info.run_id,
    name: run.info.run_name || tags['mlflow.runName'] || run.info.run_id,
    status: run.info.status,
    start: Number(run.info.start_time) || null,
    end: Number(run.info.end_time) || null,
    user: run.info.user_id || tags['mlflow.user'] || '',
    metrics: pairs(d.metrics),
    params: pairs(d.params),
    tags,
    parent: tags[PARENT_TAG] || null,
  };
}

/** 'metrics.acc' -> { kind: 'metrics', key: 'acc' }; 'start_time' -> { kind: 'attributes', key: 'start_time' }. */
export function parseColumn(col) {
  const m = /^(metrics|params|tags)\.(.+)$/.exec(col);
  return m ? { kind: m[1], key: m[2] } : { kind: 'attributes', key: col };
}

/** The value a row has in a column (a number for metrics and times). */
export function valueOf(row, col) {
  const { kind, key } = parseColumn(col);
  if (kind !== 'attributes') return row[kind][key];
  switch (key) {
    case 'run_name': return row.name;
    case 'start_time': return row.start;
    case 'end_time': return row.end;
    case 'status': return row.status;
    case 'user_id': return row.user;
    default: return undefined;
  }
}

/** The order_by clause for a sort key, with the key quoted when it is not a plain identifier. */
export function orderClause(sort, desc) {
  if (!sort) return 'attributes.start_time DESC';
  const { kind, key } = parseColumn(sort);
  const quoted = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : '`' + key.replace(/`/g, '') + '`';
  return `${kind === 'attributes' ? 'attributes' : kind}.${quoted} ${desc ? 'DESC' : 'ASC'}`;
}

/** Metric keys by how many rows have them (then by name): the default columns are the common ones. */
export function commonMetrics(rows, n) {
  const counts = new Map();
  for (const r of rows) for (const k of Object.keys(r.metrics)) counts.set(k, (counts.get(k) || 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n).map(([k]) => k);
}

/** The keys the loaded rows have, sorted: { metrics: [...], params: [...], tags: [...] }. */
export function keysOf(rows) {
  const sets = { metrics: new Set(), params: new Set(), tags: new Set() };
  for (const r of rows) {
    for (const kind of ['metrics', 'params', 'tags']) for (const k of Object.keys(r[kind])) sets[kind].add(k);
  }
  // Internal tags (the run name, source, logged-model JSON) are noise as columns.
  for (const k of [...sets.tags]) if (k.startsWith('mlflow.') && k !== PARENT_TAG && k !== 'mlflow.source.name') sets.tags.delete(k);
  const sorted = (s) => [...s].sort((a, b) => a.localeCompare(b));
  return { metrics: sorted(sets.metrics), params: sorted(sets.params), tags: sorted(sets.tags) };
}

/**
 * Rows in display order with their depth: a child run (tag mlflow.parentRunId) follows its
 * parent when the parent is loaded, unless the parent is collapsed. Server order is kept
 * among siblings. Each row gets children (count) for the toggle.
 */
export function nest(rows, collapsed) {
  const byId = new Map(rows.map(r => [r.id, r]));
  const children = new Map();
  const top = [];
  for (const r of rows) {
    if (r.parent && byId.has(r.parent) && r.parent !== r.id) {
      if (!children.has(r.parent)) children.set(r.parent, []);
      children.get(r.parent).push(r);
    } else top.push(r);
  }
  const out = [];
  const seen = new Set();
  const walk = (r, depth) => {
    if (seen.has(r.id)) return; // a cycle of parent tags
    seen.add(r.id);
    const kids = children.get(r.id) || [];
    out.push({ ...r, depth, children: kids.length });
    if (!collapsed.has(r.id)) kids.forEach(k => walk(k, depth + 1));
  };
  top.forEach(r => walk(r, 0));
  return out;
}

/** Groups rows by a column's value, with count and mean/min/max of a metric; groups by value (numbers numerically). */
export function group(rows, col, metric) {
  const groups = new Map();
  for (const r of rows) {
    const v = valueOf(r, col);
    const k = v === undefined || v === null || v === '' ? '(none)' : String(v);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(r);
  }
  const list = [...groups.entries()].map(([value, members]) => {
    const values = metric ? members.map(r => r.metrics[metric]).filter(v => typeof v === 'number' && Number.isFinite(v)) : [];
    return {
      value,
      rows: members,
      count: members.length,
      mean: values.length ? values.reduce((a, b) => a + b, 0) / values.length : null,
      min: values.length ? Math.min(...values) : null,
      max: values.length ? Math.max(...values) : null,
    };
  });
  const numeric = list.every(g => g.value === '(none)' || Number.isFinite(Number(g.value)));
  list.sort((a, b) => (a.value === '(none)') - (b.value === '(none)') || (numeric ? Number(a.value) - Number(b.value) : a.value.localeCompare(b.value)));
  return list;
}

/** The saved views among an experiment's tags: [{ name, query }]. */
export function savedViews(experiment) {
  return (experiment && experiment.tags || [])
    .filter(t => t.key.startsWith(VIEW_TAG))
    .map(t => ({ name: t.key.slice(VIEW_TAG.length), query: t.value }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
