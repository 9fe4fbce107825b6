/*
 * How the benchmarks measure: rounds of alternating contestants (the engine, `cp -r`, the limit, ...),
 * medians with min and max, and warming the page allocator before the first measured round.
 *
 * Every contestant times only its own work (setup and cleanup are outside its clock). A measurement is
 * one warm-up round (discarded, but reported as `warmup_ms` so its cost stays visible) followed by
 * `repeats` rounds; even rounds run the contestants in the given order, odd rounds in reverse, so no
 * contestant always runs right after the same neighbour (page-cache reclaim, writeback, JIT state).
 * Each ratio is taken per round (between two runs next to each other in time) and then summarised, so
 * noise from other work on the machine cancels as far as it can.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const MIB = 1024 * 1024;

export type BenchValue = string | number | boolean | null | BenchValue[] | BenchRecord;

export interface BenchRecord {
  [key: string]: BenchValue;
}

export function elapsedMs(startNs: bigint): number {
  return Number(process.hrtime.bigint() - startNs) / 1e6;
}

/** Times work (ms). */
export async function timed(work: () => Promise<void> | void): Promise<number> {
  const t = process.hrtime.bigint();
  await work();
  return elapsedMs(t);
}

export function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export function mbPerS(bytes: number, ms: number): number {
  return ms > 0 ? bytes / MIB / (ms / 1000) : 0;
}

export function tempRoot(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `bm-bench-${label}-`));
}

export function sleep(ms: number): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, ms));
}

export function median(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Sets `key` to the median of values and `key_min`, `key_max` beside it. */
export function putStats(rec: BenchRecord, key: string, values: number[], digits: number): void {
  if (values.length === 0) {
    rec[key] = null;
    return;
  }
  rec[key] = round(median(values), digits);
  rec[`${key}_min`] = round(Math.min(...values), digits);
  rec[`${key}_max`] = round(Math.max(...values), digits);
}

/** One side of a comparison: run() does its own setup and cleanup and returns the ms of the timed part. */
export interface Contestant {
  name: string;
  run: () => Promise<number>;
}

export class RoundTimes {
  /** Contestant name -> ms of each measured round, in round order. */
  readonly ms: Map<string, number[]> = new Map<string, number[]>();
  /** Contestant name -> ms of the discarded warm-up round. */
  readonly warmupMs: Map<string, number> = new Map<string, number>();
  readonly repeats: number;

  constructor(repeats: number) {
    this.repeats = repeats;
  }

  of(name: string): number[] {
    const v = this.ms.get(name);
    if (v === undefined) {
      throw new Error(`no times for ${name}`);
    }
    return v;
  }

  /** Per round, how fast `name` is relative to `base`: ms of base / ms of name (> 1: name is faster). */
  ratios(name: string, base: string): number[] {
    const a = this.of(name);
    const b = this.of(base);
    return a.map((ms, i) => b[i] / Math.max(0.001, ms));
  }

  /** Throughput of each round's run of name, MB/s. */
  mbPerS(name: string, bytes: number): number[] {
    return this.of(name).map((ms) => mbPerS(bytes, ms));
  }
}

/**
 * One warm-up round, then `repeats` measured rounds of every contestant, alternating as described at
 * the top. settle() runs (untimed) after every contestant, for work others left behind.
 */
export async function runRounds(contestants: Contestant[], repeats: number,
  settle: () => Promise<void>): Promise<RoundTimes> {
  const times = new RoundTimes(repeats);
  for (const c of contestants) {
    times.ms.set(c.name, []);
  }
  for (let r = -1; r < repeats; r++) {
    const order = r >= 0 && r % 2 === 1 ? contestants.slice().reverse() : contestants;
    for (const c of order) {
      const ms = await c.run();
      await settle();
      if (r < 0) {
        times.warmupMs.set(c.name, ms);
      } else {
        times.of(c.name).push(ms);
      }
    }
  }
  return times;
}

/** The warm-up round's ms per contestant, as a record. */
export function warmupJson(times: RoundTimes): BenchRecord {
  const rec: BenchRecord = {};
  times.warmupMs.forEach((ms: number, name: string) => {
    rec[name] = round(ms, 1);
  });
  return rec;
}

/**
 * Warms the page allocator: on this VM the first write into a page the guest has never used costs 4-10x
 * a write into a recycled one, which would charge whoever writes first. Writes `bytes` into a scratch
 * file under dir in 1 MiB chunks and removes it, so later writes find recycled pages. Returns the ms.
 */
export function warmPageAllocator(dir: string, bytes: number): number {
  const t = process.hrtime.bigint();
  const p = path.join(dir, 'page-warmer.bin');
  const chunk = Buffer.alloc(MIB, 0x5a);
  const fd = fs.openSync(p, 'w');
  try {
    for (let done = 0; done < bytes; done += MIB) {
      fs.writeSync(fd, chunk);
    }
  } finally {
    fs.closeSync(fd);
    fs.rmSync(p, { force: true });
  }
  return elapsedMs(t);
}

/** Every file under dir (recursively), as paths relative to dir, sorted. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        walk(p);
      } else {
        out.push(p);
      }
    }
  };
  walk('');
  return out.sort();
}

/** Sum of the sizes of the given files under dir. */
export function bytesOf(dir: string, files: string[]): number {
  return files.reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
}
