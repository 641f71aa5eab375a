// Pieces the endpoint, monitoring and alert pages share: the traffic split as a stacked bar,
// model URIs as registry links, and the endpoint list.
import { html } from '../vendor/htm-preact.mjs';
import { get, KEEL, MLFLOW } from './api.js';
import { href } from './router.js';
import { colorOf } from './chart.js';

/** GET /endpoints answers [{ endpoint, live }]; older servers answered endpoints bare. */
export async function listEndpoints(signal) {
  const r = await get(`${KEEL}/endpoints`, undefined, { signal });
  return (r.endpoints || []).map(e => (e.endpoint ? e : { endpoint: e, live: [] }));
}

/** models:/name/3 -> { name, version }; models:/name@alias -> { name, alias }; else null. */
export function parseModelUri(uri) {
  const m = /^models:\/([^/@]+)(?:\/(\d+)|@(.+))$/.exec(uri || '');
  if (!m) return null;
  return m[2] ? { name: decodeURIComponent(m[1]), version: m[2] } : { name: decodeURIComponent(m[1]), alias: m[3] };
}

/** The registry model version behind a model URI (null when it is not a registry URI). */
export async function modelVersionOf(uri, signal) {
  const p = parseModelUri(uri);
  if (!p) return null;
  const r = p.version
    ? await get(`${MLFLOW}/model-versions/get`, { name: p.name, version: p.version }, { signal })
    : await get(`${MLFLOW}/registered-models/alias`, { name: p.name, alias: p.alias }, { signal });
  return r.model_version || null;
}

/** A model URI as a link to its registry page when it names a version. */
export function ModelLink({ uri, version }) {
  const p = parseModelUri(uri);
  if (p && p.version) return html`<a class="mono" href=${href(`/models/${p.name}/versions/${p.version}`)}>${uri}</a>`;
  if (version && /^[^/]+\/\d+$/.test(version)) {
    const [n, v] = version.split('/');
    return html`<a class="mono" href=${href(`/models/${n}/versions/${v}`)}>${uri}</a>`;
  }
  if (p) return html`<a class="mono" href=${href(`/models/${p.name}`)}>${uri}</a>`;
  return html`<span class="mono">${uri}</span>`;
}

const roleNames = { primary: 'primary', challenger: 'challenger', shadow: 'shadow (copies, never answers)', standby: 'standby (kept warm)' };
export const roleName = (role) => roleNames[role] || role;

/**
 * The share of live traffic of each route as one horizontal bar, a coloured segment per route
 * with its percent, and a legend underneath. Routes at 0 % (standby, shadow) are listed, not drawn.
 */
export function TrafficBar({ routes, compact = false }) {
  const live = routes.filter(r => r.weight > 0);
  const total = live.reduce((n, r) => n + r.weight, 0) || 1;
  return html`
    <div class=${compact ? 'split split-compact' : 'split'} data-testid="traffic-split">
      <div class="split-bar" role="img" aria-label=${live.map(r => `${r.model_uri} ${Math.round(100 * r.weight / total)}%`).join(', ')}>
        ${live.map((r, i) => html`
          <div class="split-seg" style=${`width:${100 * r.weight / total}%;background:${colorOf(routes.indexOf(r))}`} title=${`${r.model_uri}: ${r.weight}%`}>
            ${!compact && r.weight >= 8 ? html`<span>${Math.round(100 * r.weight / total)}%</span>` : null}
          </div>`)}
        ${live.length === 0 && html`<div class="split-seg split-none">no live route</div>`}
      </div>
      ${!compact && html`
        <ul class="split-legend">
          ${routes.map((r, i) => html`
            <li><span class="split-swatch" style=${`background:${r.weight > 0 ? colorOf(i) : 'transparent'}`}></span>
              <${ModelLink} uri=${r.model_uri} /> <strong>${r.weight}%</strong> <span class="muted">${roleName(r.role)}</span></li>`)}
        </ul>`}
    </div>`;
}
