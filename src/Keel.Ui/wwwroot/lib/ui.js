// Shared pieces every page uses, so the pages look and behave alike: the page frame, loading,
// error and empty states, tables with keyboard navigation, tabs, key/value lists, badges and
// the confirmation a destructive action deserves.
import { html, useEffect, useRef, useState } from '../vendor/htm-preact.mjs';
import { href } from './router.js';

export { html };

/** The frame of a page: breadcrumbs, a title, actions on the right, then the content. */
export function Page({ title, crumbs = [], actions, subtitle, children }) {
  useEffect(() => { document.title = title ? `${title} · Keel` : 'Keel'; }, [title]);
  return html`
    <section class="page">
      <header class="page-head">
        ${crumbs.length > 0 && html`<nav class="crumbs" aria-label="Breadcrumb">${crumbs.map(([label, to], i) => html`${i > 0 && html`<span aria-hidden="true"> / </span>`}<a href=${to}>${label}</a>`)}</nav>`}
        <div class="page-title-row">
          <h1>${title}</h1>
          ${actions && html`<div class="actions">${actions}</div>`}
        </div>
        ${subtitle && html`<p class="subtitle">${subtitle}</p>`}
      </header>
      ${children}
    </section>`;
}

export function Loading({ label = 'Loading…' }) {
  return html`<div class="loading" role="status" aria-live="polite"><span class="spinner" aria-hidden="true"></span>${label}</div>`;
}

/** What went wrong, in the server's words, with a way to try again. */
export function ErrorBox({ error, retry, title = 'Could not load this view' }) {
  if (!error) return null;
  const status = error.status ? ` (${error.status}${error.code ? ' ' + error.code : ''})` : '';
  return html`
    <div class="error-box" role="alert">
      <strong>${title}${status}</strong>
      <p>${error.message || String(error)}</p>
      ${retry && html`<button type="button" onClick=${retry}>Try again</button>`}
    </div>`;
}

/** An empty state that says what to do next, with the command that does it. */
export function Empty({ title, hint, command, children }) {
  return html`
    <div class="empty" data-testid="empty">
      <strong>${title}</strong>
      ${hint && html`<p>${hint}</p>`}
      ${command && html`<pre class="command"><code>${command}</code></pre>`}
      ${children}
    </div>`;
}

/** Shows loading, error or the content of a useApi() state. */
export function Loaded({ state, children }) {
  if (state.error) return html`<${ErrorBox} error=${state.error} retry=${state.reload} />`;
  if (state.data === undefined) return html`<${Loading} />`;
  return children(state.data);
}

/** A state such as RUNNING / succeeded / canary as a coloured badge. */
export function Badge({ value, kind }) {
  const v = String(value ?? '').toLowerCase();
  const tone = kind || (/(succeed|finished|ready|active|pass|promoted|ok|champion|cached|resolved)/.test(v) ? 'good'
    : /(fail|error|killed|rolled|abort|firing|drift|breach)/.test(v) ? 'bad'
      : /(run|queued|pending|canary|progress|warn|scheduled|acknowledged)/.test(v) ? 'warn' : 'neutral');
  return html`<span class=${'badge badge-' + tone}>${value}</span>`;
}

