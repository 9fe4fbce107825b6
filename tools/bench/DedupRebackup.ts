/*
 * dedup_rebackup: a second full backup of an unchanged device into the repository that already holds
 * its data (issue 10, item 10), against `cp -r` of the same bytes, the limit and the limit durable
 * (Compare.ts), in alternating rounds (Measure.ts).
 *
 * The device is the throughput benchmark's (SimDevice: 8 apps, dataMb MiB in fileMb MiB files, the mock
 * service). Its first backup (generating the data, storing the content) is not measured. Each measured
 * `rebackup` round is one more full backup of every app through the engine into that repository; the
 * mock hands over byte-identical files for unchanged data, which the first rebackup checks (every app's
 * files are the same blobs as in the first set). new_bytes is the most the repository grew by in one
 * rebackup (its folder, manifests included; per-app retention may remove an older set meanwhile), and
 * new_blob_bytes what its content grew by (0: nothing stored twice).
 *
 * The simulated device's waiting is device time (issue 11, "The bench"; `cp -r` pays none): the mock's
 * simulated latencies (connect, the app's onBackup, the pacing of each file, release, the capability file:
 * MockBackupModule latencyScale) are 0 in `rebackup` and `first_backup`, which give every ratio, and the
 * device's own text files (manage.json, capability files) are written without fsync (DeviceStore). The
 * same engine runs with them kept (timeScale 0.02) as `rebackup_waits` in the same rounds (its set deleted
 * afterwards, untimed, so the repository holds what it would without it):
 * `ratio_vs_cp_with_device_waits`, `engine_ms_with_device_waits`, and `device_wait_ms` (median of the
 * per-round differences); `device_waits_per_run` and `device_wait_sum_ms` count the simulated waits of one
 * re-backup and sum them (real ms when kept; waits of bundles running side by side each count).
 *
 * engine_cpu_ms: the CPU ms of the process (engine and mock, every thread) in a rebackup.
 *
 * Beside it in the same rounds:
 *   first_backup  a backup of the same device into an empty repository (every byte written and synced):
 *                 what deduplication saves (`ratio_vs_first_backup`);
 *   hash_first    the same content hashed by path (NodeFileStore.hashFile, 4 at a time) and each blob's
 *                 path looked at, nothing written: what hashing before writing would cost for data already
 *                 present, if the source could be read twice (the service's fd does not promise that);
 *                 `hash_first_ratio_vs_rebackup` > 1 means it would be faster than writing while hashing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeFileStore } from '../host/NodeFileStore';
import { comparisonJson, yardsticks } from './Compare';
import { BenchConfig } from './Config';
import { LimitPool } from './Limit';
import {
  BenchRecord, bytesOf, filesUnder, MIB, putStats, round, runRounds, sleep, tempRoot, timed, warmPageAllocator,
  warmupJson
} from './Measure';
import { SimDevice } from './SimDevice';

/** Bytes of every file under dir (0 when it is missing). */
function treeBytes(dir: string): number {
  if (!fs.existsSync(dir)) {
    return 0;
  }
  return filesUnder(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
}

/** app id -> uri -> blob of a set. */
async function blobsOf(device: SimDevice, setId: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const a of (await device.repo.getSet(setId)).apps) {
    for (const f of a.files) {
      out.set(`${a.id}/${f.uri}`, f.blob);
    }
  }
  return out;
}

/** Hashes every file under dir (4 at a time) and looks at its blob's path in blobsDir; returns how many
 *  were there. */
async function hashFirst(files: NodeFileStore, dir: string, rel: string[], blobsDir: string): Promise<number> {
  let next = 0;
  let present = 0;
  const lane = async (): Promise<void> => {
    while (next < rel.length) {
      const facts = await files.hashFile(path.join(dir, rel[next++]));
      const st = await files.stat(`${blobsDir}/${facts.sha256.substring(0, 2)}/${facts.sha256}`);
      if (st !== undefined && st.size === facts.size) {
        present++;
      }
    }
  };
  await Promise.all([lane(), lane(), lane(), lane()]);
  return present;
}

