/*
 * The benchmarks behind `npm run bench` (tools/bench/bench.js runs them and prints one JSON line each).
 *
 *   backup_throughput / restore_throughput  the engine moving the data of a simulated device through fds
 *        (mock backup module, big files so the mock sends its materialised app files as they are),
 *        side by side with `cp -r` of the same bytes on the same disk. Warm: everything in the page cache
 *        (ratio_vs_cp). Cold (`cold`): `sync` and drop_caches before the engine run and before cp, as a real
 *        backup reads app data that is not in the page cache; needs a writable /proc/sys/vm/drop_caches
 *        (root on Linux), else `cold: null` and `cold_skipped` says why.
 *   progress_storm  100,000 onProcess events through a backup run's callbacks into its progress model,
 *        on the engine's ManualClock (1 ms of virtual time per event): cost per event and publish rate.
 *   caps_parse      a 5,000-bundle capability file through parseCapabilities (restore-strict).
 *   memory          (child process, see bench.js) a backup of sparse files through the stub service;
 *        peak RSS of the process.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { BusinessError } from '@ohos.base';
import { CapsMode, parseCapabilities } from '../../entry/src/main/ets/backup/model/Capabilities';
import { RunProgress } from '../../entry/src/main/ets/backup/model/Progress';
import { RunOutcome, RunResult } from '../../entry/src/main/ets/backup/model/RunResult';
import { SilentLogger } from '../../entry/src/main/ets/backup/port/Logger';
import { BackupRun } from '../../entry/src/main/ets/backup/session/BackupRun';
import { ManualClock } from '../../entry/src/main/ets/backup/port/Clock';
import { RestoreRun } from '../../entry/src/main/ets/backup/session/RestoreRun';
import { BackupSetStore } from '../../entry/src/main/ets/backup/store/BackupSetStore';
import { MockBackupModule } from '../../entry/src/main/ets/mock/MockBackupModule';
import { AppSpec, FileSpec, SimulatedDevice } from '../../entry/src/main/ets/mock/SimulatedDevice';
import { makeCapabilitiesJson } from '../../entry/src/test/caps/CapsFixtures';
import { NodeFileStore } from '../host/NodeFileStore';
import { CountingFileStore, StreamCounts } from './CountingFileStore';
import { profileWhile } from './Profile';
import { sparseFile, StubBackupService, StubBundle, StubFile } from './StubBackupService';

const MIB = 1024 * 1024;
const DROP_CACHES = '/proc/sys/vm/drop_caches';

export type BenchValue = string | number | boolean | null | BenchValue[] | BenchRecord;

export interface BenchRecord {
  [key: string]: BenchValue;
}

function elapsedMs(startNs: bigint): number {
  return Number(process.hrtime.bigint() - startNs) / 1e6;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function mbPerS(bytes: number, ms: number): number {
  return ms > 0 ? round(bytes / MIB / (ms / 1000), 1) : 0;
}

function tempRoot(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `bm-bench-${label}-`));
}

/** `cp -r src dst`, timed; throws when cp fails. */
function cpR(src: string, dst: string): number {
  const t = process.hrtime.bigint();
  const r = spawnSync('cp', ['-r', src, dst], { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = elapsedMs(t);
  if (r.status !== 0) {
    throw new Error(`cp -r failed: ${r.stderr?.toString() ?? r.error?.message ?? ''}`);
  }
  return ms;
}

/** Why cold-cache runs cannot happen here; undefined when they can. */
export function coldCacheUnavailable(): string | undefined {
  if (process.env.BENCH_COLD === '0') {
    return 'BENCH_COLD=0';
  }
  if (process.platform !== 'linux') {
    return `no drop_caches on ${process.platform}`;
  }
  try {
    fs.accessSync(DROP_CACHES, fs.constants.W_OK);
  } catch (e) {
    return `cannot write ${DROP_CACHES} (${(e as NodeJS.ErrnoException).code ?? 'error'}; needs root)`;
  }
  return undefined;
}

/** Writes dirty pages out, then drops the page cache, dentries and inodes; throws when it cannot. */
function dropCaches(): void {
  const r = spawnSync('sync', [], { stdio: 'ignore' });
  if (r.status !== 0) {
    throw new Error(`sync failed: ${r.error?.message ?? `exit ${r.status}`}`);
  }
  fs.writeFileSync(DROP_CACHES, '3');
}

function failedRun(r: RunResult): string {
  const bad = r.bundles.filter((b) => b.error !== undefined).map((b) => `${b.id}: ${b.error?.message ?? ''}`);
  return `${r.kind} ${r.outcome}${r.error !== undefined ? ` (${r.error.message})` : ''} ${bad.join('; ')}`;
}

/** Apps of `mb` MiB in total: 8 apps of 16 MiB files (big files: sent as the app's own files). */
function benchApps(mb: number): AppSpec[] {
  const fileMb = 16;
  const apps = 8;
  const perApp = Math.max(1, Math.ceil(mb / fileMb / apps));
  const list: AppSpec[] = [];
  for (let a = 0; a < apps; a++) {
    const files: FileSpec[] = [];
    for (let f = 0; f < perApp; f++) {
      files.push({ path: `files/media/clip${f}.bin`, size: fileMb * MIB });
    }
    list.push({ name: `com.bench.app${a}`, label: `Bench ${a}`, files, backupMs: 20, restoreMs: 20 });
  }
  return list;
}

/** `cp -r` then `sha256sum` of every copied file: copying plus checksumming with the system's own tools. */
function cpAndHash(src: string, dst: string): number {
  const t = process.hrtime.bigint();
  cpR(src, dst);
  const list: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        walk(p);
      } else {
        list.push(p);
      }
    }
  };
  walk(dst);
  const r = spawnSync('sha256sum', list, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) {
    throw new Error(`sha256sum failed: ${r.stderr?.toString() ?? r.error?.message ?? ''}`);
  }
  return elapsedMs(t);
}