/** A definition list of [label, value] pairs. */
export function KeyValues({ items }) {
  const shown = items.filter(([, v]) => v !== undefined && v !== null && v !== '');
  return html`<dl class="kv">${shown.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

/** Tabs whose choice lives in the URL (the caller passes the current one and an onChange that sets it). */
export function Tabs({ tabs, current, onChange }) {
  return html`
    <div class="tabs" role="tablist">
      ${tabs.map(([id, label]) => html`
        <button type="button" role="tab" aria-selected=${current === id} class=${current === id ? 'tab active' : 'tab'} onClick=${() => onChange(id)}>${label}</button>`)}
    </div>`;
}

/**
 * A table. columns: [{ key, label, render(row), sortable, align, title }]; rows: objects.
 * rowHref(row) makes each row a link and lets the keyboard move through rows (↑/↓ or j/k, Enter
 * opens). sort = { key, desc } with onSort(key) makes headers clickable.
 */
export function Table({ columns, rows, rowHref, rowKey = (r, i) => i, sort, onSort, selected, onSelect, caption, empty = 'Nothing to show.' }) {
  const body = useRef(null);
  const move = (e) => {
    const rowsEls = [...body.current.querySelectorAll('tr[tabindex]')];
    const at = rowsEls.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' || e.key === 'j') { rowsEls[Math.min(rowsEls.length - 1, at + 1)]?.focus(); e.preventDefault(); }
    else if (e.key === 'ArrowUp' || e.key === 'k') { rowsEls[Math.max(0, at - 1)]?.focus(); e.preventDefault(); }
    else if (e.key === 'Enter' && at >= 0 && rowHref) { location.hash = rowHref(rows[at]).replace(/^#/, ''); e.preventDefault(); }
    else if (e.key === ' ' && at >= 0 && onSelect) { onSelect(rows[at]); e.preventDefault(); }
  };
  return html`
    <div class="table-wrap">
      <table class="table">
        ${caption && html`<caption>${caption}</caption>`}
        <thead><tr>
          ${onSelect && html`<th class="select-col"><span class="visually-hidden">Select</span></th>`}
          ${columns.map(c => {
            const active = sort && sort.key === c.key;
            const label = c.sortable && onSort
              ? html`<button type="button" class="sort" onClick=${() => onSort(c.key)} title=${c.title || 'Sort by ' + c.label}>${c.label}${active ? (sort.desc ? ' ▼' : ' ▲') : ''}</button>`
              : html`<span title=${c.title}>${c.label}</span>`;
            return html`<th class=${c.align === 'right' ? 'num' : ''} aria-sort=${active ? (sort.desc ? 'descending' : 'ascending') : undefined}>${label}</th>`;
          })}
        </tr></thead>
        <tbody ref=${body} onKeyDown=${move}>
          ${rows.length === 0 && html`<tr><td colspan=${columns.length + (onSelect ? 1 : 0)} class="muted">${empty}</td></tr>`}
          ${rows.map((r, i) => html`
            <tr key=${rowKey(r, i)} tabindex=${rowHref || onSelect ? 0 : undefined} class=${selected && selected.has(rowKey(r, i)) ? 'selected' : ''}>
              ${onSelect && html`<td class="select-col"><input type="checkbox" aria-label="Select row" checked=${selected && selected.has(rowKey(r, i))} onChange=${() => onSelect(r)} /></td>`}
              ${columns.map((c, j) => html`<td class=${c.align === 'right' ? 'num' : ''}>${j === 0 && rowHref ? html`<a href=${rowHref(r)} tabindex="-1">${c.render ? c.render(r) : r[c.key]}</a>` : (c.render ? c.render(r) : r[c.key])}</td>`)}
            </tr>`)}
        </tbody>
      </table>
    </div>`;
}

/**
 * A confirmation for a destructive or visible change: says what will happen, and for the worst
 * ones asks the person to type a word (e.g. the alias) before the button works.
 */
export function Confirm({ open, title, body, confirmLabel = 'Confirm', danger = true, typeToConfirm, onConfirm, onCancel }) {
  const dialog = useRef(null);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) { setTyped(''); setError(null); d.showModal(); }
    if (!open && d.open) d.close();
  }, [open]);
  const ok = !typeToConfirm || typed === typeToConfirm;
  const confirm = async (e) => {
    e.preventDefault();
    if (!ok || busy) return;
    setBusy(true); setError(null);
    try { await onConfirm(); } catch (err) { setError(err); } finally { setBusy(false); }
  };
  return html`
    <dialog ref=${dialog} class="confirm" onCancel=${(e) => { e.preventDefault(); onCancel(); }} aria-labelledby="confirm-title">
      <form method="dialog" onSubmit=${confirm}>
        <h2 id="confirm-title">${title}</h2>
        <div class="confirm-body">${body}</div>
        ${typeToConfirm && html`<label>Type <code>${typeToConfirm}</code> to confirm<input autofocus value=${typed} onInput=${e => setTyped(e.target.value)} /></label>`}
        ${error && html`<${ErrorBox} error=${error} title="The change was refused" />`}
        <div class="dialog-actions">
          <button type="button" onClick=${onCancel}>Cancel</button>
          <button type="submit" class=${danger ? 'danger' : 'primary'} disabled=${!ok || busy}>${busy ? 'Working…' : confirmLabel}</button>
        </div>
      </form>
    </dialog>`;
}

/** A link to a view. */
export function Link({ to, query, children, ...rest }) {
  return html`<a href=${href(to, query)} ...${rest}>${children}</a>`;
}

/** A small card with a figure and a label (overview tiles). */
export function Stat({ label, value, to, tone }) {
  const inner = html`<span class="stat-value">${value}</span><span class="stat-label">${label}</span>`;
  return to ? html`<a class=${'stat ' + (tone || '')} href=${to}>${inner}</a>` : html`<div class=${'stat ' + (tone || '')}>${inner}</div>`;
}
