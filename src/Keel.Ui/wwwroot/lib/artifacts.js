// A run's artifact tree (MLflow artifacts/list, folders read when opened) and previews by file
// type. Bytes come from /get-artifact (MLflow's UI route), which is also the download link.
// Files over 2 MB are offered for download only, so a model binary never lands in the page.
import { html, useEffect, useState } from '../vendor/htm-preact.mjs';
import { get, MLFLOW } from './api.js';
import { ErrorBox, Loading } from './ui.js';
import { bytes } from './format.js';

export const PREVIEW_LIMIT = 2 * 1024 * 1024;
const CSV_ROWS = 500;

export function artifactUrl(runId, path) {
  return `/get-artifact?run_uuid=${encodeURIComponent(runId)}&path=${encodeURIComponent(path)}`;
}

/** How a file is shown: image, html, csv, json, text or none (binary). */
export function kindOf(path) {
  const name = path.split('/').pop();
  const ext = name.includes('.') ? name.split('.').pop().toLowerCase() : name;
  if (/^(png|jpe?g|gif|svg|webp|bmp)$/.test(ext)) return 'image';
  if (/^html?$/.test(ext)) return 'html';
  if (/^(csv|tsv)$/.test(ext)) return 'csv';
  if (ext === 'json') return 'json';
  if (/^(txt|log|err|out|ya?ml|mlmodel|mlproject|md|markdown|rst|py|cfg|conf|ini|toml|xml|js|sh|requirements|lock|sql|r|ipynb)$/i.test(ext) || ['MLmodel', 'MLproject', 'Dockerfile', 'LICENSE', 'README'].includes(name)) return 'text';
  return 'unknown';
}

/** One folder's entries, read when first shown. */
function Folder({ runId, path, depth, selected, onOpen }) {
  const [state, setState] = useState({ files: null, error: null });
  useEffect(() => {
    const controller = new AbortController();
    get(`${MLFLOW}/artifacts/list`, { run_id: runId, path: path || undefined }, { signal: controller.signal })
      .then(d => setState({ files: d.files || [], error: null }), e => e.name !== 'AbortError' && setState({ files: null, error: e }));
    return () => controller.abort();
  }, [runId, path]);
  if (state.error) return html`<${ErrorBox} error=${state.error} title="Could not list the artifacts" />`;
  if (!state.files) return html`<${Loading} />`;
  if (state.files.length === 0 && depth === 0) return html`<p class="muted">This run logged no artifacts.</p>`;
  const sorted = [...state.files].sort((a, b) => (b.is_dir - a.is_dir) || a.path.localeCompare(b.path));
  return html`<ul class="artifact-tree" role=${depth === 0 ? 'tree' : 'group'}>
    ${sorted.map(f => html`<${Entry} key=${f.path} file=${f} runId=${runId} depth=${depth} selected=${selected} onOpen=${onOpen} />`)}
  </ul>`;
}

function Entry({ file, runId, depth, selected, onOpen }) {
  const name = file.path.split('/').pop();
  const [open, setOpen] = useState(file.is_dir && selected && selected.startsWith(file.path + '/'));
  if (file.is_dir) {
    return html`<li role="treeitem" aria-expanded=${open}>
      <button type="button" class="artifact-entry" onClick=${() => setOpen(o => !o)}>${open ? '▾' : '▸'} ${name}/</button>
      ${open && html`<${Folder} runId=${runId} path=${file.path} depth=${depth + 1} selected=${selected} onOpen=${onOpen} />`}
    </li>`;
  }
  return html`<li role="treeitem" aria-selected=${selected === file.path}>
    <button type="button" class=${'artifact-entry' + (selected === file.path ? ' active' : '')} onClick=${() => onOpen(file.path)}>
      ${name} <span class="muted">${file.file_size !== undefined ? bytes(file.file_size) : ''}</span>
    </button>
  </li>`;
}

export function ArtifactTree({ runId, selected, onOpen }) {
  return html`<div class="artifact-tree-box" data-testid="artifact-tree"><${Folder} runId=${runId} path="" depth=${0} selected=${selected} onOpen=${onOpen} /></div>`;
}

