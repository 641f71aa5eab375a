// A registered model: its versions (stage, aliases, source run, one chosen metric of each run),
// that metric across versions, and its aliases. Moving or deleting an alias and changing a stage
// each ask first, saying exactly what will change.
import { html, useMemo, useState } from '../vendor/htm-preact.mjs';
import { Page, Loaded, Table, Badge, Confirm, KeyValues, Empty } from '../lib/ui.js';
import { get, post, del, readAll, useApi, MLFLOW } from '../lib/api.js';
import { href, setQuery } from '../lib/router.js';
import { ago, num, time } from '../lib/format.js';
import { LineChart } from '../lib/chart.js';
import { loadRunsByIds } from '../lib/run-batch.js';

const STAGES = ['None', 'Staging', 'Production', 'Archived'];
const quote = (s) => `'${String(s).replace(/'/g, "\\'")}'`;

async function loadModel(name, signal) {
  const [model, versions] = await Promise.all([
    get(`${MLFLOW}/registered-models/get`, { name }, { signal }),
    readAll(token => get(`${MLFLOW}/model-versions/search`, { filter: `name=${quote(name)}`, max_results: 1000, page_token: token }, { signal }), 'model_versions', 5000),
  ]);
  versions.sort((a, b) => Number(b.version) - Number(a.version));
  const runIds = [...new Set(versions.map(v => v.run_id).filter(Boolean))];
  let runs = {}, runsError = null;
  try {
    const loaded = await loadRunsByIds(runIds, { signal });
    runs = Object.fromEntries(loaded.map(r => [r.id, r]));
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    runsError = e;
  }
  return { model: model.registered_model, versions, runs, runsError };
}

export default function Model({ params, query }) {
  const name = params.name;
  const state = useApi(signal => loadModel(name, signal), [name]);
  return html`
    <${Page} title=${name} crumbs=${[['Models', href('/models')]]}>
      <${Loaded} state=${state}>${(d) => html`<${ModelView} name=${name} data=${d} query=${query} reload=${state.reload} />`}<//>
    <//>`;
}

