// Loading many runs and metric histories in few requests (compare, model pages): runs by id in
// runs/search chunks of 100, metric histories in get-history-bulk-interval chunks of 100 runs,
// all chunks in parallel. Never one request per run per metric.
import { get, post, readAll, MLFLOW } from './api.js';

const CHUNK = 100;

function chunks(list, n = CHUNK) {
  const out = [];
  for (let i = 0; i < list.length; i += n) out.push(list.slice(i, i + n));
  return out;
}

const quote = (s) => `'${String(s).replace(/'/g, "\\'")}'`;

/** A run as the pages use it: { id, name, experimentId, status, startTime, params: {k: v}, metrics: {k: value}, tags: {k: v} }. */
export function flatRun(r) {
  const info = r.info || {};
  const data = r.data || {};
  const tags = Object.fromEntries((data.tags || []).map(t => [t.key, t.value]));
  const id = info.run_id || info.run_uuid;
  return {
    id,
    name: info.run_name || tags['mlflow.runName'] || id,
    experimentId: info.experiment_id,
    status: info.status,
    startTime: info.start_time,
    params: Object.fromEntries((data.params || []).map(p => [p.key, p.value])),
    metrics: Object.fromEntries((data.metrics || []).map(m => [m.key, typeof m.value === 'string' ? Number(m.value) : m.value])),
    steps: Object.fromEntries((data.metrics || []).map(m => [m.key, Number(m.step || 0)])),
    tags,
    raw: r,
  };
}

/**
 * Loads runs by id, in the order given: one experiments/search, then runs/search with
 * `attributes.run_id IN (...)` in chunks of 100 (in parallel). Ids the search did not find
 * (e.g. in a deleted experiment) are read with runs/get, so an unknown id fails with the server's message
 * (lenient: unknown ids are left out and listed in the answer's `unknown`, unless none is known).
 */
export async function loadRunsByIds(ids, { signal, lenient = false } = {}) {
  if (ids.length === 0) return [];
  const experiments = await readAll(
    token => post(`${MLFLOW}/experiments/search`, { max_results: 1000, page_token: token, view_type: 'ALL' }, { signal }),
    'experiments');
  const experimentIds = experiments.map(e => e.experiment_id);
  const found = new Map();
  if (experimentIds.length > 0) {
    try {
      const pages = await Promise.all(chunks(ids).map(part => post(`${MLFLOW}/runs/search`, {
        experiment_ids: experimentIds,
        filter: `attributes.run_id IN (${part.map(quote).join(', ')})`,
        run_view_type: 'ALL',
        max_results: CHUNK,
      }, { signal })));
      for (const page of pages) for (const r of page.runs || []) found.set(r.info.run_id || r.info.run_uuid, r);
    } catch (e) {
      // A server that refuses the search (e.g. an odd id) still answers runs/get below.
      if (e.name === 'AbortError' || !(e.status >= 400 && e.status < 500)) throw e;
    }
  }
  const missing = ids.filter(id => !found.has(id));
  const extra = await Promise.all(missing.map(id => get(`${MLFLOW}/runs/get`, { run_id: id }, { signal })
    .catch(e => { if (lenient && e.status === 404) return { unknown: id, error: e }; throw e; })));
  const unknown = [];
  extra.forEach(answer => (answer.unknown ? unknown.push(answer) : found.set(answer.run.info.run_id || answer.run.info.run_uuid, answer.run)));
  if (lenient && unknown.length === ids.length) throw unknown[0].error;
  const runs = ids.filter(id => found.has(id)).map(id => flatRun(found.get(id)));
  if (lenient) runs.unknown = unknown.map(u => u.unknown);
  return runs;
}

/**
 * One metric's history for many runs, sampled by the server for charts: { runId: { x: steps, y: values } }.
 * maxPerRun keeps the whole answer near 25,000 points.
 */
export async function loadHistories(runIds, metricKey, { signal, maxPerRun } = {}) {
  const max = maxPerRun || Math.max(20, Math.min(1000, Math.floor(25000 / Math.max(1, runIds.length))));
  const pages = await Promise.all(chunks(runIds).map(part => get(`${MLFLOW}/metrics/get-history-bulk-interval`, {
    run_ids: part, metric_key: metricKey, max_results: max,
  }, { signal })));
  const out = {};
  for (const page of pages) {
    for (const m of page.metrics || []) {
      const s = out[m.run_id] || (out[m.run_id] = { x: [], y: [] });
      s.x.push(Number(m.step || 0));
      s.y.push(typeof m.value === 'string' ? Number(m.value) : m.value);
    }
  }
  return out;
}

/** Is a metric better when lower (loss, error, time)? */
export function lowerIsBetter(key) {
  return /(loss|error|err\b|rmse|mse|mae|mape|brier|calibration|seconds|latency|time|duration|perplexity|_ms\b|fpr|fnr)/i.test(key);
}
