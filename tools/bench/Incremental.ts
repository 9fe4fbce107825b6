/*
 * incremental_rebackup (issue 12): a backup of an unchanged simulated device (the throughput bench's apps:
 * dataMb MiB in fileMb MiB files, 256 MiB by default) that already has a good copy in the repository, made
 * incrementally (one IncrementalBackupSession: each app against its all.rp, so only manage.json moves),
 * against a full backup of the same apps into a fresh repository (every byte sent and written, as a
 * first backup). Medians of alternating rounds after a warm-up round.
 *
 *   { bench, data_mb, apps, ms, full_ms, ratio_vs_full, ms_min/max, full_ms_min/max, bytes_per_rebackup }
 *
 * ratio_vs_full = full_ms / ms (the target: at least 10). The chain grows by one increment per round,
 * within the default full-copy-every-7 rule (a round that went full would show in bytes_per_rebackup).
 */
import * as fs from 'node:fs';
import { RunResult } from '../../entry/src/main/ets/backup/model/RunResult';
import { SilentLogger } from '../../entry/src/main/ets/backup/port/Logger';
import { SystemClock } from '../../entry/src/main/ets/backup/port/Clock';
import { BackupRun } from '../../entry/src/main/ets/backup/session/BackupRun';
import { RunDeps } from '../../entry/src/main/ets/backup/session/RunDeps';
import { IncrementalOptions } from '../../entry/src/main/ets/backup/repo/IncrementalChoice';
import { Repository } from '../../entry/src/main/ets/backup/repo/Repository';
import { MockBackupModule } from '../../entry/src/main/ets/mock/MockBackupModule';
import { SimulatedDevice } from '../../entry/src/main/ets/mock/SimulatedDevice';
import { NodeFileStore } from '../host/NodeFileStore';
import { BenchConfig } from './Config';
import { BenchRecord, elapsedMs, median, putStats, round, tempRoot } from './Measure';
import { benchApps, checkRun } from './SimDevice';

function transferred(r: RunResult): number {
  return r.bundles.reduce((n, b) => n + b.bytes, 0);
}

export async function incrementalRebackupBench(cfg: BenchConfig): Promise<BenchRecord> {
  const root = tempRoot('bm-bench-incr');
  const files = new NodeFileStore();
  const apps = benchApps(cfg);
  const ids = apps.map((a) => a.name);
  const mock = new MockBackupModule({
    fileStore: files, workDir: `${root}/mock`, device: SimulatedDevice.withApps(apps, { seed: 'bench-incr' }),
    timeScale: 0.02,
  });
  const repoAt = (dir: string): Repository =>
    new Repository(files, dir, new SilentLogger(), { clock: new SystemClock() });
  const incremental: RunDeps = {
    module: mock, files, repo: repoAt(`${root}/store`), logger: new SilentLogger(),
    incremental: (): IncrementalOptions => new IncrementalOptions(),
  };
  const full: RunDeps = { module: mock, files, repo: incremental.repo, logger: new SilentLogger() };
  try {
    // The good copy every re-backup builds on (it also generates the device's data once).
    const base = checkRun(await new BackupRun(incremental, ids).start(), 'first backup');
    if (base.bundles.some((b) => b.incremental)) {
      throw new Error('the first backup should be full');
    }
    const incTimes: number[] = [];
    const fullTimes: number[] = [];
    let bytes = 0;
    let fullBytes = 0;
    let fresh = 0;
    for (let round_ = 0; round_ <= cfg.repeats; round_++) {
      const t0 = process.hrtime.bigint();
      const r = checkRun(await new BackupRun(incremental, ids).start(), 'incremental re-backup');
      const ms = elapsedMs(t0);
      if (!r.bundles.every((b) => b.incremental)) {
        throw new Error('a re-backup of the unchanged device was not incremental for every app');
      }
      bytes = transferred(r);
      fresh++;
      const dir = `${root}/fresh-${fresh}`;
      const deps: RunDeps = { ...full, repo: repoAt(dir) };
      const t1 = process.hrtime.bigint();
      const f = checkRun(await new BackupRun(deps, ids).start(), 'full backup');
      const fms = elapsedMs(t1);
      fullBytes = transferred(f);
      fs.rmSync(dir, { recursive: true, force: true });
      if (round_ > 0) {
        incTimes.push(ms);
        fullTimes.push(fms);
      }
    }
    const rec: BenchRecord = {
      bench: 'incremental_rebackup',
      data_mb: cfg.dataMb,
      apps: cfg.apps,
      rounds: cfg.repeats,
    };
    const ms = median(incTimes);
    const fullMs = median(fullTimes);
    putStats(rec, 'ms', incTimes, 1);
    putStats(rec, 'full_ms', fullTimes, 1);
    rec.ms = round(ms, 1);
    rec.full_ms = round(fullMs, 1);
    rec.ratio_vs_full = round(fullMs / Math.max(0.001, ms), 1);
    rec.bytes_per_rebackup = bytes;
    rec.bytes_per_full = fullBytes;
    return rec;
  } finally {
    mock.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