function ModelView({ name, data, query, reload }) {
  const { model, versions, runs, runsError } = data;
  const aliases = model.aliases || [];
  const aliasesOf = (v) => aliases.filter(a => String(a.version) === String(v.version)).map(a => a.alias);
  const metricKeys = useMemo(() => {
    const seen = new Set();
    for (const r of Object.values(runs)) for (const k of Object.keys(r.metrics)) seen.add(k);
    return [...seen].sort();
  }, [runs]);
  const metric = metricKeys.includes(query.get('metric')) ? query.get('metric') : (metricKeys.includes('auc') ? 'auc' : metricKeys[0]);
  const metricOf = (v) => (v.run_id && runs[v.run_id] ? runs[v.run_id].metrics[metric] : undefined);
  const [confirm, setConfirm] = useState(null);
  const versionHref = (v) => href(`/models/${encodeURIComponent(name)}/versions/${v.version}`);

  const chartSeries = useMemo(() => {
    const points = versions.filter(v => Number.isFinite(metricOf(v))).map(v => [Number(v.version), metricOf(v)]).sort((a, b) => a[0] - b[0]);
    return points.length ? [{ label: metric, x: points.map(p => p[0]), y: points.map(p => p[1]) }] : [];
  }, [versions, runs, metric]);

  const act = (title, body, confirmLabel, action, typeToConfirm) => setConfirm({ title, body, confirmLabel, action, typeToConfirm });
  const done = async (action) => { await action(); setConfirm(null); reload(); };

  const askSetAlias = (alias, version) => {
    alias = alias.trim().replace(/^@/, '');
    if (!alias || !version) return;
    const current = aliases.find(a => a.alias === alias);
    const uri = `models:/${name}@${alias}`;
    if (current && String(current.version) === String(version)) {
      act(`@${alias} already serves version ${version}`, html`<p><code>${uri}</code> already points to version ${version}; nothing would change.</p>`, 'Close', async () => {});
      return;
    }
    const body = current
      ? html`<p><strong><code>${uri}</code> will serve version ${version} instead of ${current.version}</strong>; endpoints that follow the alias pick it up.</p>`
      : html`<p><strong><code>${uri}</code> will serve version ${version}</strong> (a new alias); endpoints that follow the alias pick it up.</p>`;
    act(current ? `Move @${alias} to version ${version}?` : `Set @${alias} on version ${version}?`, body, current ? `Move @${alias}` : `Set @${alias}`,
      () => post(`${MLFLOW}/registered-models/alias`, { name, alias, version: String(version) }),
      current && alias === 'champion' ? alias : undefined);
  };
  const askDeleteAlias = (a) => {
    const uri = `models:/${name}@${a.alias}`;
    act(`Delete @${a.alias}?`,
      html`<p><strong><code>${uri}</code> will no longer resolve</strong> (it serves version ${a.version} now); endpoints and clients that load it by the alias will fail to load it.</p>`,
      `Delete @${a.alias}`, () => del(`${MLFLOW}/registered-models/alias`, { name, alias: a.alias }),
      a.alias === 'champion' ? a.alias : undefined);
  };
  const askStage = (version, stage, archive) => {
    const v = versions.find(x => String(x.version) === String(version));
    if (!v) return;
    const from = v.current_stage || 'None';
    const others = versions.filter(x => x !== v && x.current_stage === stage);
    act(`Move version ${version} to ${stage}?`,
      html`<p><strong>Version ${version} of ${name} moves from ${from} to ${stage}.</strong></p>
        ${archive && others.length > 0 && (stage === 'Staging' || stage === 'Production')
          ? html`<p>Also archived: ${others.map(o => 'version ' + o.version).join(', ')} (now in ${stage}).</p>` : ''}
        <p class="muted">Clients that load <code>models:/${name}/${stage}</code> pick up the change.</p>`,
      `Move to ${stage}`,
      () => post(`${MLFLOW}/model-versions/transition-stage`, { name, version: String(version), stage, archive_existing_versions: !!archive }));
  };

  return html`
    <div class="model-grid">
      <div class="card">
        <h2>Details</h2>
        <${KeyValues} items=${[
          ['Versions', num(versions.length)],
          ['Latest', versions[0] ? html`<a href=${versionHref(versions[0])}>version ${versions[0].version}</a>` : '—'],
          ['Description', model.description],
          ['Tags', (model.tags || []).length ? (model.tags || []).map(t => html`<span class="tag">${t.key}=${t.value}</span>`) : undefined],
          ['Created', time(model.creation_timestamp)],
          ['Updated', ago(model.last_updated_timestamp)],
        ]} />
      </div>
      <${Aliases} name=${name} aliases=${aliases} versions=${versions} onSet=${askSetAlias} onDelete=${askDeleteAlias} />
      <${StageForm} versions=${versions} onAsk=${askStage} />
    </div>
    <section class="card compare-card">
      <div class="toolbar">
        <h2>${metric || 'Metric'} across versions</h2>
        ${metricKeys.length > 0 && html`<label>Metric <select aria-label="Metric of each version" value=${metric} onChange=${e => setQuery({ metric: e.target.value })}>
          ${metricKeys.map(k => html`<option value=${k}>${k}</option>`)}</select></label>`}
      </div>
      ${runsError && html`<p class="muted">The versions' source runs could not be read: ${runsError.message}</p>`}
      ${chartSeries.length === 0 ? html`<p class="muted">No version's source run logged ${metric || 'a metric'}.</p>`
        : html`<${LineChart} series=${chartSeries} xLabel="version" yLabel=${metric} integerX=${true} points=${chartSeries[0].x.length < 2} height=${220} testid="version-metric-chart" />`}
    </section>
    <div class="toolbar">
      <h2 class="flush">Versions</h2>
      ${Object.keys(runs).length > 1 && html`<a href=${href('/compare', { runs: versions.map(v => v.run_id).filter(id => id && runs[id]).filter((id, i, all) => all.indexOf(id) === i).join(',') })}>Compare their source runs →</a>`}
    </div>
    ${versions.length === 0 ? html`<${Empty} title="No version yet" hint="Register a run's model as a version of this model." command=${`keel models register ${name} runs:/RUN_ID/model`} />` : html`
    <${Table} rows=${versions} rowKey=${v => v.version} rowHref=${versionHref} columns=${[
      { key: 'version', label: 'Version', render: v => `v${v.version}` },
      { key: 'stage', label: 'Stage', render: v => html`<${Badge} value=${v.current_stage || 'None'} kind=${!v.current_stage || v.current_stage === 'None' ? 'neutral' : undefined} />` },
      { key: 'aliases', label: 'Aliases', render: v => aliasesOf(v).map(a => html`<${Badge} value=${'@' + a} kind=${a === 'champion' ? 'good' : 'neutral'} /> `) },
      { key: 'status', label: 'Status', render: v => html`<${Badge} value=${v.status} />` },
      { key: 'run', label: 'Source run', render: v => (v.run_id ? html`<a href=${href('/runs/' + v.run_id)}>${runs[v.run_id] ? runs[v.run_id].name : v.run_id.slice(0, 8)}</a>` : html`<span class="muted">—</span>`) },
      { key: 'metric', label: metric || 'Metric', align: 'right', render: v => num(metricOf(v)) },
      { key: 'created', label: 'Created', render: v => time(v.creation_timestamp) },
      { key: 'tags', label: 'Tags', render: v => (v.tags || []).filter(t => !t.key.startsWith('keel.pipeline.step')).map(t => html`<span class="tag">${t.key}=${t.value}</span>`) },
    ]} />`}
    <${Confirm} open=${!!confirm} title=${confirm?.title} body=${confirm?.body} confirmLabel=${confirm?.confirmLabel}
      typeToConfirm=${confirm?.typeToConfirm} onCancel=${() => setConfirm(null)} onConfirm=${() => done(confirm.action)} />`;
}

function Aliases({ name, aliases, versions, onSet, onDelete }) {
  const [alias, setAlias] = useState('');
  const [version, setVersion] = useState('');
  const chosen = version || (versions[0] && versions[0].version) || '';
  return html`
    <div class="card" data-testid="aliases">
      <h2>Aliases</h2>
      ${aliases.length === 0 ? html`<p class="muted">No alias: set one below so endpoints and clients can load <code>models:/${name}@ALIAS</code>.</p>` : html`
        <ul class="alias-list">
          ${aliases.map(a => html`
            <li data-alias=${a.alias}>
              <${Badge} value=${'@' + a.alias} kind=${a.alias === 'champion' ? 'good' : 'neutral'} /> →
              <a href=${href(`/models/${encodeURIComponent(name)}/versions/${a.version}`)}>version ${a.version}</a>
              <span class="actions">
                <button type="button" onClick=${() => { setAlias(a.alias); document.querySelector('[aria-label="Version for the alias"]')?.focus(); }}>Move…</button>
                <button type="button" onClick=${() => onDelete(a)}>Delete…</button>
              </span>
            </li>`)}
        </ul>`}
      <form class="form-row" onSubmit=${e => { e.preventDefault(); onSet(alias, chosen); }}>
        <label>Alias<input list="alias-names" value=${alias} placeholder="champion" onInput=${e => setAlias(e.target.value)} aria-label="Alias" required /></label>
        <datalist id="alias-names">${aliases.map(a => html`<option value=${a.alias} />`)}</datalist>
        <label>Version<select value=${chosen} onChange=${e => setVersion(e.target.value)} aria-label="Version for the alias">
          ${versions.map(v => html`<option value=${v.version}>version ${v.version}</option>`)}</select></label>
        <button type="submit" class="primary">Set alias…</button>
      </form>
    </div>`;
}

function StageForm({ versions, onAsk }) {
  const [version, setVersion] = useState('');
  const [stage, setStage] = useState('Staging');
  const [archive, setArchive] = useState(false);
  const chosen = version || (versions[0] && versions[0].version) || '';
  if (versions.length === 0) return null;
  return html`
    <div class="card">
      <h2>Stage</h2>
      <p class="muted">Stages are MLflow's older way to mark versions; aliases are preferred.</p>
      <form class="form-row" onSubmit=${e => { e.preventDefault(); onAsk(chosen, stage, archive); }}>
        <label>Version<select value=${chosen} onChange=${e => setVersion(e.target.value)} aria-label="Version for the stage">
          ${versions.map(v => html`<option value=${v.version}>version ${v.version} (${v.current_stage || 'None'})</option>`)}</select></label>
        <label>Stage<select value=${stage} onChange=${e => setStage(e.target.value)} aria-label="New stage">
          ${STAGES.map(s => html`<option value=${s}>${s}</option>`)}</select></label>
        <label class="check"><input type="checkbox" checked=${archive} onChange=${e => setArchive(e.target.checked)} /> archive others in that stage</label>
        <button type="submit">Change stage…</button>
      </form>
    </div>`;
}
