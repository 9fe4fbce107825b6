/*
 * Text formatting for the CLI's human output: sizes, times, aligned tables.
 */
import { visibleText } from '../../entry/src/main/ets/backup/model/JsonReader';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 -> '1.5 KiB'; whole bytes below 1 KiB. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) {
    return '?';
  }
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${UNITS[u]}`;
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Local time 'YYYY-MM-DD HH:MM:SS'; '?' for a time no date can show (out of range, not a number). */
export function formatTime(epochMs: number): string {
  const d = new Date(epochMs);
  if (!Number.isFinite(d.getTime())) {
    return '?';
  }
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ` +
    `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** ISO 8601 UTC, or null for a time no date can show (a set's createdAt of 9e15 must not end a listing). */
export function isoTime(epochMs: number): string | null {
  const d = new Date(epochMs);
  return Number.isFinite(d.getTime()) ? d.toISOString() : null;
}

/** 850 -> '850 ms', 61000 -> '1 min 1 s'. */
export function formatDuration(ms: number): string {
  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }
  const s = Math.round(ms / 1000);
  if (s < 60) {
    return `${(ms / 1000).toFixed(1)} s`;
  }
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

export type Align = 'left' | 'right';

/**
 * The length of the longest text (0 for none). A loop, not Math.max(...texts): spreading a large array
 * into arguments overflows the stack (about 125,000 on Node 20), and tables of a set's files get that big.
 */
export function longest(texts: Iterable<string>): number {
  let n = 0;
  for (const t of texts) {
    if (t.length > n) {
      n = t.length;
    }
  }
  return n;
}

/**
 * An aligned text table with a header row and a rule under it; any number of rows. Cells are shown with
 * visibleText: a name from a hostile manifest cannot hide a character or send a terminal control sequence.
 */
export function table(headers: string[], input: string[][], align?: Align[]): string {
  const rows = input.map((r) => r.map((c) => visibleText(c ?? '')));
  const widths = headers.map((h) => h.length);
  for (const r of rows) {
    for (let i = 0; i < widths.length; i++) {
      const n = (r[i] ?? '').length;
      if (n > widths[i]) {
        widths[i] = n;
      }
    }
  }
  const line = (cells: string[]): string => cells.map((c, i) => {
    const text = c ?? '';
    const last = i === cells.length - 1;
    if (align !== undefined && align[i] === 'right') {
      return text.padStart(widths[i]);
    }
    return last ? text : text.padEnd(widths[i]);
  }).join('  ').trimEnd();
  const out = [line(headers), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of rows) {
    out.push(line(r));
  }
  return `${out.join('\n')}\n`;
}

/** 'a', 'a and b', 'a, b and c'. */
export function joinWords(items: string[]): string {
  if (items.length <= 1) {
    return items.join('');
  }
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
