// A dataset: its versions (digest, rows, size, aliases) and the Great Expectations suite that
// gates every new version.
import { html, Page, Loaded, Empty, Table, KeyValues, Badge } from '../lib/ui.js';
import { get, useApi, readAll, KEEL } from '../lib/api.js';
import { href } from '../lib/router.js';
import { ago, time, num, bytes, short } from '../lib/format.js';
import { lineageHref } from '../lib/uri-links.js';

async function load(name, signal) {
  const enc = encodeURIComponent(name);
  const [dataset, versions, events] = await Promise.all([
    get(`${KEEL}/datasets/${enc}`, undefined, { signal }),
    readAll(token => get(`${KEEL}/datasets/${enc}/versions`, { max_results: 1000, page_token: token }, { signal }), 'versions'),
    get(`${KEEL}/datasets/events`, { dataset: name, max_results: 50 }, { signal }).catch(e => (e.name === 'AbortError' ? Promise.reject(e) : { events: [], failed: e })),
  ]);
  return { dataset: dataset.dataset, versions, events: events.events || [] };
}

/** The suite as JSON, either Great Expectations form (1.x "type" or the older "expectation_type"). */
export function parseSuite(text) {
  if (!text) return null;
  try {
    const s = typeof text === 'string' ? JSON.parse(text) : text;
    const expectations = (s.expectations || []).map(e => ({
      type: e.type || e.expectation_type,
      kwargs: e.kwargs || {},
      meta: e.meta || {},
      severity: e.severity || 'critical',
    }));
    return { name: s.name || s.expectation_suite_name, expectations };
  } catch (e) {
    return { error: e.message, raw: text };
  }
}

/** Expectation arguments without the column, as "min_value=1, max_value=3". */
export function kwargsText(kwargs) {
  return Object.entries(kwargs || {}).filter(([k]) => k !== 'column').map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ');
}

function Suite({ text }) {
  const suite = parseSuite(text);
  if (!suite) {
    return html`<${Empty} title="No suite gates this dataset" hint="Attach a Great Expectations suite: every new version is checked before it is stored, and a failed critical expectation refuses it." command="keel data suggest datasets:/NAME@latest --out suite.json" />`;
  }
  if (suite.error) return html`<p class="muted">The suite is not valid JSON (${suite.error}).</p><pre>${suite.raw}</pre>`;
  return html`
    <p class="muted">Suite <strong>${suite.name || '(unnamed)'}</strong>: ${suite.expectations.length} expectations, checked on every add.</p>
    <${Table} rows=${suite.expectations} columns=${[
      { key: 'type', label: 'Expectation', render: e => html`<code>${e.type}</code>` },
      { key: 'column', label: 'Column', render: e => e.kwargs.column || (e.kwargs.column_A ? `${e.kwargs.column_A}, ${e.kwargs.column_B}` : '—') },
      { key: 'kwargs', label: 'Arguments', render: e => html`<span class="wrap mono">${kwargsText(e.kwargs) || '—'}</span>` },
      { key: 'severity', label: 'Severity', render: e => html`<${Badge} value=${e.severity} kind=${e.severity === 'critical' ? 'bad' : e.severity === 'warning' ? 'warn' : 'neutral'} />` },
      { key: 'why', label: 'Why', render: e => html`<span class="wrap">${e.meta.why || ''}</span>` },
    ]} />`;
}

export default function Dataset({ params }) {
  const name = params.name;
  const state = useApi(signal => load(name, signal), [name]);
  const enc = encodeURIComponent(name);
  return html`
    <${Page} title=${name} crumbs=${[['Datasets', href('/datasets')]]}
      actions=${html`<a class="button" href=${lineageHref(`datasets:/${name}@latest`, 'downstream')}>Lineage</a>`}>
      <${Loaded} state=${state}>${({ dataset, versions, events }) => html`
        <${KeyValues} items=${[
          ['Description', dataset.description],
          ['Latest version', dataset.latest_version ? html`<a href=${href(`/datasets/${enc}/versions/${dataset.latest_version}`)}>v${dataset.latest_version}</a>` : '—'],
          ['Aliases', Object.entries(dataset.aliases || {}).map(([a, v]) => `@${a} → v${v}`).join(', ') || '—'],
          ['Created', time(dataset.created_at)],
          ['Updated', `${time(dataset.updated_at)} (${ago(dataset.updated_at)})`],
          ['URI', html`<code>datasets:/${name}@latest</code>`],
        ]} />
        <h2>Versions</h2>
        ${versions.length === 0 ? html`<${Empty} title="No version yet" command=${`keel data add FILE --name ${name}`} />` : html`
          <${Table} rows=${versions} rowKey=${v => v.version} rowHref=${v => href(`/datasets/${enc}/versions/${v.version}`)} columns=${[
            { key: 'version', label: 'Version', render: v => `v${v.version}` },
            { key: 'manifest_digest', label: 'Digest', render: v => html`<code title=${v.manifest_digest}>${short(v.manifest_digest, 12)}</code>` },
            { key: 'format', label: 'Format' },
            { key: 'row_count', label: 'Rows', align: 'right', render: v => num(v.row_count) },
            { key: 'file_count', label: 'Files', align: 'right', render: v => num(v.file_count) },
            { key: 'size_bytes', label: 'Size', align: 'right', render: v => bytes(v.size_bytes) },
            { key: 'aliases', label: 'Aliases', render: v => (v.aliases || []).map(a => '@' + a).join(', ') || '—' },
            { key: 'created_at', label: 'Created', render: v => html`<span title=${time(v.created_at)}>${ago(v.created_at)}</span>` },
            { key: 'created_by', label: 'By' },
          ]} />`}
        <h2>Expectation suite</h2>
        <${Suite} text=${dataset.suite} />
        <h2>History</h2>
        <${Table} rows=${events} rowKey=${e => e.id} empty="No recorded change." columns=${[
          { key: 'timestamp', label: 'When', render: e => html`<span title=${ago(e.timestamp)}>${time(e.timestamp)}</span>` },
          { key: 'action', label: 'Change', render: e => html`<code>${e.action}</code>` },
          { key: 'detail', label: 'Detail', render: e => html`<span class="wrap">${e.detail || ''}</span>` },
          { key: 'actor', label: 'By' },
        ]} />`}<//>
    <//>`;
}