export async function dedupRebackupBench(cfg: BenchConfig): Promise<BenchRecord> {
  const root = tempRoot('dedup');
  const device = new SimDevice(cfg, root, 'held', true);
  let pool: LimitPool | undefined = undefined;
  try {
    const t = process.hrtime.bigint();
    const ref = await device.backup();
    const firstMs = Number(process.hrtime.bigint() - t) / 1e6;
    const bytes = ref.bundles.reduce((n, b) => n + b.bytes, 0);
    const refBlobs = await blobsOf(device, ref.setId);
    const blobsDir = device.blobsDir;
    const repoDir = path.dirname(blobsDir);
    const rel = filesUnder(blobsDir);
    pool = new LimitPool(blobsDir, rel);
    const files = new NodeFileStore();
    const warmMs = warmPageAllocator(root, cfg.warmFactor * bytesOf(blobsDir, rel) + (cfg.quick ? 0 : 64 * MIB));

    let grewBy = 0;
    let blobsGrewBy = 0;
    let checked = false;
    let present = 0;
    let waits = 0;
    let waitSumMs = 0;
    /** CPU ms of this process (engine and mock, every thread) in each rebackup, the warm-up's first. */
    const cpuMs: number[] = [];
    const withWaits = async (): Promise<number> => {
      device.setLatencyScale(1);
      const before = device.latencies();
      let setId = '';
      try {
        return await timed(async () => {
          setId = (await device.backup()).setId;
        });
      } finally {
        device.setLatencyScale(0);
        const after = device.latencies();
        waits = after.count - before.count;
        waitSumMs = Math.max(waitSumMs, after.realMs - before.realMs);
        if (setId !== '') {
          // Not timed: the repository keeps as many sets as it would without these rounds.
          await device.deleteSet(setId);
        }
      }
    };
    const times = await runRounds([
      { name: 'rebackup_waits', run: withWaits },
      {
        name: 'rebackup', run: async () => {
          const before = treeBytes(repoDir);
          const blobsBefore = treeBytes(blobsDir);
          let setId = '';
          const cpu = process.cpuUsage();
          const ms = await timed(async () => {
            setId = (await device.backup()).setId;
          });
          const used = process.cpuUsage(cpu);
          cpuMs.push((used.user + used.system) / 1000);
          grewBy = Math.max(grewBy, treeBytes(repoDir) - before);
          blobsGrewBy = Math.max(blobsGrewBy, treeBytes(blobsDir) - blobsBefore);
          if (!checked) {
            // The device hands over byte-identical files for unchanged data: the same blobs, file by file.
            const again = await blobsOf(device, setId);
            refBlobs.forEach((blob: string, key: string) => {
              if (again.get(key) !== blob) {
                throw new Error(`dedup_rebackup: ${key} came back as ${again.get(key) ?? 'nothing'}, not ${blob}`);
              }
            });
            checked = again.size === refBlobs.size;
          }
          return ms;
        },
      },
      { name: 'first_backup', run: async () => (await device.backupFresh()).ms },
      {
        name: 'hash_first', run: () => timed(async () => {
          present = await hashFirst(files, blobsDir, rel, blobsDir);
        }),
      },
      ...yardsticks(blobsDir, root, pool, undefined, false),
    ], cfg.repeats, () => sleep(cfg.quick ? 1 : 20));
    if (!checked) {
      throw new Error('dedup_rebackup: the second backup did not hand over the same files');
    }
    if (present !== rel.length) {
      throw new Error(`dedup_rebackup: hash_first found ${present} of ${rel.length} blobs`);
    }
    const rec: BenchRecord = {
      bench: 'dedup_rebackup',
      bytes,
      files: rel.length,
      bundles: device.ids.length,
      runs: cfg.repeats,
      new_bytes: grewBy,
      new_bytes_ratio: round(grewBy / Math.max(1, bytes), 6),
      new_blob_bytes: blobsGrewBy,
      same_files_handed_over: checked,
      ...comparisonJson(times, 'rebackup', bytes, undefined),
    };
    delete rec.ratio_vs_cp_openssl_sha256;
    putStats(rec, 'ratio_vs_cp_with_device_waits', times.ratios('rebackup_waits', 'cp'), 3);
    putStats(rec, 'engine_ms_with_device_waits', times.of('rebackup_waits'), 1);
    const plain = times.of('rebackup');
    putStats(rec, 'device_wait_ms', times.of('rebackup_waits').map((ms, i) => ms - plain[i]), 1);
    putStats(rec, 'engine_cpu_ms', cpuMs.slice(1), 1);
    rec.device_waits_per_run = waits;
    rec.device_wait_sum_ms = round(waitSumMs, 1);
    putStats(rec, 'ratio_vs_first_backup', times.ratios('rebackup', 'first_backup'), 3);
    putStats(rec, 'first_backup_ms', times.of('first_backup'), 1);
    putStats(rec, 'hash_first_ms', times.of('hash_first'), 1);
    putStats(rec, 'hash_first_ratio_vs_cp', times.ratios('hash_first', 'cp'), 3);
    putStats(rec, 'hash_first_ratio_vs_rebackup', times.ratios('hash_first', 'rebackup'), 3);
    return {
      ...rec,
      mock_generation_ms: round(firstMs, 1),
      warmup_ms: warmupJson(times),
      page_warming_ms: round(warmMs, 1),
    };
  } finally {
    await pool?.close();
    await device.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
