/*
 * Where the main thread's time goes in one run: a V8 CPU profile of it, its samples summed by category,
 * and the garbage collections meanwhile (count by kind, total ms).
 *
 * The profile is taken in a child process started with `node --cpu-prof` (bench.js --child-profile JOB),
 * never in the bench process itself: starting V8's CPU profiler in a process with a large heap can
 * deadlock it (the profiler logs every compiled function under a mutex that a garbage collection
 * triggered meanwhile also takes; seen here on Node 20), and a profiler in the bench process would also
 * sample its timed runs. With --cpu-prof the profiler starts with the process, when that cannot happen.
 * The child does one run to warm up and one inside a time window it reports; only the samples inside
 * the window are counted (the profile and process.hrtime share the monotonic clock, in microseconds).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { constants as perfConstants, PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { BenchRecord, BenchValue, tempRoot } from './Measure';

export interface TimeBreakdown {
  [category: string]: number;
}

interface CallFrame {
  functionName: string;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** What the child reports (one JSON line on stdout). */
export interface ChildWindow {
  from_us: number;
  to_us: number;
  gc: BenchRecord;
  extra: BenchRecord;
}

export interface ProfileResult {
  breakdown: TimeBreakdown;
  gc: BenchRecord;
  extra: BenchRecord;
}

/** Sampling interval of the child's profiler, microseconds. */
const INTERVAL_US = 200;

const FS_READ = new Set(['read']);
const FS_WRITE = new Set(['writeBuffer', 'writeBuffers', 'writeString']);
const FS_OTHER = new Set(['open', 'close', 'mkdir', 'fsync', 'rename', 'unlink', 'rmdir', 'stat', 'lstat', 'fstat',
  'readdir', 'rm', 'statfs', 'ftruncate', 'realpath', 'access']);

function categoryOf(name: string): string {
  if (name === 'update' || name === 'digest') {
    return 'sha256';
  }
  if (FS_READ.has(name)) {
    return 'fs_read_calls';
  }
  if (FS_WRITE.has(name)) {
    return 'fs_write_calls';
  }
  if (FS_OTHER.has(name)) {
    return 'fs_other_calls';
  }
  if (name === '(idle)') {
    return 'idle_waiting_for_io';
  }
  if (name === '(garbage collector)') {
    return 'gc';
  }
  return 'js';
}

/** ms per category of the samples taken between fromUs and toUs. */
export function breakdownOf(profile: CpuProfile, fromUs: number, toUs: number): TimeBreakdown {
  const names = new Map<number, string>(profile.nodes.map((n) => [n.id, n.callFrame.functionName]));
  const us = new Map<string, number>();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    // A sample stands for the interval before it.
    if (t <= fromUs || t - profile.timeDeltas[i] >= toUs) {
      continue;
    }
    const cat = categoryOf(names.get(profile.samples[i]) ?? '');
    us.set(cat, (us.get(cat) ?? 0) + profile.timeDeltas[i]);
  }
  const breakdown: TimeBreakdown = {};
  for (const [cat, v] of Array.from(us.entries()).sort((a, b) => b[1] - a[1])) {
    breakdown[cat] = Math.round(v / 100) / 10;
  }
  return breakdown;
}

function gcKind(entry: PerformanceEntry): number {
  // gc entries carry { kind } in detail (Node >= 16); @types/node declares detail only on marks and measures.
  const detail = (entry as unknown as { detail?: { kind?: number } }).detail;
  return detail?.kind ?? 0;
}

function countGcs(entries: PerformanceEntry[]): BenchRecord {
  const c = { major: 0, minor: 0, incremental: 0, weak_callbacks: 0, ms: 0 };
  for (const e of entries) {
    const kind = gcKind(e);
    if (kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) {
      c.major++;
    } else if (kind === perfConstants.NODE_PERFORMANCE_GC_MINOR) {
      c.minor++;
    } else if (kind === perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL) {
      c.incremental++;
    } else {
      c.weak_callbacks++;
    }
    c.ms += e.duration;
  }
  c.ms = Math.round(c.ms * 10) / 10;
  return { ...c };
}

function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Child side: runs work inside the reported window, counting the GCs meanwhile. */
export async function profiledWindow(work: () => Promise<BenchRecord>): Promise<ChildWindow> {
  const gcs: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => {
    gcs.push(...list.getEntries());
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    const from = nowUs();
    const extra = await work();
    const to = nowUs();
    gcs.push(...observer.takeRecords());
    return { from_us: from, to_us: to, gc: countGcs(gcs), extra };
  } finally {
    observer.disconnect();
  }
}

/**
 * Parent side: `node --cpu-prof <benchScript> --child-profile <job as JSON>`; the main thread's ms per
 * category inside the window the child reports, its GCs and whatever else it reported.
 */
export async function profileInChild(benchScript: string, job: BenchRecord): Promise<ProfileResult> {
  const dir = tempRoot('profile');
  try {
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval',
        String(INTERVAL_US), benchScript, '--child-profile', JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stdout.on('data', (d: string) => {
        stdout += d;
      });
      child.stderr.on('data', (d: string) => {
        stderr += d;
      });
      child.on('error', reject);
      child.on('close', (code: number | null) => {
        if (code === 0) {
          resolve(stdout);
        } else {
          reject(new Error(`profile child exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
        }
      });
    });
    const report = JSON.parse(out.trim().split('\n').pop() ?? '') as ChildWindow;
    const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (file === undefined) {
      throw new Error('the profile child wrote no .cpuprofile');
    }
    const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
    return { breakdown: breakdownOf(profile, report.from_us, report.to_us), gc: report.gc, extra: report.extra };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The fields a line gets from a profile: main_thread_ms, gc and what the child reported; or why none. */
export async function profileJson(benchScript: string, job: BenchRecord): Promise<BenchRecord> {
  if (benchScript === '') {
    return { main_thread_ms: null, profile_skipped: 'no bench script to start a profile child with' };
  }
  const p = await profileInChild(benchScript, job);
  const rec: BenchRecord = { main_thread_ms: { ...p.breakdown } as BenchValue, gc: p.gc };
  return { ...p.extra, ...rec };
}
