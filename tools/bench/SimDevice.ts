/*
 * The simulated device of the throughput benchmark and the engine's runs against it, for the bench
 * process and for its profile child (which opens the same folders: the mock finds its app data already
 * generated and hashed, the store the set to restore).
 *
 * Every hash the mock computes runs in a worker thread of its own (WorkerHashStore); restores can have
 * its byte-for-byte check of what it received deferred until after the clock stops (DeferredRestoreCheck).
 */
import * as fs from 'node:fs';
import { RunOutcome, RunResult } from '../../entry/src/main/ets/backup/model/RunResult';
import { SilentLogger } from '../../entry/src/main/ets/backup/port/Logger';
import { BackupRun } from '../../entry/src/main/ets/backup/session/BackupRun';
import { RestoreRun } from '../../entry/src/main/ets/backup/session/RestoreRun';
import { RunDeps } from '../../entry/src/main/ets/backup/session/RunDeps';
import { Repository } from '../../entry/src/main/ets/backup/repo/Repository';
import { RestoreRequest } from '../../entry/src/main/ets/backup/repo/RestorePlan';
import { SystemClock } from '../../entry/src/main/ets/backup/port/Clock';
import { MockBackupModule } from '../../entry/src/main/ets/mock/MockBackupModule';
import { AppSpec, FileSpec, SimulatedDevice } from '../../entry/src/main/ets/mock/SimulatedDevice';
import { NodeFileStore } from '../host/NodeFileStore';
import { BenchConfig } from './Config';
import { CountingFileStore, StreamCounts } from './CountingFileStore';
import { DeferredRestoreCheck } from './DeferredRestoreCheck';
import { DeviceStore } from './DeviceStore';
import { MockWaitClock } from './MockWaits';
import { BenchRecord, elapsedMs, MIB, round, sleep } from './Measure';
import { WorkerHashStore } from './WorkerHashStore';

/** Real ms per virtual ms of the simulated device's clock. */
export const SIM_TIME_SCALE = 0.02;

/** What SimDevice.backupFresh did: the run's result, and how long the run took (its cleanup not counted). */
export interface FreshBackup {
  result: RunResult;
  ms: number;
}

export function failedRun(r: RunResult): string {
  const bad = r.bundles.filter((b) => b.error !== undefined).map((b) => `${b.id}: ${b.error?.message ?? ''}`);
  return `${r.kind} ${r.outcome}${r.error !== undefined ? ` (${r.error.message})` : ''} ${bad.join('; ')}`;
}

/** r when the run succeeded; throws naming what failed otherwise. */
export function checkRun(r: RunResult, what: string): RunResult {
  if (r.outcome !== RunOutcome.SUCCEEDED) {
    throw new Error(`${what}: ${failedRun(r)}`);
  }
  return r;
}

/** `apps` apps with big files of fileMb MiB, dataMb MiB in total (at least one file per app). */
export function benchApps(cfg: BenchConfig): AppSpec[] {
  const perApp = Math.max(1, Math.ceil(cfg.dataMb / cfg.fileMb / cfg.apps));
  const list: AppSpec[] = [];
  for (let a = 0; a < cfg.apps; a++) {
    const files: FileSpec[] = [];
    for (let f = 0; f < perApp; f++) {
      files.push({ path: `files/media/clip${f}.bin`, size: cfg.fileMb * MIB });
    }
    list.push({ name: `com.bench.app${a}`, label: `Bench ${a}`, files, backupMs: 20, restoreMs: 20 });
  }
  return list;
}

export function countsJson(c: StreamCounts, dataBytes: number): BenchRecord {
  return {
    copied_in_mb: round(c.copyFromFdBytes / MIB, 1),
    copied_out_mb: round(c.copyToFdBytes / MIB, 1),
    hash_only_mb: round(c.hashFileBytes / MIB, 1),
    sha256_passes: round(c.hashedBytes() / Math.max(1, dataBytes), 2),
  };
}

export class SimDevice {
  readonly cfg: BenchConfig;
  readonly root: string;
  readonly ids: string[];
  readonly engineFiles: CountingFileStore = new CountingFileStore(new NodeFileStore());
  readonly mockFiles: CountingFileStore;
  readonly deviceCheck: DeferredRestoreCheck;
  /** The repository the reference set lives in (and restores come from). */
  readonly repo: Repository;
  readonly deps: RunDeps;
  /** The mock's clock: its simulated waits counted, and skipped when asked (MockWaits.ts). */
  readonly mockClock: MockWaitClock = new MockWaitClock(SIM_TIME_SCALE);
  private rounds: number = 0;
  private readonly mockHasher: WorkerHashStore;
  private readonly mock: MockBackupModule;

