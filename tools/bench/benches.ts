/*
 * The benchmarks behind `npm run bench` (tools/bench/bench.js runs them and prints one JSON line each).
 *
 *   backup_throughput / restore_throughput / limit   Throughput.ts (the engine, cp -r, cp -r + openssl and
 *        the limit of plain Node code on the same bytes, medians of alternating rounds)
 *   small_files     SmallFiles.ts (10,000 files of 4 KiB through a stub service)
 *   dedup_rebackup  DedupRebackup.ts (a second full backup of unchanged data into a repository)
 *   progress_storm  100,000 onProcess events through a backup run's callbacks into its progress model,
 *        on the engine's ManualClock (1 ms of virtual time per event): cost per event (median of the
 *        measured runs, after a warm-up run) and publish rate.
 *   caps_parse      a 5,000-bundle capability file through parseCapabilities (restore-strict).
 *   incremental_rebackup  Incremental.ts (an unchanged 256 MiB device re-backed up incrementally, against a
 *        full backup of the same apps).
 *   memory          (child process, see bench.js) a backup of sparse files through the stub service;
 *        peak RSS of the process.
 * Sizes and repeats: Config.ts (BENCH_QUICK=1: small sizes, 2 rounds).
 */
import * as fs from 'node:fs';
import type { BusinessError } from '@ohos.base';
import { CapsMode, parseCapabilities } from '../../entry/src/main/ets/backup/model/Capabilities';
import { RunProgress } from '../../entry/src/main/ets/backup/model/Progress';
import { RunOutcome } from '../../entry/src/main/ets/backup/model/RunResult';
import { SilentLogger } from '../../entry/src/main/ets/backup/port/Logger';
import { BackupRun } from '../../entry/src/main/ets/backup/session/BackupRun';
import { ManualClock, SystemClock } from '../../entry/src/main/ets/backup/port/Clock';
import { Repository } from '../../entry/src/main/ets/backup/repo/Repository';
import { makeCapabilitiesJson } from '../../entry/src/test/caps/CapsFixtures';
import { NodeFileStore } from '../host/NodeFileStore';
import { BenchRecord, elapsedMs, MIB, mbPerS, putStats, round, tempRoot } from './Measure';
import { BenchConfig } from './Config';
import { ChildWindow } from './Profile';
import { failedRun } from './SimDevice';
import { smallFilesProfileChild } from './SmallFiles';
import { sparseFile, StubBackupService, StubBundle, StubFile } from './StubBackupService';
import { throughputProfileChild } from './Throughput';

export interface ProfileJob {
  kind: string;
  cfg: BenchConfig;
  root: string;
  setId: string;
}

export { benchConfig } from './Config';
export type { BenchConfig } from './Config';
export type { BenchRecord, BenchValue } from './Measure';
export { throughputBenches } from './Throughput';
export type { ThroughputWanted } from './Throughput';
export { smallFilesBench } from './SmallFiles';
export { incrementalRebackupBench } from './Incremental';
export { dedupRebackupBench } from './DedupRebackup';
export { encryptedBackupBench } from './EncryptedBackup';

/** bench.js --child-profile JOB: one profiled run (see Profile.ts); what the child prints. */
export async function profileChild(job: ProfileJob): Promise<ChildWindow> {
  if (job.kind === 'backup' || job.kind === 'restore') {
    return throughputProfileChild(job.kind, job.cfg, job.root, job.setId);
  }
  if (job.kind === 'small_files') {
    return smallFilesProfileChild(job.cfg, job.root);
  }
  throw new Error(`no profile child for ${job.kind}`);
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

/** One progress_storm run: `events` onProcess payloads into one running bundle, 1 ms of virtual time apart. */
async function progressStormOnce(events: number): Promise<BenchRecord> {
  const root = tempRoot('storm');
  const id = 'com.bench.storm';
  const service = new StubBackupService(root, [new StubBundle(id, [])], false);
  const clock = new ManualClock();
  const files = new NodeFileStore();
  const repo = new Repository(files, `${root}/store`, new SilentLogger(), { clock: new SystemClock() });
  const run = new BackupRun({ module: service, files, repo, logger: new SilentLogger(), clock }, [id]);
  const publishTimes: number[] = [];
  run.onProgress((p: RunProgress) => {
    if (!p.finished) {
      publishTimes.push(clock.now());
    }
  });
  try {
    const finished = run.start();
    // The run appends after reading the capability file (real I/O): wait for it by the wall clock, not by a
    // count of turns (on a loaded machine the thread pool can take longer than any fixed count).
    const deadline = Date.now() + 30000;
    while (service.appended.length === 0 && Date.now() < deadline) {
      await new Promise<void>((resolve) => setTimeout(resolve, 1));
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

/** progress_storm: a warm-up run, then `repeats` runs; ns_per_event is their median (min, max beside it),
 *  the other fields are those of the last run. */
export async function progressStormBench(events: number, repeats: number): Promise<BenchRecord> {
  const warmup = await progressStormOnce(events);
  const runs: BenchRecord[] = [];
  for (let i = 0; i < repeats; i++) {
    runs.push(await progressStormOnce(events));
  }
  const last = runs[runs.length - 1];
  const rec: BenchRecord = { bench: 'progress_storm', events, runs: repeats };
  putStats(rec, 'ns_per_event', runs.map((r) => r.ns_per_event as number), 0);
  const fields: BenchRecord = { ...last };
  delete fields.bench;
  delete fields.events;
  delete fields.ns_per_event;
  return { ...rec, warmup_ns_per_event: warmup.ns_per_event, ...fields };
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
  const rec: BenchRecord = { bench: 'caps_parse', bundles, bytes: Buffer.byteLength(text), runs: times.length };
  putStats(rec, 'ms', times, 2);
  return rec;
}

/**
 * memory (run in a child process): a backup of `mb` MiB of sparse files (64 MiB each, or one of `mb` when
 * that is less; 8 bundles) through
 * the stub service, the engine and the Node FileStore. Peak RSS is the process's high-water mark.
 */
export async function memoryBench(mb: number): Promise<BenchRecord> {
  const root = tempRoot('memory');
  try {
    const fileMb = Math.min(64, mb);
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
    const repo = new Repository(files, `${root}/store`, new SilentLogger(), { clock: new SystemClock() });
    const rssBefore = process.memoryUsage().rss;
    let sampledPeak = rssBefore;
    const sampler = setInterval(() => {
      sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
    }, 10);
    const t = process.hrtime.bigint();
    const result = await new BackupRun({ module: service, files, repo, logger: new SilentLogger() },
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
      engine_mb_s: round(mbPerS(bytes, ms), 1),
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
