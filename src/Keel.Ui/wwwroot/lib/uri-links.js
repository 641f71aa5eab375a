// Keel URIs (datasets:/, runs:/, models:/, endpoints:/) as links to their pages, so lineage,
// pipeline outputs and dataset pages all lead to each other.
import { html } from '../vendor/htm-preact.mjs';
import { href } from './router.js';

const enc = encodeURIComponent;

/** The view a Keel URI names, or null: datasets:/n/3 -> #/datasets/n/versions/3, runs:/id/path -> #/runs/id, ... */
export function uriHref(uri) {
  if (!uri || typeof uri !== 'string') return null;
  let m;
  if ((m = /^datasets:\/([^/@]+)\/(\d+)(?:\/.*)?$/.exec(uri))) return href(`/datasets/${enc(m[1])}/versions/${m[2]}`);
  if ((m = /^datasets:\/([^/@]+)(?:@.*)?$/.exec(uri))) return href(`/datasets/${enc(m[1])}`);
  if ((m = /^runs:\/([0-9a-zA-Z_-]+)(?:\/.*)?$/.exec(uri))) return href(`/runs/${m[1]}`);
  if ((m = /^models:\/([^/@]+)\/(\d+)(?:\/.*)?$/.exec(uri))) return href(`/models/${enc(m[1])}/versions/${m[2]}`);
  if ((m = /^models:\/([^/@]+)(?:@.*)?$/.exec(uri))) return href(`/models/${enc(m[1])}`);
  if ((m = /^endpoints:\/([^/]+)$/.exec(uri))) return href(`/endpoints/${enc(m[1])}`);
  return null;
}

/** A URI as a link when it names a view, else as code. */
export function UriLink({ uri, label }) {
  const to = uriHref(uri);
  return to ? html`<a href=${to} class="mono">${label || uri}</a>` : html`<code>${label || uri}</code>`;
}

/** The lineage view of a URI. */
export function lineageHref(uri, direction) {
  return href('/lineage', { uri, direction });
}
