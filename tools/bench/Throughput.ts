/*
 * backup_throughput, restore_throughput and limit: the engine moving the data of a simulated device
 * through fds (mock backup module, big files so the mock sends its materialised app files as they are),
 * against the same bytes copied by `cp -r`, by `cp -r` then `openssl dgst -sha256`, and by the limit
 * (Limit.ts), all warm (in the page cache), in alternating rounds (Measure.ts).
 *
 * The simulated device's own work stays out of the engine's time (SimDevice.ts): its data is generated
 * by a first backup (not measured; that backup's set is the one restored and copied); every hash it
 * computes runs in a worker thread of its own; and in the measured restores its byte-for-byte check of
 * every received file runs after the clock stops (DeferredRestoreCheck: the same check, later; a wrong
 * byte fails the bench). `inline_check` in the restore line is the restore with the check where the
 * mock makes it (before each bundle ends, in its worker), for comparison. What remains on the engine's
 * thread is the mock's bookkeeping per file (opening the fds it hands out, its registry), small for
 * 16 MiB files.
 *
 * The mock's simulated waits (MockWaits.ts: connecting each extension, answering each file request, the
 * app's onRestore, releasing the extension; at timeScale 0.02 about 8 ms per bundle, 3 bundles at a time)
 * stay in the restore's time, as a real service's latencies would: the engine can only overlap them. What
 * they cost is measured in the same rounds (`mock_waits` of the restore line: the restore with those waits
 * fired at once, and the difference, about 10 ms of a run here: the first connect before any byte moves
 * and the last release after the last one).
 *
 * `phases` of the restore line splits each measured run where the engine's copies begin and end: before
 * the first byte (the plan, the capability file, appendBundles, the service connecting the first apps and
 * handing over their first files), the data (first byte to last, with every later app's connect inside),
 * after the last byte (the last publish, onRestore, release, the result). `data_ratio_vs_limit` is the
 * limit's time over the data part: how fast the bytes move while they move.
 *
 * Which limit is the fair comparator: for the restore, `limit` (ratio_vs_limit). The restore writes into
 * the service's fds and the service makes them durable, so neither syncs anything. For the backup,
 * `limit_durable` (ratio_vs_limit_durable): the backup's guarantee is that every blob of a set is on disk
 * before the set's manifest is renamed into place, so its time holds the disk's writeback of every byte,
 * which `limit` never waits for; the gap between `limit` and `limit_durable` is that writeback (the
 * disk, not code). `ratio_vs_limit` of the backup says how far a durable copy is from a copy that keeps
 * its bytes in the page cache, not how much code could gain.
 *
 * Cleanup is nobody's time: the repository a measured backup wrote is removed after its clock stopped
 * (SimDevice.backupFresh), as each yardstick's copy is (Compare.ts). Timing it would charge the engine
 * what the bench does afterwards: freeing 256 MiB of files just made durable takes this disk's file system
 * (mounted with discard) about 200 ms, a third of a backup's own time.
 *
 * Cold caches (`cold`, opt-in with BENCH_COLD=1 because it drops the page cache of the whole machine):
 * the same comparison with `sync` and drop_caches before every engine run and every cp.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomFillSync } from 'node:crypto';
import { BenchConfig } from './Config';
import { comparisonJson, hasherJson, tryHasher, yardsticks } from './Compare';
import { LIMIT_CHUNK_BYTES, LIMIT_WORKERS, LimitPool } from './Limit';
import {
  BenchRecord, bytesOf, Contestant, elapsedMs, filesUnder, MIB, mbPerS, putStats, round, RoundTimes, runRounds, sleep,
  tempRoot, timed, warmPageAllocator, warmupJson
} from './Measure';
import { ChildWindow, profiledWindow, profileJson } from './Profile';
import { RunPhases } from './CountingFileStore';
import { countsJson, SimDevice } from './SimDevice';
import { coldCacheUnavailable, cpR, dropCaches } from './SystemCopy';

export interface ThroughputWanted {
  backup: boolean;
  restore: boolean;
  limit: boolean;
}

function limitJson(times: RoundTimes, bytes: number, files: number, dataset: string): BenchRecord {
  const rec: BenchRecord = {
    bench: 'limit',
    what: `${LIMIT_WORKERS} worker_threads sharing the file list, each reading (sync fs, ${LIMIT_CHUNK_BYTES / 1024} KiB ` +
      'chunks), hashing (crypto sha256) and writing every file',
    dataset,
    bytes,
    files,
    runs: times.repeats,
  };
  putStats(rec, 'ratio_vs_cp', times.ratios('limit', 'cp'), 3);
  putStats(rec, 'limit_mb_s', times.mbPerS('limit', bytes), 1);
  putStats(rec, 'cp_mb_s', times.mbPerS('cp', bytes), 1);
  putStats(rec, 'limit_durable_mb_s', times.mbPerS('limit_durable', bytes), 1);
  putStats(rec, 'hash_only_ratio_vs_cp', times.ratios('hash_only', 'cp'), 3);
  putStats(rec, 'hash_only_mb_s', times.mbPerS('hash_only', bytes), 1);
  putStats(rec, 'limit_ms', times.of('limit'), 1);
  putStats(rec, 'cp_ms', times.of('cp'), 1);
  putStats(rec, 'hash_only_ms', times.of('hash_only'), 1);
  putStats(rec, 'limit_durable_ms', times.of('limit_durable'), 1);
  const warm = warmupJson(times);
  rec.warmup_ms = { cp: warm.cp, limit: warm.limit, limit_durable: warm.limit_durable, hash_only: warm.hash_only };
  return rec;
}

/** The limit's copy must hash what the engine recorded: a check that it really read every byte. */
async function checkLimitHashes(pool: LimitPool, dst: string, expected: Map<string, string>): Promise<void> {
  const got = (await pool.copy(dst, true)).hashes;
  fs.rmSync(dst, { recursive: true, force: true });
  expected.forEach((sha: string, rel: string) => {
    if (got.get(rel) !== sha) {
      throw new Error(`limit: ${rel} hashed ${got.get(rel) ?? 'nothing'}, the engine recorded ${sha}`);
    }
  });
}