/** A small CSV reader: quoted fields with "" escapes and commas or tabs. */
export function parseCsv(text, limit = CSV_ROWS + 1) {
  const sep = text.slice(0, 2000).split('\n')[0].includes('\t') && !text.slice(0, 2000).split('\n')[0].includes(',') ? '\t' : ',';
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length && rows.length < limit; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field.replace(/\r$/, '')); rows.push(row); row = []; field = ''; }
    else field += c;
  }
  if ((field || row.length) && rows.length < limit) { row.push(field.replace(/\r$/, '')); rows.push(row); }
  return rows;
}

/** The preview of one file, by type, with its download link. */
export function ArtifactPreview({ runId, path }) {
  const url = artifactUrl(runId, path);
  const kind = kindOf(path);
  const [state, setState] = useState({ loading: true });
  useEffect(() => {
    const controller = new AbortController();
    setState({ loading: true });
    (async () => {
      const response = await fetch(url, { signal: controller.signal, headers: kind === 'image' ? { Range: 'bytes=0-0' } : {} });
      if (!response.ok) {
        const body = await response.json().catch(() => ({}));
        throw Object.assign(new Error(body.message || response.statusText), { status: response.status, code: body.error_code });
      }
      const size = Number((response.headers.get('content-range') || '').split('/')[1] || response.headers.get('content-length'));
      if (kind === 'image') { controller.abort(); return { size }; }
      if (size > PREVIEW_LIMIT) { controller.abort(); return { size, tooBig: true }; }
      const text = await response.text();
      if (kind === 'unknown' && /\u0000/.test(text.slice(0, 4000))) return { size, binary: true };
      return { size, text };
    })().then(r => setState(r), e => e.name !== 'AbortError' && setState({ error: e }));
    return () => controller.abort();
  }, [url]);

  const head = html`<div class="preview-head">
    <strong class="mono">${path}</strong>
    ${state.size >= 0 && html`<span class="muted">${bytes(state.size)}</span>`}
    <a class="button" href=${url} download=${path.split('/').pop()}>Download</a>
  </div>`;
  let body;
  if (state.error) body = html`<${ErrorBox} error=${state.error} title="Could not read this file" />`;
  else if (state.loading) body = html`<${Loading} />`;
  else if (state.tooBig) body = html`<p class="muted">This file is larger than ${bytes(PREVIEW_LIMIT)}: it is not previewed. Download it to look inside.</p>`;
  else if (state.binary) body = html`<p class="muted">A binary file: download it to open it.</p>`;
  else if (kind === 'image') body = html`<img class="preview-image" src=${url} alt=${path} />`;
  else if (kind === 'html') body = html`<iframe class="preview-frame" sandbox="" title=${path} srcdoc=${state.text}></iframe>`;
  else if (kind === 'csv') {
    const rows = parseCsv(state.text);
    const [header, ...rest] = rows.length ? rows : [[]];
    const shown = rest.slice(0, CSV_ROWS);
    body = html`<div class="table-wrap preview-csv"><table class="table">
        <thead><tr>${header.map(h => html`<th>${h}</th>`)}</tr></thead>
        <tbody>${shown.map(r => html`<tr>${r.map(c => html`<td>${c}</td>`)}</tr>`)}</tbody>
      </table></div>
      ${rest.length > CSV_ROWS || state.text.length > 0 && rows.length > CSV_ROWS ? html`<p class="muted">The first ${CSV_ROWS} rows are shown; download the file for the rest.</p>` : null}`;
  } else if (kind === 'json') {
    let pretty = state.text;
    try { pretty = JSON.stringify(JSON.parse(state.text), null, 2); } catch (e) { /* shown as written */ }
    body = html`<pre class="preview-text">${pretty}</pre>`;
  } else body = html`<pre class="preview-text">${state.text}</pre>`;
  return html`<div class="artifact-preview" data-testid="artifact-preview">${head}${body}</div>`;
}
