// Hash routing: every view is a URL of the form /#/path?query, so a view can be bookmarked,
// shared and reloaded, and no UI path can shadow a server route.
import { useEffect, useState } from '../vendor/htm-preact.mjs';

/** The current route: { path: '/experiments/1', query: URLSearchParams }. */
export function currentRoute() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const at = raw.indexOf('?');
  const path = decodeURI(at < 0 ? raw : raw.slice(0, at)) || '/';
  return { path, query: new URLSearchParams(at < 0 ? '' : raw.slice(at + 1)) };
}

/** A hook that re-renders on every route change and returns the current route. */
export function useRoute() {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const changed = () => setRoute(currentRoute());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}

/** The href of a view: href('/runs/abc') or href('/compare', { runs: 'a,b' }). Empty query values are left out. */
export function href(path, query) {
  const q = toQuery(query);
  return '#' + encodeURI(path) + (q ? '?' + q : '');
}

/** Goes to a view (adds a history entry unless replace). */
export function navigate(path, query, { replace = false } = {}) {
  const target = href(path, query);
  if (replace) {
    history.replaceState(null, '', target);
    dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = target;
  }
}

/** Changes some query values of the current view in place (no new history entry): the layout lives in the URL. */
export function setQuery(changes, { replace = true } = {}) {
  const { path, query } = currentRoute();
  const next = Object.fromEntries(query.entries());
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === null || v === '') delete next[k]; else next[k] = String(v);
  }
  navigate(path, next, { replace });
}

/** Matches '/experiments/:id' against a path; returns the decoded params or null. */
export function match(pattern, path) {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  const wildcard = p.length > 0 && p[p.length - 1] === '*';
  if (wildcard ? s.length < p.length - 1 : s.length !== p.length) return null;
  const params = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '*') { params.rest = s.slice(i).join('/'); break; }
    if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return params;
}

function toQuery(query) {
  if (!query) return '';
  const entries = query instanceof URLSearchParams ? [...query.entries()] : Object.entries(query);
  const kept = entries.filter(([, v]) => v !== undefined && v !== null && v !== '');
  return new URLSearchParams(kept).toString();
}