function warmBytes(cfg: BenchConfig, bytesPerCopy: number): number {
  return cfg.warmFactor * bytesPerCopy + (cfg.quick ? 0 : 64 * MIB);
}

/** The limit line alone: random files of the throughput benchmark's shape, against cp. */
async function limitAlone(cfg: BenchConfig): Promise<BenchRecord[]> {
  const root = tempRoot('limit');
  let pool: LimitPool | undefined = undefined;
  try {
    const src = `${root}/src`;
    const perApp = Math.max(1, Math.ceil(cfg.dataMb / cfg.fileMb / cfg.apps));
    const chunk = Buffer.alloc(cfg.fileMb * MIB);
    for (let a = 0; a < cfg.apps; a++) {
      fs.mkdirSync(`${src}/com.bench.app${a}`, { recursive: true });
      for (let f = 0; f < perApp; f++) {
        randomFillSync(chunk);
        fs.writeFileSync(`${src}/com.bench.app${a}/clip${f}.bin`, chunk);
      }
    }
    const files = filesUnder(src);
    const bytes = bytesOf(src, files);
    pool = new LimitPool(src, files);
    warmPageAllocator(root, warmBytes(cfg, bytes));
    const times = await runRounds(yardsticks(src, root, pool, undefined, true), cfg.repeats, () => sleep(1));
    return [limitJson(times, bytes, files.length,
      `random files of backup_throughput's shape (${cfg.apps} folders of ${perApp} x ${cfg.fileMb} MiB)`)];
  } finally {
    await pool?.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** The lines wanted of backup_throughput, restore_throughput and limit. */
export async function throughputBenches(cfg: BenchConfig, wanted: ThroughputWanted): Promise<BenchRecord[]> {
  if (!wanted.backup && !wanted.restore) {
    return wanted.limit ? limitAlone(cfg) : [];
  }
  const root = tempRoot('throughput');
  const device = new SimDevice(cfg, root, 'held');
  let pool: LimitPool | undefined = undefined;
  try {
    // The first backup makes the mock generate its app data; its set is the one restored and copied.
    const t = process.hrtime.bigint();
    const ref = await device.backup();
    const generationMs = elapsedMs(t);
    await device.expectSet(ref.setId);
    const bytes = ref.bundles.reduce((n, b) => n + b.bytes, 0);
    const fileCount = ref.bundles.reduce((k, b) => k + b.files.length, 0);
    // The same bytes for the yardsticks: the repository's stored content (one blob per distinct file).
    const setDir = device.blobsDir;

    const backup = async (): Promise<number> => (await device.backupFresh()).ms;
    let deferredChecks = 0;
    const mockWaits: number[] = [];
    const phases: RunPhases[] = [];
    const restore = async (): Promise<number> => {
      device.mockClock.reset();
      device.engineFiles.counts.reset();
      const t = process.hrtime.bigint();
      await device.restore(ref.setId, true);
      const end = process.hrtime.bigint();
      const ms = Number(end - t) / 1e6;
      phases.push(device.engineFiles.counts.phases(t, end));
      mockWaits.push(device.mockClock.requestedMs);
      deferredChecks = await device.settleCheck();
      return ms;
    };
    // The same restore with the mock's simulated waits (connect, file handle, release, onRestore) fired at
    // once: the difference is what those waits cost a run (MockWaits.ts).
    const restoreNoWaits = async (): Promise<number> => {
      device.mockClock.skipShortWaits = true;
      try {
        const ms = await timed(async () => {
          await device.restore(ref.setId, true);
        });
        await device.settleCheck();
        return ms;
      } finally {
        device.mockClock.skipShortWaits = false;
      }
    };
    const restoreInlineCheck = (): Promise<number> => timed(async () => {
      await device.restore(ref.setId, false);
    });

    const copied = filesUnder(setDir);
    pool = new LimitPool(setDir, copied);
    const manifest = await device.repo.getSet(ref.setId);
    const expected = new Map<string, string>();
    for (const b of manifest.apps) {
      for (const f of b.files) {
        expected.set(path.relative(setDir, device.repo.blobPath(f.blob)).split(path.sep).join('/'), f.blob);
      }
    }
    await checkLimitHashes(pool, `${root}/limit-check`, expected);
    const { hasher, why } = tryHasher();
    const warmMs = warmPageAllocator(root, warmBytes(cfg, bytesOf(setDir, copied)));

    const contestants: Contestant[] = [];
    if (wanted.backup) {
      contestants.push({ name: 'backup', run: backup });
    }
    if (wanted.restore) {
      contestants.push({ name: 'restore', run: restore }, { name: 'restore_inline_check', run: restoreInlineCheck },
        { name: 'restore_no_mock_waits', run: restoreNoWaits });
    }
    contestants.push(...yardsticks(setDir, root, pool, hasher, wanted.limit));
    // Settle: the mock removes its per-bundle folders without waiting; let that finish outside any clock.
    const times = await runRounds(contestants, cfg.repeats, () => sleep(cfg.quick ? 1 : 20));
    const cold = await coldRounds(cfg, backup, restore, setDir, root);

    const lines: BenchRecord[] = [];
    const common = (bench: string, name: string): BenchRecord => ({
      bench, bytes, files: fileCount, bundles: device.ids.length, runs: cfg.repeats,
      ...comparisonJson(times, name, bytes, hasher),
      ...hasherJson(hasher, why),
      warmup_ms: warmupJson(times),
      page_warming_ms: round(warmMs, 1),
    });
    if (wanted.backup) {
      lines.push({
        ...common('backup_throughput', 'backup'),
        ...coldJson(cold, 'backup'),
        mock_generation_ms: round(generationMs, 1),
        ...await profileJson(cfg.benchScript, { kind: 'backup', cfg: { ...cfg }, root, setId: ref.setId }),
      });
    }
    if (wanted.restore) {
      const inline: BenchRecord = {};
      putStats(inline, 'ratio_vs_cp', times.ratios('restore_inline_check', 'cp'), 3);
      putStats(inline, 'engine_ms', times.of('restore_inline_check'), 1);
      lines.push({
        ...common('restore_throughput', 'restore'),
        device_check: `${deferredChecks} of ${fileCount} restored files checked by the device after the clock stopped`,
        inline_check: inline,
        mock_waits: mockWaitsJson(times, mockWaits),
        phases: phasesJson(times, phases.slice(-cfg.repeats), bytes),
        ...coldJson(cold, 'restore'),
        ...await profileJson(cfg.benchScript, { kind: 'restore', cfg: { ...cfg }, root, setId: ref.setId }),
      });
    }
    if (wanted.limit) {
      lines.push(limitJson(times, bytes, copied.length, 'the backup set of backup_throughput (cp -r copies the same folder)'));
    }
    return lines;
  } finally {
    await pool?.close();
    await device.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/**
 * The profile child of backup_throughput or restore_throughput (bench.js --child-profile): the device
 * and store the bench left under root; one run to warm up, one inside the profiled window. What the
 * engine and the mock streamed in that run goes into the report.
 */
export async function throughputProfileChild(kind: string, cfg: BenchConfig, root: string, setId: string):
  Promise<ChildWindow> {
  const device = new SimDevice(cfg, root, `held-${process.pid}`);
  try {
    await device.expectSet(setId);
    const bytes = await device.setBytes(setId);
    const once = async (): Promise<void> => {
      if (kind === 'backup') {
        await device.backupFresh();
      } else {
        await device.restore(setId, true);
      }
    };
    await once();
    if (kind === 'restore') {
      await device.settleCheck();
    }
    device.engineFiles.counts.reset();
    device.mockFiles.counts.reset();
    const report = await profiledWindow(async () => {
      await once();
      return {
        streamed: { engine: countsJson(device.engineFiles.counts, bytes), mock: countsJson(device.mockFiles.counts, bytes) },
      };
    });
    if (kind === 'restore') {
      await device.settleCheck();
    }
    return report;
  } finally {
    await device.shutdown();
  }
}

interface ColdTimes {
  times: RoundTimes | undefined;
  skipped: string;
}

/** Cold rounds: drop the page cache before each engine run and each cp (opt-in, see the top). */
async function coldRounds(cfg: BenchConfig, backup: () => Promise<number>, restore: () => Promise<number>,
  setDir: string, root: string): Promise<ColdTimes> {
  let skipped = cfg.quick ? 'BENCH_QUICK' : coldCacheUnavailable();
  if (skipped === undefined) {
    try {
      dropCaches();
    } catch (e) {
      skipped = `cannot drop caches: ${(e as Error).message}`;
    }
  }
  if (skipped !== undefined) {
    return { times: undefined, skipped };
  }
  const out = `${root}/cp-cold`;
  const contestants: Contestant[] = [
    {
      name: 'backup', run: () => {
        dropCaches();
        return backup();
      },
    },
    {
      name: 'restore', run: () => {
        dropCaches();
        return restore();
      },
    },
    {
      name: 'cp', run: () => {
        dropCaches();
        const ms = cpR(setDir, out);
        fs.rmSync(out, { recursive: true, force: true });
        return Promise.resolve(ms);
      },
    },
  ];
  return { times: await runRounds(contestants, cfg.repeats, () => sleep(20)), skipped: '' };
}

/**
 * The restore's runs in three parts (RunPhases), per measured round: what a run costs besides moving
 * bytes (planning, the capability file, the service connecting the first apps and handing over their
 * first files; the last publish, onRestore and release after the last byte), and how fast the bytes move
 * while they move (`data_ratio_vs_limit`: the limit's time over the data part of the run of the same
 * round; the data part still holds every gap while the service connects later apps).
 */
function phasesJson(times: RoundTimes, phases: RunPhases[], bytes: number): BenchRecord {
  const rec: BenchRecord = {
    what: 'before: start to the first byte copied; data: first byte to last; after: last byte to the result',
  };
  putStats(rec, 'before_ms', phases.map((p) => p.beforeMs), 1);
  putStats(rec, 'data_ms', phases.map((p) => p.dataMs), 1);
  putStats(rec, 'after_ms', phases.map((p) => p.afterMs), 1);
  putStats(rec, 'data_mb_s', phases.map((p) => mbPerS(bytes, p.dataMs)), 1);
  const limit = times.of('limit');
  putStats(rec, 'data_ratio_vs_limit', phases.map((p, i) => limit[i] / Math.max(0.001, p.dataMs)), 3);
  return rec;
}

/**
 * What the mock's simulated waits cost the restore: the restore against the same restore with those
 * waits fired at once, in the same rounds (cost_ms: per-round difference of the two), and the waits it
 * scheduled (requested_ms: every wait summed, overlapping ones too, so more than they cost).
 */
function mockWaitsJson(times: RoundTimes, requested: number[]): BenchRecord {
  const rec: BenchRecord = {
    what: 'the restore with the mock service\'s simulated waits (extension connect, file handle, onRestore, ' +
      'release, at timeScale 0.02) fired at once instead; the rest of the run unchanged',
  };
  const withWaits = times.of('restore');
  const without = times.of('restore_no_mock_waits');
  putStats(rec, 'cost_ms', withWaits.map((ms, i) => ms - without[i]), 1);
  putStats(rec, 'requested_ms', requested.slice(-withWaits.length), 1);
  putStats(rec, 'engine_ms', without, 1);
  putStats(rec, 'ratio_vs_limit', times.ratios('restore_no_mock_waits', 'limit'), 3);
  putStats(rec, 'ratio_vs_cp', times.ratios('restore_no_mock_waits', 'cp'), 3);
  return rec;
}

function coldJson(cold: ColdTimes, name: string): BenchRecord {
  if (cold.times === undefined) {
    return { cold: null, cold_skipped: cold.skipped };
  }
  const rec: BenchRecord = {};
  putStats(rec, 'ratio_vs_cp', cold.times.ratios(name, 'cp'), 3);
  putStats(rec, 'engine_ms', cold.times.of(name), 1);
  putStats(rec, 'cp_ms', cold.times.of('cp'), 1);
  return { cold: rec };
}
