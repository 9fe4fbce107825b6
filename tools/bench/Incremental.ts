/*
 * incremental_rebackup (issue 12): a backup of an unchanged simulated device (the throughput bench's apps:
 * dataMb MiB in fileMb MiB files, 256 MiB by default) that already has a good copy in the repository, made
 * incrementally (one IncrementalBackupSession: each app against its all.rp, so only manage.json moves),
 * against a full backup of the same apps into a fresh repository (every byte sent and written, as a
 * first backup). Alternating rounds after a warm-up round (Measure.ts), medians with min and max.
 *
 * The simulated device's waiting is device time (issue 11, "The bench"): the mock's simulated latencies
 * (connect 250 ms, the app's onBackup, the send-rate pacing of each file, release 150 ms, the capability
 * file 300 ms; MockBackupModule latencyScale) are 0 in the rounds that give `ms`, `full_ms` and
 * `ratio_vs_full`, for both sides alike: same apps, same bytes, same engine code, same mock otherwise. The
 * device's own text files (manage.json, the .rp reports, capability files) are written without fsync in
 * every round (DeviceStore: a real extension writes them in its own process). The
 * same rounds also run both with the latencies kept (timeScale 0.02: 5 ms per connect, 3 ms per release,
 * 3 apps at a time), so the figure with the device's waiting stays visible:
 *
 *   ms, full_ms, ratio_vs_full          engine time (latencies 0); ratio_vs_full = full_ms / ms (target >= 10)
 *   *_with_device_waits                 the same with the simulated latencies kept
 *   device_wait_ms, full_device_wait_ms what keeping them added (median of the per-round differences)
 *   device_waits_per_run, device_wait_sum_ms   how many simulated waits a run has, and their sum in real ms
 *                                       when kept (waits of bundles running side by side each count)
 *   cpu_ms, full_cpu_ms, ratio_vs_full_cpu   CPU ms of the process (engine and mock, all threads) per run
 *   ops_per_app, full_ops_per_app       the engine's FileStore calls per app in one more (untimed) run of each
 *
 * Every incremental round builds on the same base copy: the set it made is deleted afterwards (untimed),
 * so each round has the same chain (base + 1) and the same repository (no round goes full by the
 * full-copy-every-7 rule; a round that did would fail the bench).
 */
import * as fs from 'node:fs';
import { RunResult } from '../../entry/src/main/ets/backup/model/RunResult';
import { SilentLogger } from '../../entry/src/main/ets/backup/port/Logger';
import { SystemClock } from '../../entry/src/main/ets/backup/port/Clock';
import { FileStore } from '../../entry/src/main/ets/backup/port/FileStore';
import { BackupRun } from '../../entry/src/main/ets/backup/session/BackupRun';
import { RunDeps } from '../../entry/src/main/ets/backup/session/RunDeps';
import { IncrementalOptions } from '../../entry/src/main/ets/backup/repo/IncrementalChoice';
import { Repository } from '../../entry/src/main/ets/backup/repo/Repository';
import { MockBackupModule } from '../../entry/src/main/ets/mock/MockBackupModule';
import { SimulatedDevice } from '../../entry/src/main/ets/mock/SimulatedDevice';
import { NodeFileStore } from '../host/NodeFileStore';
import { BenchConfig } from './Config';
import { BenchRecord, elapsedMs, median, putStats, round, runRounds, sleep, tempRoot, warmupJson } from './Measure';
import { DeviceStore } from './DeviceStore';
import { countingOps, OpCounts } from './OpCounts';
import { benchApps, checkRun } from './SimDevice';

/** Real ms per virtual ms of the mock's clock (its timers; and its latencies where they are kept). */
const TIME_SCALE = 0.02;

function transferred(r: RunResult): number {
  return r.bundles.reduce((n, b) => n + b.bytes, 0);
}

/** A backup run of ids, timed (wall ms, and the CPU ms of this process's threads, the mock's included);
 *  throws naming what failed when it did not succeed. */
async function timedRun(deps: RunDeps, ids: string[], what: string): Promise<{ ms: number; cpuMs: number; result: RunResult }> {
  const cpu = process.cpuUsage();
  const t = process.hrtime.bigint();
  const result = await new BackupRun(deps, ids).start();
  const ms = elapsedMs(t);
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, result: checkRun(result, what) };
}