  /** The device and store under root (created on first use; a second SimDevice on the same root finds
   *  what the first left). holdLabel: this process's own folder for the deferred check. deviceTimeOut: the
   *  device's own time is left out of the engine's: its simulated latencies are 0 (MockBackupModule
   *  latencyScale; setLatencyScale brings them back) and its text files are not fsynced (DeviceStore). */
  constructor(cfg: BenchConfig, root: string, holdLabel: string, deviceTimeOut: boolean = false) {
    this.cfg = cfg;
    this.root = root;
    this.mockHasher = new WorkerHashStore(new NodeFileStore());
    this.mockFiles = new CountingFileStore(this.mockHasher);
    const hold = `${root}/${holdLabel}`;
    fs.mkdirSync(hold, { recursive: true });
    this.deviceCheck = new DeferredRestoreCheck(this.mockFiles, hold);
    const apps = benchApps(cfg);
    this.ids = apps.map((a) => a.name);
    // Time scale: the apps' virtual work is negligible, and the 15-minute extension timer (18 s here) stays
    // far above what moving a few hundred MB takes.
    this.mock = new MockBackupModule({
      fileStore: deviceTimeOut ? new DeviceStore(this.deviceCheck) : this.deviceCheck, workDir: `${root}/mock`,
      device: SimulatedDevice.withApps(apps, { seed: 'bench' }), clock: this.mockClock,
      latencyScale: deviceTimeOut ? 0 : 1,
    });
    const logger = new SilentLogger();
    this.repo = this.repoAt(`${root}/store`);
    this.deps = { module: this.mock, files: this.engineFiles, repo: this.repo, logger };
  }

  private repoAt(dir: string): Repository {
    return new Repository(this.engineFiles, dir, new SilentLogger(), { clock: new SystemClock() });
  }

  /** The mock's factor on its simulated latencies from now on (between runs). */
  setLatencyScale(scale: number): void {
    this.mock.setLatencyScale(scale);
  }

  /** How many simulated latencies the mock waited so far, and their real ms (overlapping waits each count). */
  latencies(): { count: number; realMs: number } {
    const l = this.mock.latencies();
    return { count: l.count, realMs: l.waitedMs * SIM_TIME_SCALE };
  }

  /** The folder of the repository's stored content (what cp -r copies as the same bytes). */
  get blobsDir(): string {
    return `${this.root}/store/blobs`;
  }

  /** A backup of every app into the repository; the set is kept. */
  async backup(): Promise<RunResult> {
    return checkRun(await new BackupRun(this.deps, this.ids).start(), 'backup');
  }

  /** Deletes a set of the repository (and what it alone held). */
  async deleteSet(setId: string): Promise<void> {
    const session = await this.repo.lock('bench');
    try {
      await session.deleteSets([setId]);
    } finally {
      await session.release();
    }
  }

  /**
   * A backup of every app into a fresh repository, removed afterwards: every byte written, as a first
   * backup writes it (a backup into the reference repository would find all its content there already).
   * ms: the run alone, from start() to its result. Removing the repository it wrote is the bench's own
   * cleanup (as for the yardsticks' copies, whose removal is not timed either): 256 MiB of files just made
   * durable cost this disk's file system (mounted with discard) 200-300 ms to free.
   */
  async backupFresh(): Promise<FreshBackup> {
    this.rounds++;
    const dir = `${this.root}/round-${this.rounds}`;
    try {
      const run = new BackupRun({ ...this.deps, repo: this.repoAt(dir) }, this.ids);
      const t = process.hrtime.bigint();
      const result = await run.start();
      const ms = elapsedMs(t);
      return { result: checkRun(result, 'backup'), ms };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Bytes of the files a set holds. */
  async setBytes(setId: string): Promise<number> {
    return (await this.repo.getSet(setId)).apps.reduce((n, b) => n + b.files.reduce((k, f) => k + f.size, 0), 0);
  }

  /** The set's files and what they hold, for the deferred device check. */
  async expectSet(setId: string): Promise<void> {
    const manifest = await this.repo.getSet(setId);
    for (const b of manifest.apps) {
      for (const f of b.files) {
        this.deviceCheck.expect(b.id, f.uri, { size: f.size, sha256: f.blob });
      }
    }
  }

  /** A restore of the set (expectSet first). deferCheck: the device checks what it received only in
   *  settleCheck(), after the caller's clock stopped. */
  async restore(setId: string, deferCheck: boolean): Promise<RunResult> {
    if (deferCheck) {
      this.deviceCheck.defer();
    }
    const request = new RestoreRequest();
    request.setId = setId;
    request.apps = this.ids.slice();
    return checkRun(await new RestoreRun(this.deps, request).start(), 'restore');
  }

  /** The deferred check of the last restore: how many files it checked; throws when one was wrong. */
  async settleCheck(): Promise<number> {
    // The mock removes its per-bundle folders without waiting: let those removals arrive first.
    await sleep(this.cfg.quick ? 1 : 20);
    return this.deviceCheck.settle();
  }

  async shutdown(): Promise<void> {
    this.mock.shutdown();
    await this.mockHasher.shutdown();
  }
}
