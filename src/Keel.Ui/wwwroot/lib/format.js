// Numbers, times and sizes as people read them. Locale-neutral so screenshots and tests are stable.

/** 0.94736842 -> "0.9474"; 12345678 -> "12,345,678"; null -> "—". */
export function num(v, digits = 4) {
  if (v === null || v === undefined || v === '') return '—';
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) return String(v);
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return n.toLocaleString('en-US');
  const a = Math.abs(n);
  if (a !== 0 && (a < 1e-3 || a >= 1e9)) return n.toExponential(Math.max(1, digits - 2));
  return Number(n.toPrecision(digits)).toString();
}

/** Percent of a fraction: 0.1234 -> "12.3%". */
export function pct(v, digits = 1) {
  return v === null || v === undefined ? '—' : `${(Number(v) * 100).toFixed(digits)}%`;
}

/** Epoch milliseconds (number or string) or an ISO string -> "2026-12-02 09:14:03" (UTC). */
export function time(v) {
  if (v === null || v === undefined || v === '' || v === 0 || v === '0') return '—';
  const d = new Date(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v);
  if (Number.isNaN(d.getTime())) return String(v);
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace('Z', '');
}

/** "3 min ago", "2 h ago", "5 d ago". */
export function ago(v, now = Date.now()) {
  if (!v) return '—';
  const t = new Date(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v).getTime();
  const s = Math.round((now - t) / 1000);
  if (s < 60) return `${Math.max(0, s)} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

/** Milliseconds -> "850 ms", "12.4 s", "3 min 5 s", "2 h 4 min". */
export function duration(ms) {
  if (ms === null || ms === undefined || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

/** Bytes -> "1.2 MB". */
export function bytes(n) {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = Number(n), i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** A run id or digest shortened for a table cell. */
export function short(id, n = 8) {
  return id && id.length > n ? id.slice(0, n) : id || '';
}
