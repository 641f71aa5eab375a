// Charts on uPlot (vendor/uplot.min.js, loaded as the global uPlot): canvas drawing that stays
// fast at 100,000 points. This wrapper sizes charts to their box, follows the theme and aligns
// series that were logged at different steps.
import { html, useEffect, useRef } from '../vendor/htm-preact.mjs';

/** Colours for series, readable on light and dark backgrounds. */
export const palette = ['#2f81f7', '#e5534b', '#57ab5a', '#c69026', '#986ee2', '#39c5cf', '#dd7bbb', '#768390', '#f69d50', '#6cb6ff'];

export const colorOf = (i) => palette[i % palette.length];

function themeColors() {
  const css = getComputedStyle(document.documentElement);
  return { axis: css.getPropertyValue('--muted').trim() || '#888', grid: css.getPropertyValue('--grid').trim() || 'rgba(128,128,128,.15)' };
}

/**
 * Lines over a shared x: series = [{ label, x: [...], y: [...] }]. Series with different x are
 * aligned (missing points left as gaps). time=true reads x as epoch milliseconds.
 * points=true draws markers only (scatter of sorted x). integerX=true puts x ticks on whole
 * numbers only (versions, counts).
 */
export function LineChart({ series, height = 260, xLabel = 'step', yLabel, time = false, logY = false, points = false, integerX = false, testid }) {
  const box = useRef(null);
  useEffect(() => {
    if (!box.current || !window.uPlot || series.length === 0) return undefined;
    const colors = themeColors();
    const tables = series.map(s => {
      const order = s.x.map((_, i) => i).sort((a, b) => s.x[a] - s.x[b]);
      return [order.map(i => time ? s.x[i] / 1000 : s.x[i]), order.map(i => s.y[i])];
    });
    const data = tables.length === 1 ? tables[0] : window.uPlot.join(tables);
    const axis = { stroke: colors.axis, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid } };
    const opts = {
      width: Math.max(200, box.current.clientWidth),
      height,
      scales: { x: { time }, y: logY ? { distr: 3 } : {} },
      axes: [{ ...axis, label: xLabel, ...(integerX ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] } : {}) }, { ...axis, label: yLabel, size: 60 }],
      legend: { show: series.length <= 12 },
      cursor: { drag: { x: true, y: false } },
      series: [{ label: xLabel }, ...series.map((s, i) => ({
        label: s.label,
        stroke: s.color || colorOf(i),
        width: 1.5,
        spanGaps: true,
        points: points ? { show: true, size: 6, fill: s.color || colorOf(i) } : { show: false },
        paths: points ? () => null : undefined,
      }))],
    };
    const plot = new window.uPlot(opts, data, box.current);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, box.current.clientWidth), height }));
    resize.observe(box.current);
    return () => { resize.disconnect(); plot.destroy(); };
  }, [series, height, xLabel, yLabel, time, logY, points, integerX]);
  return html`<div class="chart" ref=${box} data-testid=${testid} data-points=${series.reduce((n, s) => n + s.x.length, 0)}></div>`;
}
