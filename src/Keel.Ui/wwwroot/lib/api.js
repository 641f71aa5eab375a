// One place that talks to the server: Keel's API (/api/2.0/keel) and the MLflow API
// (/api/2.0/mlflow). Errors come back as ApiError with the server's code and message, so pages
// can say what went wrong.
import { useCallback, useEffect, useRef, useState } from '../vendor/htm-preact.mjs';

export const MLFLOW = '/api/2.0/mlflow';
export const KEEL = '/api/2.0/keel';

export class ApiError extends Error {
  constructor(status, code, message, path) {
    super(message);
    this.status = status;
    this.code = code;
    this.path = path;
  }
}

/** GET path with query params (arrays repeat the key); answers parsed JSON, or text for non-JSON answers. */
export function get(path, params, { signal } = {}) {
  return request('GET', withQuery(path, params), undefined, signal);
}

export function post(path, body, { signal } = {}) { return request('POST', path, body, signal); }
export function put(path, body, { signal } = {}) { return request('PUT', path, body, signal); }
export function patch(path, body, { signal } = {}) { return request('PATCH', path, body, signal); }
export function del(path, body, { signal } = {}) { return request('DELETE', path, body, signal); }

export function withQuery(path, params) {
  if (!params) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach(item => q.append(k, String(item)));
    else q.append(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

async function request(method, path, body, signal) {
  // Keel refuses a POST, PUT, PATCH or DELETE without a JSON Content-Type (a CSRF guard), so a
  // call with nothing to say sends an empty object.
  if (method !== 'GET' && body === undefined) body = {};
  let response;
  try {
    response = await fetch(path, {
      method,
      signal,
      headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'UNREACHABLE', `The Keel server did not answer (${e.message}). Is it running?`, path);
  }
  const type = response.headers.get('content-type') || '';
  const payload = type.includes('json') ? await response.json().catch(() => null) : await response.text();
  if (!response.ok) {
    const code = payload && payload.error_code || `HTTP_${response.status}`;
    const message = payload && payload.message || (typeof payload === 'string' && payload) || response.statusText;
    throw new ApiError(response.status, code, message, path);
  }
  return payload;
}

/**
 * Loads data for a view: const { data, error, loading, reload } = useApi(signal => get(...), [deps]).
 * A newer load aborts the older one, so a fast typist never sees stale rows. With refreshMs the
 * data reloads in the background (live pages), keeping what is shown until the new answer lands.
 */
export function useApi(load, deps, { refreshMs } = {}) {
  const [state, setState] = useState({ data: undefined, error: undefined, loading: true });
  const generation = useRef(0);
  const run = useCallback((background) => {
    const mine = ++generation.current;
    const controller = new AbortController();
    if (!background) setState(s => ({ ...s, loading: true, error: undefined }));
    Promise.resolve()
      .then(() => load(controller.signal))
      .then(data => { if (mine === generation.current) setState({ data, error: undefined, loading: false }); })
      .catch(error => { if (mine === generation.current && error.name !== 'AbortError') setState(s => ({ data: background ? s.data : undefined, error, loading: false })); });
    return controller;
  }, deps);
  useEffect(() => {
    const controller = run(false);
    let timer;
    if (refreshMs) timer = setInterval(() => run(true), refreshMs);
    return () => { controller.abort(); clearInterval(timer); };
  }, [run, refreshMs]);
  return { ...state, reload: () => run(false), refresh: () => run(true) };
}

/** Reads every page of a paged MLflow search (page_token / next_page_token) up to limit items. */
export async function readAll(fetchPage, itemsKey, limit = Infinity) {
  const items = [];
  let token;
  do {
    const page = await fetchPage(token);
    items.push(...(page[itemsKey] || []));
    token = page.next_page_token;
  } while (token && items.length < limit);
  return items.slice(0, limit);
}
