// A parallel-coordinates chart in plain SVG: one vertical axis per param or metric, one polyline
// per run. Numeric axes run min..max, categorical axes space their values evenly; each line is
// coloured by a chosen metric. Hovering a line names the run.
import { html, useEffect, useMemo, useRef, useState } from '../vendor/htm-preact.mjs';
import { num } from './format.js';

const TOP = 34, BOTTOM = 40, SIDE = 70, MIN_GAP = 110, HEIGHT = 340;

/** Is every present value a finite number? */
function numeric(values) {
  const present = values.filter(v => v !== undefined && v !== null && v !== '');
  return present.length > 0 && present.every(v => Number.isFinite(typeof v === 'number' ? v : Number(v)));
}

/** An axis: { label, scale(v) -> 0..1 or null when missing, ticks: [[fraction, text]] }. */
export function makeAxis(label, values) {
  if (numeric(values)) {
    const nums = values.map(v => (v === undefined || v === null || v === '' ? null : Number(v)));
    const present = nums.filter(v => v !== null);
    const min = Math.min(...present), max = Math.max(...present);
    const span = max - min;
    const scale = (v) => (v === null ? null : span === 0 ? 0.5 : (v - min) / span);
    const ticks = span === 0 ? [[0.5, num(min)]] : [0, 0.25, 0.5, 0.75, 1].map(f => [f, num(min + f * span, 3)]);
    return { label, kind: 'numeric', points: nums.map(scale), ticks };
  }
  const texts = values.map(v => (v === undefined || v === null || v === '' ? null : String(v)));
  const cats = [...new Set(texts.filter(v => v !== null))].sort();
  const pos = (v) => (v === null ? null : cats.length === 1 ? 0.5 : cats.indexOf(v) / (cats.length - 1));
  return { label, kind: 'categorical', points: texts.map(pos), ticks: cats.slice(0, 30).map(c => [pos(c), c.length > 14 ? c.slice(0, 13) + '…' : c]) };
}

/** Blue (low) to orange (high) through grey: readable on light and dark. */
export function ramp(f) {
  if (f === null || f === undefined || Number.isNaN(f)) return '#8b949e';
  const lo = [47, 129, 247], mid = [150, 150, 160], hi = [240, 120, 40];
  const [a, b, t] = f < 0.5 ? [lo, mid, f * 2] : [mid, hi, (f - 0.5) * 2];
  return `rgb(${a.map((c, i) => Math.round(c + (b[i] - c) * t)).join(',')})`;
}

/**
 * runs: [{ id, name }]; axes: [{ key, label, values: [per run] }]; color: { label, values: [per run] } or null.
 */
export function ParallelCoordinates({ runs, axes, color }) {
  const [hover, setHover] = useState(null);
  const box = useRef(null);
  const [boxWidth, setBoxWidth] = useState(0);
  useEffect(() => {
    if (!box.current) return undefined;
    const measure = () => setBoxWidth(box.current ? box.current.clientWidth : 0);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(box.current);
    return () => observer.disconnect();
  }, []);
  const built = useMemo(() => axes.map(a => ({ key: a.key, ...makeAxis(a.label, a.values) })), [axes]);
  const colorAxis = useMemo(() => (color ? makeAxis(color.label, color.values) : null), [color]);
  // Axes spread over the box's width; below MIN_GAP apart the chart scrolls sideways in its box.
  const gaps = Math.max(1, built.length - 1);
  const GAP = Math.max(MIN_GAP, (boxWidth - SIDE * 2) / gaps);
  const width = Math.round(SIDE * 2 + gaps * GAP);
  const maxChars = Math.max(8, Math.floor(GAP / 7));
  const plotH = HEIGHT - TOP - BOTTOM;
  const missingY = HEIGHT - 12;
  const x = (i) => Math.round(SIDE + i * GAP);
  const y = (f) => (f === null ? missingY : TOP + (1 - f) * plotH);
  const lines = runs.map((r, ri) => ({
    run: r,
    points: built.map((a, ai) => `${x(ai)},${y(a.points[ri]).toFixed(1)}`).join(' '),
    stroke: colorAxis && colorAxis.kind === 'numeric' ? ramp(colorAxis.points[ri]) : colorAxis ? ramp(colorAxis.points[ri]) : '#2f81f7',
  }));
  const hovered = hover !== null ? runs[hover] : null;
  const anyMissing = built.some(a => a.points.some(p => p === null));
  const colorValue = (ri) => (color ? color.values[ri] : undefined);
  return html`
    <div class="pc">
      <div class="pc-info" aria-live="polite">
        ${hovered
          ? html`<strong data-testid="pc-hover">${hovered.name}</strong>${color && html` <span class="muted">${color.label} = ${num(colorValue(hover))}</span>`}`
          : html`<span class="muted">Hover a line to see its run.</span>`}
        ${colorAxis && colorAxis.kind === 'numeric' && html`
          <span class="pc-legend"><span class="muted">${color.label}</span> ${colorAxis.ticks[0][1]}
            <span class="pc-ramp" aria-hidden="true"></span> ${colorAxis.ticks[colorAxis.ticks.length - 1][1]}</span>`}
      </div>
      <div class="pc-scroll" ref=${box}>
        <svg data-testid="parallel-coordinates" class="pc-svg" width=${width} height=${HEIGHT} viewBox=${`0 0 ${width} ${HEIGHT}`} role="img" aria-label=${`Parallel coordinates of ${runs.length} runs`}>
          <g class="pc-lines" onMouseLeave=${() => setHover(null)}>
            ${lines.map((l, i) => html`
              <polyline key=${l.run.id} data-run=${l.run.id} points=${l.points} fill="none" stroke=${l.stroke}
                class=${hover === i ? 'pc-line hot' : hover !== null ? 'pc-line dim' : 'pc-line'}
                onMouseOver=${() => setHover(i)}><title>${l.run.name}</title></polyline>`)}
          </g>
          ${built.map((a, ai) => html`
            <g class="pc-axis" key=${a.key}>
              <line x1=${x(ai)} x2=${x(ai)} y1=${TOP} y2=${TOP + plotH} />
              <text class="pc-label" x=${x(ai)} y=${TOP - 14} text-anchor="middle">${a.label.length > maxChars ? a.label.slice(0, maxChars - 1) + '…' : a.label}<title>${a.label}</title></text>
              ${a.ticks.map(([f, t]) => html`<text class="pc-tick" x=${x(ai) - 5} y=${y(f) + 4} text-anchor="end">${t}</text>`)}
            </g>`)}
          ${anyMissing && html`<text class="pc-tick" x=${4} y=${missingY + 4}>missing</text>`}
        </svg>
      </div>
    </div>`;
}
