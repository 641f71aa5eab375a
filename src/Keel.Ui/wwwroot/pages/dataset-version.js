// A dataset version: what it is (digest, size, rows, source), its schema, the profile stored
// with it (per column type, missing share, distinct, min/max/mean and a histogram), the
// validation result of the suite that gated it, and the runs that used it.
import { html, Page, Loaded, Empty, Table, KeyValues, Badge, ErrorBox, Loading } from '../lib/ui.js';
import { get, useApi, KEEL } from '../lib/api.js';
import { href } from '../lib/router.js';
import { ago, time, num, pct, bytes } from '../lib/format.js';
import { uriHref, lineageHref } from '../lib/uri-links.js';
import { kwargsText } from './dataset.js';

function parse(text) {
  if (!text) return null;
  if (typeof text !== 'string') return text;
  try { return JSON.parse(text); } catch { return null; }
}

/** A small bar chart of a numeric column's histogram. */
export function Histogram({ histogram, width = 140, height = 30 }) {
  const counts = histogram && histogram.counts || [];
  if (counts.length === 0) return '—';
  const max = Math.max(1, ...counts);
  const w = width / counts.length;
  const edges = histogram.edges || [];
  return html`
    <svg class="histogram" data-testid="histogram" width=${width} height=${height} viewBox=${`0 0 ${width} ${height}`} role="img"
      aria-label=${`Histogram from ${num(edges[0])} to ${num(edges[edges.length - 1])}`}>
      ${counts.map((c, i) => {
        const h = c === 0 ? 0 : Math.max(1, (c / max) * (height - 2));
        return html`<rect x=${i * w} y=${height - h} width=${Math.max(1, w - 1)} height=${h}><title>${num(edges[i])} – ${num(edges[i + 1])}: ${num(c)}</title></rect>`;
      })}
    </svg>`;
}

function value(v) {
  if (v === null || v === undefined) return '—';
  return typeof v === 'number' ? num(v) : String(v);
}

function Profile({ profile }) {
  if (!profile) {
    return html`<${Empty} title="No profile stored" hint="Only table formats (CSV/TSV, Parquet, JSON Lines) are profiled when added; this version holds opaque files." />`;
  }
  const rows = profile.row_count ?? null;
  const cols = profile.columns || [];
  return html`
    <p class="muted">${num(rows)} rows, ${cols.length} columns. Distinct counts marked ≈ are HyperLogLog estimates.</p>
    <${Table} rows=${cols} rowKey=${c => c.name} columns=${[
      { key: 'name', label: 'Column', render: c => html`<strong>${c.name}</strong>` },
      { key: 'logical_type', label: 'Type', render: c => html`<span title=${c.physical_type}>${c.logical_type}</span>` },
      { key: 'missing', label: 'Missing', align: 'right', render: c => pct(c.null_count / Math.max(1, rows ?? c.count)) },
      { key: 'distinct', label: 'Distinct', align: 'right', render: c => (c.distinct_exact === false ? '≈' : '') + num(c.distinct_count) },
      { key: 'min', label: 'Min', align: 'right', render: c => value(c.min) },
      { key: 'max', label: 'Max', align: 'right', render: c => value(c.max) },
      { key: 'mean', label: 'Mean', align: 'right', render: c => value(c.mean) },
      { key: 'std', label: 'Std', align: 'right', render: c => value(c.std) },
      { key: 'histogram', label: 'Distribution', render: c => c.histogram ? html`<${Histogram} histogram=${c.histogram} />`
        : c.top_values ? html`<span class="muted wrap">${c.top_values.slice(0, 4).map(t => `${t.value} (${num(t.count)})`).join(', ')}</span>` : '—' },
    ]} />`;
}

function Schema({ schema }) {
  if (!schema || schema.length === 0) return html`<p class="muted">No schema: this version is not a table.</p>`;
  return html`<div class="schema">${schema.map(c => html`<span class="schema-col"><strong>${c.name}</strong> <span class="muted">${c.type}</span></span>`)}</div>`;
}

function observed(r) {
  const res = r.result || {};
  if (res.observed_value !== undefined) return html`<span class="mono">${typeof res.observed_value === 'object' ? JSON.stringify(res.observed_value) : value(res.observed_value)}</span>`;
  if (res.unexpected_count !== undefined) {
    const sample = (res.partial_unexpected_list || []).slice(0, 5);
    return html`${num(res.unexpected_count)} unexpected (${num(res.unexpected_percent ?? 0, 3)}%)${sample.length ? html` <span class="muted">e.g. ${sample.map(s => JSON.stringify(s)).join(', ')}</span>` : ''}`;
  }
  return '—';
}