function countsJson(c: StreamCounts, dataBytes: number): BenchRecord {
  return {
    copied_in_mb: round(c.copyFromFdBytes / MIB, 1),
    copied_out_mb: round(c.copyToFdBytes / MIB, 1),
    hash_only_mb: round(c.hashFileBytes / MIB, 1),
    sha256_passes: round(c.hashedBytes() / Math.max(1, dataBytes), 2),
  };
}

/**
 * backup_throughput and restore_throughput. The first backup makes the mock generate its app data
 * (not timed: that is the simulation, not the engine); the second is timed, then a restore of that set.
 * Each line also says where the time goes: bytes streamed and hashed by the engine and by the mock (each
 * has its own counting FileStore), and a CPU profile of the main thread taken on an extra, untimed run.
 */
export async function throughputBenches(mb: number): Promise<BenchRecord[]> {
  const root = tempRoot('throughput');
  const engineFiles = new CountingFileStore(new NodeFileStore());
  const mockFiles = new CountingFileStore(new NodeFileStore());
  const logger = new SilentLogger();
  const apps = benchApps(mb);
  const ids = apps.map((a) => a.name);
  // Time scale: the apps' virtual work is negligible, and the 15-minute extension timer (18 s here) stays
  // far above what moving a few hundred MB takes.
  const mock = new MockBackupModule({
    fileStore: mockFiles, workDir: `${root}/mock`, device: SimulatedDevice.withApps(apps, { seed: 'bench' }),
    timeScale: 0.02,
  });
  try {
    const store = new BackupSetStore(engineFiles, `${root}/store`, logger);
    const deps = { module: mock, files: engineFiles, sets: store, logger };
    let t = process.hrtime.bigint();
    const warm = await new BackupRun(deps, ids).start();
    const warmupMs = elapsedMs(t);
    if (warm.outcome !== RunOutcome.SUCCEEDED) {
      throw new Error(`warm-up backup: ${failedRun(warm)}`);
    }
    await store.delete(warm.setId);

    engineFiles.counts.reset();
    mockFiles.counts.reset();
    t = process.hrtime.bigint();
    const backup = await new BackupRun(deps, ids).start();
    const backupMs = elapsedMs(t);
    if (backup.outcome !== RunOutcome.SUCCEEDED) {
      throw new Error(`backup: ${failedRun(backup)}`);
    }
    const bytes = backup.bundles.reduce((n, b) => n + b.bytes, 0);
    const backupCounts = { engine: countsJson(engineFiles.counts, bytes), mock: countsJson(mockFiles.counts, bytes) };
    const setDir = store.setDir(backup.setId);
    const cpBackupMs = cpR(setDir, `${root}/cp-backup`);
    fs.rmSync(`${root}/cp-backup`, { recursive: true, force: true });
    const cpHashBackupMs = cpAndHash(setDir, `${root}/cp-backup`);
    fs.rmSync(`${root}/cp-backup`, { recursive: true, force: true });
    const backupProfile = await profileWhile(() => new BackupRun(deps, ids).start());
    await store.delete(backupProfile.result.setId);

    engineFiles.counts.reset();
    mockFiles.counts.reset();
    t = process.hrtime.bigint();
    const restore = await new RestoreRun(deps, backup.setId, ids).start();
    const restoreMs = elapsedMs(t);
    if (restore.outcome !== RunOutcome.SUCCEEDED) {
      throw new Error(`restore: ${failedRun(restore)}`);
    }
    const restoredBytes = restore.bundles.reduce((n, b) => n + b.bytes, 0);
    const restoreCounts = { engine: countsJson(engineFiles.counts, restoredBytes), mock: countsJson(mockFiles.counts, restoredBytes) };
    const cpRestoreMs = cpR(setDir, `${root}/cp-restore`);
    fs.rmSync(`${root}/cp-restore`, { recursive: true, force: true });
    const cpHashRestoreMs = cpAndHash(setDir, `${root}/cp-restore`);
    const restoreProfile = await profileWhile(() => new RestoreRun(deps, backup.setId, ids).start());
    fs.rmSync(`${root}/cp-restore`, { recursive: true, force: true });

    // Cold: the same runs and copies, each after `sync` and dropping the page cache.
    let coldSkipped = coldCacheUnavailable();
    let coldBackup: BenchRecord | null = null;
    let coldRestore: BenchRecord | null = null;
    const cold = (engineMs: number, cpMs: number): BenchRecord => ({
      engine_ms: round(engineMs, 1),
      cp_ms: round(cpMs, 1),
      ratio_vs_cp: round(cpMs / Math.max(0.001, engineMs), 3),
    });
    if (coldSkipped === undefined) {
      try {
        dropCaches();
      } catch (e) {
        coldSkipped = `cannot drop caches: ${(e as Error).message}`;
      }
    }
    if (coldSkipped === undefined) {
      t = process.hrtime.bigint();
      const again = await new BackupRun(deps, ids).start();
      const coldBackupMs = elapsedMs(t);
      if (again.outcome !== RunOutcome.SUCCEEDED) {
        throw new Error(`cold backup: ${failedRun(again)}`);
      }
      await store.delete(again.setId);
      dropCaches();
      coldBackup = cold(coldBackupMs, cpR(setDir, `${root}/cp-backup-cold`));
      fs.rmSync(`${root}/cp-backup-cold`, { recursive: true, force: true });
      dropCaches();
      t = process.hrtime.bigint();
      const restored = await new RestoreRun(deps, backup.setId, ids).start();
      const coldRestoreMs = elapsedMs(t);
      if (restored.outcome !== RunOutcome.SUCCEEDED) {
        throw new Error(`cold restore: ${failedRun(restored)}`);
      }
      dropCaches();
      coldRestore = cold(coldRestoreMs, cpR(setDir, `${root}/cp-restore-cold`));
      fs.rmSync(`${root}/cp-restore-cold`, { recursive: true, force: true });
    }
    const coldJson = (r: BenchRecord | null): BenchRecord =>
      (coldSkipped === undefined ? { cold: r } : { cold: null, cold_skipped: coldSkipped });

    const line = (bench: string, n: number, engineMs: number, cpMs: number, cpHashMs: number,
      extra: BenchRecord): BenchRecord => ({
      bench,
      bytes: n,
      files: backup.bundles.reduce((k, b) => k + b.files.length, 0),
      bundles: ids.length,
      engine_ms: round(engineMs, 1),
      cp_ms: round(cpMs, 1),
      engine_mb_s: mbPerS(n, engineMs),
      cp_mb_s: mbPerS(n, cpMs),
      ratio_vs_cp: round(mbPerS(n, engineMs) / Math.max(0.001, mbPerS(n, cpMs)), 3),
      cp_sha256sum_ms: round(cpHashMs, 1),
      ratio_vs_cp_sha256sum: round(cpHashMs / Math.max(0.001, engineMs), 3),
      ...extra,
    });
    return [
      line('backup_throughput', bytes, backupMs, cpBackupMs, cpHashBackupMs, {
        ...coldJson(coldBackup),
        mock_generation_ms: round(warmupMs, 1),
        streamed: backupCounts,
        main_thread_ms: backupProfile.breakdown,
      }),
      line('restore_throughput', restoredBytes, restoreMs, cpRestoreMs, cpHashRestoreMs, {
        ...coldJson(coldRestore),
        streamed: restoreCounts,
        main_thread_ms: restoreProfile.breakdown,
      }),
    ];
  } finally {
    mock.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Advances a manual clock until the promise settles (timers of the run fire on that clock). */
async function settleOn<T>(clock: ManualClock, work: Promise<T>): Promise<T> {
  let done = false;
  const watched = work.then((v) => {
    done = true;
    return v;
  }, (e: Error) => {
    done = true;
    throw e;
  });
  for (let i = 0; i < 100000 && !done; i++) {
    clock.advanceSync(1000);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return watched;
}

/** The service's "no error": callbacks get undefined where the port's types say BusinessError. */
const NO_ERROR = undefined as unknown as BusinessError<string>;
const NO_ERROR_VOID = undefined as unknown as BusinessError<void>;

/** progress_storm: `events` onProcess payloads into one running bundle, 1 ms of virtual time apart. */
export async function progressStormBench(events: number): Promise<BenchRecord> {
  const root = tempRoot('storm');
  const id = 'com.bench.storm';
  const service = new StubBackupService(root, [new StubBundle(id, [])], false);
  const clock = new ManualClock();
  const files = new NodeFileStore();
  const store = new BackupSetStore(files, `${root}/store`, new SilentLogger());
  const run = new BackupRun({ module: service, files, sets: store, logger: new SilentLogger(), clock }, [id]);
  const publishTimes: number[] = [];
  run.onProgress((p: RunProgress) => {
    if (!p.finished) {
      publishTimes.push(clock.now());
    }
  });
  try {
    const finished = run.start();
    for (let i = 0; i < 10000 && service.appended.length === 0; i++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const cb = service.callbacks;
    if (cb === undefined || service.appended.length === 0) {
      throw new Error('progress_storm: the run never appended its bundle');
    }
    cb.onBundleBegin(NO_ERROR, id);
    const payloads: string[] = [];
    for (let i = 0; i < events; i++) {
      const app = JSON.stringify({ progressInfo: [{ name: id, processed: i, total: events, isPercentage: false }] });
      payloads.push(JSON.stringify({ processResult: { timeInfo: `${1767225600 + Math.floor(i / 1000)}`, resultInfo: app } },
        null, '\t'));
    }
    const virtualStart = clock.now();
    publishTimes.length = 0;
    const t = process.hrtime.bigint();
    for (let i = 0; i < events; i++) {
      clock.advanceSync(1);
      cb.onProcess(id, payloads[i]);
    }
    const ns = Number(process.hrtime.bigint() - t);
    const virtualMs = clock.now() - virtualStart;
    const last = run.progress();
    // Most publishes in any one second of virtual time (the bound is 10, plus a final one at the end).
    let maxInSecond = 0;
    let lo = 0;
    for (let hi = 0; hi < publishTimes.length; hi++) {
      while (publishTimes[hi] - publishTimes[lo] >= 1000) {
        lo++;
      }
      maxInSecond = Math.max(maxInSecond, hi - lo + 1);
    }
    cb.onBundleEnd(Object.assign(new Error('Extension process timeout'), { code: 13500003, data: id }) as
      BusinessError<string>, id);
    cb.onAllBundlesEnd(NO_ERROR_VOID, undefined);
    await settleOn(clock, finished);
    return {
      bench: 'progress_storm',
      events,
      ns_per_event: Math.round(ns / events),
      virtual_s: round(virtualMs / 1000, 3),
      publishes: publishTimes.length,
      // Publishes per second between the first and the last one (n publishes span n - 1 intervals).
      publishes_per_s: publishTimes.length < 2 ? 0 :
        round((publishTimes.length - 1) / ((publishTimes[publishTimes.length - 1] - publishTimes[0]) / 1000), 2),
      max_publishes_in_1s: maxInSecond,
      bound_respected: maxInSecond <= 10,
      last_app_processed: last.bundles[0].appProcessed,
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** caps_parse: a generated capability file of `bundles` apps; median of several parses (after one warm-up). */
export function capsParseBench(bundles: number): BenchRecord {
  const text = makeCapabilitiesJson(bundles, 20251127);
  const first = parseCapabilities(text, CapsMode.STRICT_RESTORE);
  if (first.bundles.length !== bundles) {
    throw new Error(`caps_parse: parsed ${first.bundles.length} of ${bundles} bundles`);
  }
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t = process.hrtime.bigint();
    parseCapabilities(text, CapsMode.STRICT_RESTORE);
    times.push(elapsedMs(t));
  }
  times.sort((a, b) => a - b);
  return {
    bench: 'caps_parse',
    bundles,
    bytes: Buffer.byteLength(text),
    ms: round(times[Math.floor(times.length / 2)], 2),
    min_ms: round(times[0], 2),
    max_ms: round(times[times.length - 1], 2),
  };
}

/**
 * memory (run in a child process): a backup of `mb` MiB of sparse files (64 MiB each, 8 bundles) through
 * the stub service, the engine and the Node FileStore. Peak RSS is the process's high-water mark.
 */
export async function memoryBench(mb: number): Promise<BenchRecord> {
  const root = tempRoot('memory');
  try {
    const fileMb = 64;
    const count = Math.max(1, Math.ceil(mb / fileMb));
    const bundles: StubBundle[] = [];
    for (let a = 0; a < 8; a++) {
      bundles.push(new StubBundle(`com.bench.mem${a}`, []));
    }
    fs.mkdirSync(`${root}/data`);
    for (let i = 0; i < count; i++) {
      const p = `${root}/data/f${i}.bin`;
      sparseFile(p, fileMb * MIB);
      bundles[i % bundles.length].files.push(new StubFile(`${(i + 1).toString(16).padStart(16, '0')}.bin`, p, fileMb * MIB));
    }
    const used = bundles.filter((b) => b.files.length > 0);
    const service = new StubBackupService(root, used, true);
    const files = new NodeFileStore();
    const store = new BackupSetStore(files, `${root}/store`, new SilentLogger());
    const rssBefore = process.memoryUsage().rss;
    let sampledPeak = rssBefore;
    const sampler = setInterval(() => {
      sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
    }, 10);
    const t = process.hrtime.bigint();
    const result = await new BackupRun({ module: service, files, sets: store, logger: new SilentLogger() },
      used.map((b) => b.id)).start();
    const ms = elapsedMs(t);
    clearInterval(sampler);
    if (result.outcome !== RunOutcome.SUCCEEDED) {
      throw new Error(`memory: ${failedRun(result)}`);
    }
    const bytes = result.bundles.reduce((n, b) => n + b.bytes, 0);
    const peak = process.resourceUsage().maxRSS * 1024;
    return {
      bench: 'memory',
      data_mb: round(bytes / MIB, 1),
      peak_rss_mb: round(Math.max(peak, sampledPeak) / MIB, 1),
      rss_before_mb: round(rssBefore / MIB, 1),
      engine_ms: round(ms, 1),
      engine_mb_s: mbPerS(bytes, ms),
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
