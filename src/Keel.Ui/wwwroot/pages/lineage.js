// Lineage: what a dataset version, run, model version or endpoint was made from (upstream) and
// what was made from it (downstream), as the server's graph and as a list of links.
import { html, Page, Empty, ErrorBox, Loading, Badge } from '../lib/ui.js';
import { get, useApi, KEEL } from '../lib/api.js';
import { setQuery } from '../lib/router.js';
import { uriHref, lineageHref } from '../lib/uri-links.js';
import { useEffect, useRef, useState } from '../vendor/htm-preact.mjs';

const DIRECTIONS = [['both', 'Both'], ['upstream', 'Upstream (made from)'], ['downstream', 'Downstream (made into)']];
const KINDS = [['dataset', 'Dataset versions'], ['run', 'Runs'], ['model', 'Model versions'], ['endpoint', 'Endpoints']];

/** The server's SVG without anything active in it (scripts, event handlers, foreign content). */
function safeSvg(text) {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  const svg = doc.documentElement;
  if (!svg || svg.nodeName !== 'svg') return null;
  svg.querySelectorAll('script, foreignObject').forEach(n => n.remove());
  for (const el of [svg, ...svg.querySelectorAll('*')]) {
    for (const a of [...el.attributes]) if (/^on/i.test(a.name) || /javascript:/i.test(a.value)) el.removeAttribute(a.name);
  }
  svg.setAttribute('data-testid', 'lineage-svg');
  svg.setAttribute('role', 'group');
  svg.setAttribute('aria-label', 'Lineage graph');
  const node = document.importNode(svg, true);
  // Each node is a <g> titled with its URI: make it a link to its page.
  for (const g of node.querySelectorAll('g')) {
    const title = g.querySelector(':scope > title');
    const to = title && uriHref(title.textContent.trim());
    if (!to) continue;
    const a = document.createElementNS('http://www.w3.org/2000/svg', 'a');
    a.setAttribute('href', to);
    a.setAttribute('data-node', title.textContent.trim());
    g.replaceWith(a);
    a.appendChild(g);
  }
  return node;
}

function Graph({ svg }) {
  const box = useRef(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    el.replaceChildren();
    const node = safeSvg(svg);
    if (node) el.appendChild(node);
  }, [svg]);
  return html`<div class="graph lineage-graph" ref=${box}></div>`;
}

async function load(uri, direction, signal) {
  const [graph, svg] = await Promise.all([
    get(`${KEEL}/lineage`, { uri, direction }, { signal }),
    get(`${KEEL}/lineage`, { uri, direction, format: 'svg' }, { signal }),
  ]);
  return { graph, svg };
}

function Result({ uri, direction }) {
  const state = useApi(signal => load(uri, direction, signal), [uri, direction]);
  if (state.error) return html`<${ErrorBox} error=${state.error} title=${`Could not trace ${uri}`} retry=${state.reload} />`;
  if (!state.data) return html`<${Loading} label="Tracing…" />`;
  const { graph, svg } = state.data;
  const nodes = graph.nodes || [];
  const edges = graph.edges || [];
  const relations = (id) => edges.filter(e => e.from === id || e.to === id).length;
  return html`
    <p class="muted">${nodes.length} nodes, ${edges.length} edges from <code>${graph.root}</code>.</p>
    ${nodes.length <= 1 && html`<p class="muted">Nothing is linked to it ${direction === 'both' ? '' : direction} yet.</p>`}
    <${Graph} svg=${svg} />
    <div class="grid lineage-nodes" data-testid="lineage-nodes">
      ${KINDS.map(([kind, label]) => {
        const of = nodes.filter(n => n.kind === kind);
        if (of.length === 0) return null;
        return html`
          <div class="card">
            <h3>${label}</h3>
            <ul class="node-list">
              ${of.map(n => {
                const to = uriHref(n.id);
                const attrs = Object.entries(n.attributes || {}).filter(([k]) => !['run_id', 'digest'].includes(k));
                return html`
                  <li data-node=${n.id}>
                    ${to ? html`<a href=${to}>${n.label}</a>` : html`<strong>${n.label}</strong>`}
                    ${n.id === graph.root && html` <${Badge} value="root" kind="neutral" />`}
                    <div class="muted small"><code>${n.id}</code>${attrs.length ? ' · ' + attrs.map(([k, v]) => `${k}: ${v}`).join(' · ') : ''}</div>
                    ${n.id !== graph.root && html`<a class="small" href=${lineageHref(n.id, direction)} title="Trace from this node">trace from here</a>`}
                    <span class="visually-hidden">${relations(n.id)} edges</span>
                  </li>`;
              })}
            </ul>
          </div>`;
      })}
    </div>`;
}

export default function Lineage({ query }) {
  const uri = (query.get('uri') || '').trim();
  const direction = query.get('direction') || 'both';
  const [text, setText] = useState(uri);
  useEffect(() => setText(uri), [uri]);
  const submit = (e) => { e.preventDefault(); setQuery({ uri: text.trim() }, { replace: false }); };
  return html`
    <${Page} title="Lineage" subtitle="From data to endpoint: dataset versions, the runs that used them, the model versions they produced and the endpoints serving them.">
      <form class="toolbar" onSubmit=${submit} role="search">
        <input class="grow" type="search" data-search aria-label="URI" placeholder="datasets:/NAME/VERSION, runs:/RUN_ID, models:/NAME/VERSION or endpoints:/NAME"
          value=${text} onInput=${e => setText(e.target.value)} />
        <select aria-label="Direction" value=${direction} onChange=${e => setQuery({ direction: e.target.value === 'both' ? '' : e.target.value })}>
          ${DIRECTIONS.map(([v, l]) => html`<option value=${v}>${l}</option>`)}
        </select>
        <button type="submit" class="primary">Trace</button>
      </form>
      ${uri ? html`<${Result} uri=${uri} direction=${direction} />` : html`
        <${Empty} title="Type a URI to trace" hint="Any dataset version, run, model version or endpoint. Aliases work too (datasets:/NAME@latest, models:/NAME@champion). After the quickstart, try the endpoint it serves:">
          <p><a href=${lineageHref('endpoints:/breast-cancer')}>endpoints:/breast-cancer</a></p>
          <pre class="command"><code>keel lineage endpoints:/breast-cancer --direction upstream</code></pre>
        <//>`}
    <//>`;
}
