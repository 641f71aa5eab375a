// The shell: navigation, theme, keyboard shortcuts and the route table. Each page is its own
// module under pages/, loaded when first visited, so the first paint needs only this file,
// the shared lib/ and Preact.
import { html, render, useEffect, useErrorBoundary, useState } from './vendor/htm-preact.mjs';
import { currentRoute, match, useRoute, href } from './lib/router.js';
import { ErrorBox, Loading } from './lib/ui.js';

/** [pattern, module, export]: the first pattern that matches the path picks the page. */
const routes = [
  ['/', 'home'],
  ['/experiments', 'experiments'],
  ['/experiments/:id', 'runs'],
  ['/runs/:id', 'run'],
  ['/compare', 'compare'],
  ['/models', 'models'],
  ['/models/:name', 'model'],
  ['/models/:name/versions/:version', 'model-version'],
  ['/endpoints', 'endpoints'],
  ['/endpoints/:name', 'endpoint'],
  ['/monitoring', 'monitoring'],
  ['/monitoring/:endpoint', 'monitoring'],
  ['/alerts', 'alerts'],
  ['/alerts/:id', 'alerts'],
  ['/datasets', 'datasets'],
  ['/datasets/:name', 'dataset'],
  ['/datasets/:name/versions/:version', 'dataset-version'],
  ['/pipelines', 'pipelines'],
  ['/pipelines/runs/:id', 'pipeline-run'],
  ['/pipelines/:name', 'pipeline'],
  ['/lineage', 'lineage'],
];

const nav = [
  ['/', 'Overview', 'o'],
  ['/experiments', 'Experiments', 'e'],
  ['/models', 'Models', 'm'],
  ['/endpoints', 'Endpoints', 'n'],
  ['/monitoring', 'Monitoring', 'w'],
  ['/alerts', 'Alerts', 'a'],
  ['/datasets', 'Datasets', 'd'],
  ['/pipelines', 'Pipelines', 'p'],
  ['/lineage', 'Lineage', 'l'],
];

const modules = new Map();

function loadPage(name) {
  if (!modules.has(name)) modules.set(name, import(`./pages/${name}.js`));
  return modules.get(name);
}

function find(path) {
  for (const [pattern, name] of routes) {
    const params = match(pattern, path);
    if (params) return { name, params };
  }
  return null;
}

function Routed({ route }) {
  const found = find(route.path);
  const [loaded, setLoaded] = useState(null);
  const [error, resetError] = useErrorBoundary();
  useEffect(() => {
    if (!found) return;
    let live = true;
    setLoaded(l => (l && l.name === found.name ? l : null));
    loadPage(found.name).then(m => live && setLoaded({ name: found.name, Page: m.default }), e => live && setLoaded({ name: found.name, error: e }));
    return () => { live = false; };
  }, [found && found.name]);
  useEffect(() => { if (error) resetError(); }, [route.path]);

  if (!found) {
    return html`<section class="page"><h1>Not found</h1><p>No view at <code>${route.path}</code>.</p><p><a href="#/">Go to the overview</a></p></section>`;
  }
  if (error) return html`<section class="page"><${ErrorBox} error=${error} title="This view failed" retry=${resetError} /></section>`;
  if (!loaded || loaded.name !== found.name) return html`<section class="page"><${Loading} /></section>`;
  if (loaded.error) return html`<section class="page"><${ErrorBox} error=${loaded.error} title="This view could not be loaded" /></section>`;
  return html`<${loaded.Page} params=${found.params} query=${route.query} path=${route.path} />`;
}

const themes = ['system', 'light', 'dark'];

function ThemeSwitch() {
  const [theme, setTheme] = useState(document.documentElement.dataset.theme || 'system');
  const choose = (t) => {
    setTheme(t);
    document.documentElement.dataset.theme = t;
    try { localStorage.setItem('keel.theme', t); } catch (e) { /* private mode: the choice lasts this page */ }
    dispatchEvent(new Event('keel-theme'));
  };
  return html`
    <label class="theme-switch">
      <span class="visually-hidden">Theme</span>
      <select aria-label="Theme" value=${theme} onChange=${e => choose(e.target.value)}>
        ${themes.map(t => html`<option value=${t}>${t[0].toUpperCase() + t.slice(1)} theme</option>`)}
      </select>
    </label>`;
}

function Shortcuts({ open, onClose }) {
  if (!open) return null;
  return html`
    <div class="shortcuts" role="dialog" aria-label="Keyboard shortcuts" onClick=${onClose}>
      <div class="shortcuts-box" onClick=${e => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <dl class="kv">
          <dt><kbd>/</kbd></dt><dd>Search or filter on this page</dd>
          <dt><kbd>j</kbd> <kbd>k</kbd> or <kbd>↓</kbd> <kbd>↑</kbd></dt><dd>Move through table rows</dd>
          <dt><kbd>Enter</kbd></dt><dd>Open the row</dd>
          ${nav.map(([, label, key]) => html`<dt><kbd>g</kbd> <kbd>${key}</kbd></dt><dd>Go to ${label}</dd>`)}
          <dt><kbd>?</kbd></dt><dd>This help</dd>
          <dt><kbd>Esc</kbd></dt><dd>Close</dd>
        </dl>
        <button type="button" onClick=${onClose}>Close</button>
      </div>
    </div>`;
}

function App() {
  const route = useRoute();
  const [menu, setMenu] = useState(false);
  const [help, setHelp] = useState(false);
  useEffect(() => {
    let pendingG = false;
    const onKey = (e) => {
      const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName) || e.target.isContentEditable;
      if (e.key === 'Escape') { setHelp(false); setMenu(false); if (typing) e.target.blur(); return; }
      if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === '?') { setHelp(h => !h); e.preventDefault(); return; }
      if (e.key === '/') {
        const search = document.querySelector('[data-search]');
        if (search) { search.focus(); search.select && search.select(); e.preventDefault(); }
        return;
      }
      if (pendingG) {
        pendingG = false;
        const target = nav.find(([, , key]) => key === e.key);
        if (target) { location.hash = '#' + target[0]; e.preventDefault(); }
        return;
      }
      if (e.key === 'g') { pendingG = true; setTimeout(() => { pendingG = false; }, 1200); }
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);
  useEffect(() => { setMenu(false); window.scrollTo(0, 0); }, [route.path]);
  const section = '/' + (route.path.split('/')[1] || '');
  return html`
    <a class="skip" href="#main" onClick=${e => { e.preventDefault(); document.getElementById('main').focus(); }}>Skip to content</a>
    <header class="topbar">
      <button type="button" class="menu-button" aria-expanded=${menu} aria-controls="nav" onClick=${() => setMenu(m => !m)}>☰<span class="visually-hidden">Menu</span></button>
      <a class="brand" href="#/">Keel</a>
      <nav id="nav" class=${menu ? 'nav open' : 'nav'} aria-label="Main">
        ${nav.map(([to, label]) => html`<a href=${href(to)} aria-current=${section === to || (to === '/' && route.path === '/') ? 'page' : undefined}>${label}</a>`)}
      </nav>
      <div class="topbar-right">
        <button type="button" class="help-button" onClick=${() => setHelp(true)} title="Keyboard shortcuts (?)">?</button>
        <${ThemeSwitch} />
      </div>
    </header>
    <main id="main" tabindex="-1"><${Routed} route=${route} /></main>
    <${Shortcuts} open=${help} onClose=${() => setHelp(false)} />`;
}

// The first view's module starts loading now, in parallel with the first render.
const first = find(currentRoute().path);
if (first) loadPage(first.name);
render(html`<${App} />`, document.getElementById('app'));