export async function incrementalRebackupBench(cfg: BenchConfig): Promise<BenchRecord> {
  const root = tempRoot('incr');
  const files = new NodeFileStore();
  const apps = benchApps(cfg);
  const ids = apps.map((a) => a.name);
  const mock = new MockBackupModule({
    fileStore: new DeviceStore(files), workDir: `${root}/mock`, device: SimulatedDevice.withApps(apps, { seed: 'bench-incr' }),
    timeScale: TIME_SCALE, latencyScale: 0,
  });
  const repoAt = (store: FileStore, dir: string): Repository =>
    new Repository(store, dir, new SilentLogger(), { clock: new SystemClock() });
  const incrementalDeps = (store: FileStore): RunDeps => ({
    module: mock, files: store, repo: repoAt(store, `${root}/store`), logger: new SilentLogger(),
    incremental: (): IncrementalOptions => new IncrementalOptions(),
  });
  const incremental = incrementalDeps(files);
  let fresh = 0;
  const fullDeps = (store: FileStore): RunDeps => {
    fresh++;
    return { module: mock, files: store, repo: repoAt(store, `${root}/fresh-${fresh}`), logger: new SilentLogger() };
  };
  let bytes = 0;
  let fullBytes = 0;
  /** CPU ms of each timed run without the device's latencies (index: the run's kind). */
  const cpu = new Map<string, number[]>([['incremental', []], ['full', []]]);
  let waits = 0;
  let waitSumMs = 0;
  /** One incremental re-backup (timed) and the removal of the set it made (not timed). */
  const rebackup = async (deps: RunDeps, cpuOf?: number[]): Promise<number> => {
    const before = mock.latencies();
    const { ms, cpuMs, result: done } = await timedRun(deps, ids, 'incremental re-backup');
    cpuOf?.push(cpuMs);
    if (!done.bundles.every((b) => b.incremental)) {
      throw new Error('a re-backup of the unchanged device was not incremental for every app');
    }
    const after = mock.latencies();
    waits = after.count - before.count;
    waitSumMs = Math.max(waitSumMs, (after.waitedMs - before.waitedMs) * TIME_SCALE);
    bytes = transferred(done);
    const session = await incremental.repo.lock('bench');
    try {
      await session.deleteSets([done.setId]);
    } finally {
      await session.release();
    }
    return ms;
  };
  /** One full backup into a fresh repository (timed), removed afterwards (not timed). */
  const fullBackup = async (deps: RunDeps, cpuOf?: number[]): Promise<number> => {
    const { ms, cpuMs, result } = await timedRun(deps, ids, 'full backup');
    cpuOf?.push(cpuMs);
    fullBytes = transferred(result);
    fs.rmSync(deps.repo.root(), { recursive: true, force: true });
    return ms;
  };
  const withLatencies = async (scale: number, work: () => Promise<number>): Promise<number> => {
    mock.setLatencyScale(scale);
    try {
      return await work();
    } finally {
      mock.setLatencyScale(0);
    }
  };
  try {
    // The good copy every re-backup builds on (it also generates the device's data once).
    const base = checkRun(await new BackupRun(incremental, ids).start(), 'first backup');
    if (base.bundles.some((b) => b.incremental)) {
      throw new Error('the first backup should be full');
    }
    const times = await runRounds([
      { name: 'incremental', run: () => rebackup(incremental, cpu.get('incremental')) },
      { name: 'full', run: () => fullBackup(fullDeps(files), cpu.get('full')) },
      { name: 'incremental_waits', run: () => withLatencies(1, () => rebackup(incremental)) },
      { name: 'full_waits', run: () => withLatencies(1, () => fullBackup(fullDeps(files))) },
    ], cfg.repeats, () => sleep(cfg.quick ? 1 : 20));
    // What the engine asks of the file system, per app: one more run of each kind, through a counting store.
    const incOps = new OpCounts();
    await rebackup(incrementalDeps(countingOps(files, incOps)));
    const fullOps = new OpCounts();
    await fullBackup(fullDeps(countingOps(files, fullOps)));

    const inc = times.of('incremental');
    const full = times.of('full');
    const incWaits = times.of('incremental_waits');
    const fullWaits = times.of('full_waits');
    const rec: BenchRecord = {
      bench: 'incremental_rebackup',
      data_mb: cfg.dataMb,
      apps: cfg.apps,
      rounds: cfg.repeats,
      device_latencies: 'none in ms/full_ms/ratio_vs_full; kept (timeScale 0.02) in *_with_device_waits',
    };
    putStats(rec, 'ms', inc, 1);
    putStats(rec, 'full_ms', full, 1);
    putStats(rec, 'ratio_vs_full', times.ratios('incremental', 'full'), 1);
    putStats(rec, 'ms_with_device_waits', incWaits, 1);
    putStats(rec, 'full_ms_with_device_waits', fullWaits, 1);
    putStats(rec, 'ratio_vs_full_with_device_waits', times.ratios('incremental_waits', 'full_waits'), 1);
    putStats(rec, 'device_wait_ms', incWaits.map((ms, i) => ms - inc[i]), 1);
    putStats(rec, 'full_device_wait_ms', fullWaits.map((ms, i) => ms - full[i]), 1);
    // CPU of the whole process (engine and simulated device, every thread): less moved by other work on
    // the machine than wall time. The warm-up round's runs are left out, as for the times.
    const incCpu = (cpu.get('incremental') as number[]).slice(1);
    const fullCpu = (cpu.get('full') as number[]).slice(1);
    putStats(rec, 'cpu_ms', incCpu, 1);
    putStats(rec, 'full_cpu_ms', fullCpu, 1);
    putStats(rec, 'ratio_vs_full_cpu', incCpu.map((ms, i) => fullCpu[i] / Math.max(0.001, ms)), 1);
    rec.device_waits_per_run = waits;
    rec.device_wait_sum_ms = round(waitSumMs, 1);
    rec.ratio_of_medians = round(median(full) / Math.max(0.001, median(inc)), 1);
    rec.bytes_per_rebackup = bytes;
    rec.bytes_per_full = fullBytes;
    rec.ops_per_app = incOps.json(ids.length);
    rec.full_ops_per_app = fullOps.json(ids.length);
    rec.warmup_ms = warmupJson(times);
    return rec;
  } finally {
    mock.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