function Validation({ validation }) {
  if (!validation) {
    return html`<${Empty} title="No validation result stored" hint="A version is validated when the dataset has a suite at the time it is added. To check it now:" command="keel data validate datasets:/NAME/VERSION --suite suite.json" />`;
  }
  const results = validation.results || [];
  const st = validation.statistics || {};
  const failed = results.filter(r => !r.success);
  return html`
    <p data-testid="validation-summary">
      <${Badge} value=${validation.success ? 'passed' : 'failed'} />${' '}
      ${num(st.successful_expectations ?? results.length - failed.length)} of ${num(st.evaluated_expectations ?? results.length)} expectations passed${validation.suite_name ? html` (suite <strong>${validation.suite_name}</strong>)` : ''}.
      ${!validation.success && failed.every(r => (r.expectation_config?.severity || 'critical') !== 'critical') ? ' Only warnings failed, so the version was accepted.' : ''}
    </p>
    <${Table} rows=${results} columns=${[
      { key: 'success', label: 'Result', render: r => html`<${Badge} value=${r.success ? 'pass' : 'fail'} />` },
      { key: 'type', label: 'Expectation', render: r => html`<code>${r.expectation_config?.type || r.expectation_config?.expectation_type}</code>` },
      { key: 'column', label: 'Column', render: r => r.expectation_config?.kwargs?.column || '—' },
      { key: 'kwargs', label: 'Arguments', render: r => html`<span class="wrap mono">${kwargsText(r.expectation_config?.kwargs) || '—'}</span>` },
      { key: 'severity', label: 'Severity', render: r => r.expectation_config?.severity || 'critical' },
      { key: 'observed', label: 'Observed', render: observed },
    ]} />`;
}

function UsedBy({ uri }) {
  const state = useApi(signal => get(`${KEEL}/lineage`, { uri, direction: 'downstream' }, { signal }), [uri]);
  if (state.error) return html`<${ErrorBox} error=${state.error} retry=${state.reload} />`;
  if (!state.data) return html`<${Loading} />`;
  const nodes = (state.data.nodes || []).filter(n => n.id !== state.data.root);
  if (nodes.length === 0) return html`<p class="muted">No run has used this version yet (train on <code>${uri}</code> to link one).</p>`;
  return html`
    <ul class="node-list" data-testid="used-by">
      ${nodes.map(n => html`<li><span class="badge">${n.kind}</span> ${uriHref(n.id) ? html`<a href=${uriHref(n.id)}>${n.label}</a>` : n.label} <span class="muted mono">${n.id}</span></li>`)}
    </ul>
    <p><a href=${lineageHref(uri, 'downstream')}>See the lineage graph</a></p>`;
}

export default function DatasetVersion({ params }) {
  const { name, version } = params;
  const enc = encodeURIComponent(name);
  const state = useApi(signal => get(`${KEEL}/datasets/${enc}/versions/${encodeURIComponent(version)}`, undefined, { signal }), [name, version]);
  const uri = `datasets:/${name}/${version}`;
  return html`
    <${Page} title=${`${name} v${version}`} crumbs=${[['Datasets', href('/datasets')], [name, href('/datasets/' + enc)]]}
      actions=${html`<a class="button" href=${lineageHref(uri, 'both')}>Lineage</a>`}>
      <${Loaded} state=${state}>${({ version: v }) => {
        const profile = parse(v.profile);
        const schema = parse(v.schema);
        const validation = parse(v.validation);
        return html`
          <${KeyValues} items=${[
            ['URI', html`<code>${v.uri || uri}</code>`],
            ['Digest', html`<code>${v.manifest_digest}</code>`],
            ['Format', v.format],
            ['Rows', num(v.row_count)],
            ['Files', num(v.file_count)],
            ['Size', bytes(v.size_bytes)],
            ['Aliases', (v.aliases || []).map(a => '@' + a).join(', ') || '—'],
            ['Source', v.source && html`<code>${v.source}</code>`],
            ['Description', v.description],
            ['Created', `${time(v.created_at)} (${ago(v.created_at)})${v.created_by ? ' by ' + v.created_by : ''}`],
          ]} />
          <h2>Schema</h2>
          <${Schema} schema=${schema} />
          <h2>Profile</h2>
          <${Profile} profile=${profile} />
          <h2>Validation</h2>
          <${Validation} validation=${validation} />
          <h2>Used by</h2>
          <${UsedBy} uri=${v.uri || uri} />`;
      }}<//>
    <//>`;
}
