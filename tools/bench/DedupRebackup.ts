/*
 * dedup_rebackup: a second full backup of an unchanged device into a repository that already holds
 * everything (issue 10, item 10), against `cp -r` of the same bytes, the limit and the limit durable
 * (Compare.ts), in alternating rounds (Measure.ts).
 *
 * The data is the throughput benchmark's shape (`apps` folders of fileMb MiB files, dataMb MiB of random
 * bytes). Each measured round stores all of it as one more set through the repository's write path
 * (RepoWrite.ts: RepoWriter.storeFile from fds opened before the clock, four at a time as the engine's copy
 * slots do, then the commit); the first backup, which stores the content, is not measured (its time is
 * `first_backup_ms`). new_bytes is what the repository grew by in one such backup (the manifest and the
 * journal's leftovers; content already there is not stored again).
 *
 * `hash_first` answers "does hashing before writing pay off for data already present?": the same files
 * hashed by path (NodeFileStore.hashFile, four at a time), each blob's path looked at, nothing written.
 * That is what a hash-first store would cost if the source could be read twice (the service's fd does not
 * promise that); `hash_first_ratio_vs_rebackup` > 1 means it would be faster than writing while hashing.
 *
 * Until the engine writes into the repository (the "wire" work), the timed part is the repository's write
 * path alone, without the engine and the mock service (`path` says which).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomFillSync } from 'node:crypto';
import { NodeFileStore } from '../host/NodeFileStore';
import { comparisonJson, yardsticks } from './Compare';
import { BenchConfig } from './Config';
import { LimitPool } from './Limit';
import {
  BenchRecord, bytesOf, filesUnder, MIB, putStats, round, runRounds, sleep, tempRoot, warmPageAllocator, warmupJson
} from './Measure';
import { RepoSource, RepoWriteBench, sourcesUnder } from './RepoWrite';

/** Bytes of every file under dir (0 when it is missing). */
function treeBytes(dir: string): number {
  if (!fs.existsSync(dir)) {
    return 0;
  }
  return filesUnder(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
}

/** Hashes every source (4 at a time) and looks at its blob's path; returns the ms and how many were there. */
async function hashFirst(files: NodeFileStore, repoRoot: string, sources: RepoSource[]): Promise<{ ms: number; present: number }> {
  const t = process.hrtime.bigint();
  let next = 0;
  let present = 0;
  const lane = async (): Promise<void> => {
    while (next < sources.length) {
      const s = sources[next++];
      const facts = await files.hashFile(s.file);
      const st = await files.stat(`${repoRoot}/blobs/${facts.sha256.substring(0, 2)}/${facts.sha256}`);
      if (st !== undefined && st.size === facts.size) {
        present++;
      }
    }
  };
  await Promise.all([lane(), lane(), lane(), lane()]);
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, present };
}

export async function dedupRebackupBench(cfg: BenchConfig): Promise<BenchRecord> {
  const root = tempRoot('dedup');
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
    const rel = filesUnder(src);
    const bytes = bytesOf(src, rel);
    const sources = sourcesUnder(src, rel);
    const files = new NodeFileStore();
    const repoRoot = `${root}/repo`;
    const bench = new RepoWriteBench(repoRoot, files);
    const first = await bench.once(sources);
    if (first.stats.newBytes !== bytes) {
      throw new Error(`dedup_rebackup: the first backup stored ${first.stats.newBytes} new bytes of ${bytes}`);
    }
    pool = new LimitPool(src, rel);
    const warmMs = warmPageAllocator(root, cfg.warmFactor * bytes + (cfg.quick ? 0 : 64 * MIB));

    let grewBy = -1;
    let reused = 0;
    let hashPresent = 0;
    bench.files.reset();
    const times = await runRounds([
      {
        name: 'rebackup', run: async () => {
          const before = treeBytes(repoRoot);
          const r = await bench.once(sources);
          grewBy = Math.max(grewBy, treeBytes(repoRoot) - before);
          reused = r.stats.reusedBytes;
          if (r.stats.newBytes !== 0) {
            throw new Error(`dedup_rebackup: a backup of unchanged data stored ${r.stats.newBytes} new bytes`);
          }
          return r.ms;
        },
      },
      {
        name: 'hash_first', run: async () => {
          const h = await hashFirst(files, repoRoot, sources);
          hashPresent = h.present;
          return h.ms;
        },
      },
      ...yardsticks(src, root, pool, undefined, false),
    ], cfg.repeats, () => sleep(cfg.quick ? 1 : 20));
    if (hashPresent !== sources.length) {
      throw new Error(`dedup_rebackup: hash_first found ${hashPresent} of ${sources.length} blobs`);
    }
    const rounds = cfg.repeats + 1;
    const rec: BenchRecord = {
      bench: 'dedup_rebackup',
      path: 'the repository write path (RepoWriter from fds, 4 at a time), without the engine and the mock service',
      bytes,
      files: sources.length,
      apps: cfg.apps,
      runs: cfg.repeats,
      new_bytes: grewBy,
      new_bytes_ratio: round(grewBy / Math.max(1, bytes), 6),
      reused_bytes: reused,
      ...comparisonJson(times, 'rebackup', bytes, undefined),
    };
    delete rec.ratio_vs_cp_openssl_sha256;
    putStats(rec, 'hash_first_ms', times.of('hash_first'), 1);
    putStats(rec, 'hash_first_ratio_vs_cp', times.ratios('hash_first', 'cp'), 3);
    putStats(rec, 'hash_first_ratio_vs_rebackup', times.ratios('hash_first', 'rebackup'), 3);
    return {
      ...rec,
      first_backup_ms: round(first.ms, 1),
      first_backup_mb_s: round(bytes / MIB / (first.ms / 1000), 1),
      ops_per_file: bench.files.perFile(sources.length * rounds),
      warmup_ms: warmupJson(times),
      page_warming_ms: round(warmMs, 1),
    };
  } finally {
    await pool?.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
