// A pipeline's DAG as SVG: steps laid out left to right in layers by the longest path from the
// roots, a box per step (name and type, coloured by state on a run), solid arrows for values
// passed between steps (input edges) and dashed arrows for ordering only (`after`).
import { html } from '../vendor/htm-preact.mjs';

const W = 150, H = 46, GAP_X = 44, GAP_Y = 22, PAD = 16, ARC = 26;

/** Layer of each step: 0 for roots, else 1 + the deepest upstream. */
export function layers(steps) {
  const byName = new Map(steps.map(s => [s.name, s]));
  const depth = new Map();
  const visit = (name, seen = new Set()) => {
    if (depth.has(name)) return depth.get(name);
    if (seen.has(name)) return 0; // a cycle cannot be applied; be safe anyway
    seen.add(name);
    const s = byName.get(name);
    const d = s && s.upstream && s.upstream.length ? 1 + Math.max(...s.upstream.filter(u => byName.has(u)).map(u => visit(u, seen)), -1) : 0;
    depth.set(name, d);
    return d;
  };
  steps.forEach(s => visit(s.name));
  return depth;
}

/**
 * Which upstream edges carry values: { step: { upstream: ['output', ...] } } from the definition
 * text (YAML or JSON): an input written ${steps.U.OUT} is an input edge; an upstream named
 * only by `after` is an ordering edge.
 */
export function edgeKinds(definition) {
  const out = {};
  if (!definition) return out;
  const refs = (text, into) => {
    for (const m of String(text).matchAll(/\$\{steps\.([\w.-]+?)\.([\w-]+)\}/g)) (into[m[1]] ||= []).includes(m[2]) || into[m[1]].push(m[2]);
  };
  const trimmed = definition.trim();
  if (trimmed.startsWith('{')) {
    try {
      for (const s of JSON.parse(trimmed).steps || []) refs(JSON.stringify(s.inputs || {}), out[s.name] = {});
    } catch { /* not JSON after all: nothing known */ }
    return out;
  }
  const lines = definition.split('\n');
  let inSteps = false, current = null, buffer = [];
  const flush = () => { if (current) refs(buffer.join('\n'), out[current] = {}); buffer = []; };
  for (const line of lines) {
    if (/^\S/.test(line)) { flush(); current = null; inSteps = /^steps\s*:/.test(line); continue; }
    if (!inSteps) continue;
    const m = /^\s*-\s*\{?\s*name\s*:\s*["']?([\w.-]+)/.exec(line);
    if (m) { flush(); current = m[1]; }
    // an inline "after: [...]" does not reference ${steps...}, so it adds nothing
    buffer.push(line.replace(/^\s*after\s*:.*$/, ''));
  }
  flush();
  return out;
}

/** Positions of every step: { name: {x, y, layer} } and the drawing's size. */
export function layout(steps) {
  const depth = layers(steps);
  const columns = [];
  steps.forEach(s => (columns[depth.get(s.name)] ||= []).push(s));
  const pos = {};
  columns.forEach((col, layer) => {
    if (!col) return;
    // order within a layer by the mean row of the upstream steps (fewer crossings), then as declared
    if (layer > 0) {
      const key = s => { const ups = (s.upstream || []).filter(u => pos[u]); return ups.length ? ups.reduce((a, u) => a + pos[u].row, 0) / ups.length : 0; };
      col.sort((a, b) => key(a) - key(b));
    }
    col.forEach((s, row) => { pos[s.name] = { layer, row, x: PAD + layer * (W + GAP_X), y: row * (H + GAP_Y) }; });
  });
  // Edges that skip a layer arc over the boxes between: leave room above the first row for them.
  const long = steps.some(s => (s.upstream || []).some(u => depth.has(u) && depth.get(s.name) - depth.get(u) > 1));
  const top = PAD + (long ? ARC : 0);
  for (const p of Object.values(pos)) p.y += top;
  const tallest = Math.max(1, ...columns.map(c => (c ? c.length : 0)));
  return { pos, width: PAD * 2 + columns.length * W + Math.max(0, columns.length - 1) * GAP_X, height: top + PAD + tallest * H + (tallest - 1) * GAP_Y };
}

function clip(text, n) { return text.length > n ? text.slice(0, n - 1) + '…' : text; }

/**
 * steps: [{ name, type, upstream, state?, note? }]; kinds: edgeKinds(definition);
 * stepHref(step) makes a box a link; selected highlights one step.
 */
export function PipelineDag({ steps, kinds = {}, stepHref, selected, label = 'Pipeline steps' }) {
  if (!steps || steps.length === 0) return html`<p class="muted">No steps.</p>`;
  const { pos, width, height } = layout(steps);
  const edges = [];
  for (const s of steps) {
    for (const u of s.upstream || []) {
      if (!pos[u]) continue;
      const outputs = kinds[s.name] && kinds[s.name][u];
      edges.push({ from: u, to: s.name, input: !!outputs || !kinds[s.name], outputs: outputs || [] });
    }
  }
  return html`
    <div class="dag-wrap">
      <svg class="dag" data-testid="pipeline-dag" role=${stepHref ? "group" : "img"} aria-label=${label} width=${width} height=${height} viewBox=${`0 0 ${width} ${height}`}>
        <defs><marker id="dag-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="dag-arrowhead" /></marker></defs>
        ${edges.map(e => {
          const a = pos[e.from], b = pos[e.to];
          let d;
          if (b.layer - a.layer > 1) {
            // over the boxes in between: from the source's top to the target's top
            const sx = a.x + W * 0.7, tx = b.x + W * 0.3, peak = Math.min(a.y, b.y) - ARC;
            d = `M${sx},${a.y} C${sx},${peak} ${tx},${peak} ${tx},${b.y - 2}`;
          } else {
            const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x - 2, y2 = b.y + H / 2, mx = (x1 + x2) / 2;
            d = `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
          }
          return html`<path class=${'dag-edge' + (e.input ? '' : ' dag-after')} data-from=${e.from} data-to=${e.to} d=${d} marker-end="url(#dag-arrow)">
            <title>${e.input ? `${e.from} → ${e.to}${e.outputs.length ? ': ' + e.outputs.join(', ') : ''}` : `${e.to} runs after ${e.from}`}</title></path>`;
        })}
        ${steps.map(s => {
          const p = pos[s.name];
          const state = s.state || 'defined';
          const box = html`
            <g class=${'dag-node state-' + state + (selected === s.name ? ' selected' : '')} data-step=${s.name} data-state=${s.state || undefined} transform=${`translate(${p.x},${p.y})`}>
              <title>${s.name} (${s.type})${s.state ? ': ' + s.state : ''}${s.note ? ' — ' + s.note : ''}</title>
              <rect width=${W} height=${H} rx="6" />
              <text x="10" y="19" class="dag-name">${clip(s.name, 18)}</text>
              <text x="10" y="37" class="dag-type">${clip(s.type + (s.state ? ' · ' + s.state : ''), 22)}</text>
            </g>`;
          return stepHref ? html`<a href=${stepHref(s)} aria-label=${`${s.name}${s.state ? ': ' + s.state : ''}`}>${box}</a>` : box;
        })}
      </svg>
    </div>
    <p class="dag-legend muted"><span class="dag-key"><svg width="28" height="8"><path d="M0,4 L28,4" class="dag-edge" /></svg> passes a value</span> <span class="dag-key"><svg width="28" height="8"><path d="M0,4 L28,4" class="dag-edge dag-after" /></svg> runs after</span></p>`;
}
