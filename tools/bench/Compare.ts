/*
 * The yardsticks every engine figure is compared with, as contestants of the same rounds (Measure.ts):
 * `cp -r` of the same files, `cp -r` then `openssl dgst -sha256` of every copy, and the limit of plain
 * Node code (Limit.ts) copying and hashing them, also durably (every copy fsynced before it is closed, as
 * the engine's backup writes its files; `cp -r` syncs nothing); and the fields of a line that compare the
 * engine with them (median of the per-round ratios, min and max beside).
 */
import * as fs from 'node:fs';
import { LimitPool } from './Limit';
import { BenchRecord, Contestant, putStats, RoundTimes } from './Measure';
import { cpAndOpensslSha256, cpR, cpuHasShaExtensions, hasherName } from './SystemCopy';

/** The openssl hasher, or why there is none. */
export function tryHasher(): { hasher: string | undefined; why: string } {
  try {
    return { hasher: hasherName(), why: '' };
  } catch (e) {
    return { hasher: undefined, why: (e as Error).message };
  }
}

/** cp, limit, limit_durable, cp_openssl (when there is openssl) and hash_only (when asked) over the files
 *  under src. */
export function yardsticks(src: string, scratch: string, pool: LimitPool, hasher: string | undefined,
  hashOnly: boolean): Contestant[] {
  const out = `${scratch}/copy`;
  const cleared = <T>(ms: T): T => {
    fs.rmSync(out, { recursive: true, force: true });
    return ms;
  };
  const list: Contestant[] = [
    { name: 'cp', run: () => Promise.resolve(cleared(cpR(src, out))) },
    { name: 'limit', run: async () => cleared((await pool.copy(out)).ms) },
    { name: 'limit_durable', run: async () => cleared((await pool.copy(out, false, true)).ms) },
  ];
  if (hasher !== undefined) {
    list.push({ name: 'cp_openssl', run: () => Promise.resolve(cleared(cpAndOpensslSha256(src, out))) });
  }
  if (hashOnly) {
    list.push({ name: 'hash_only', run: () => pool.hashOnly() });
  }
  return list;
}

/** "cp -r, then openssl ..." or why there is no such figure. */
export function hasherJson(hasher: string | undefined, why: string): BenchRecord {
  if (hasher === undefined) {
    return { hasher: null, hasher_skipped: why };
  }
  return { hasher: `cp -r, then ${hasher} of every copied file`, cpu_sha_extensions: cpuHasShaExtensions() };
}

/** The fields comparing engine contestant `name` with the yardsticks of the same rounds. */
export function comparisonJson(times: RoundTimes, name: string, bytes: number, hasher: string | undefined): BenchRecord {
  const rec: BenchRecord = {};
  putStats(rec, 'ratio_vs_cp', times.ratios(name, 'cp'), 3);
  putStats(rec, 'ratio_vs_limit', times.ratios(name, 'limit'), 3);
  putStats(rec, 'ratio_vs_limit_durable', times.ratios(name, 'limit_durable'), 3);
  if (hasher !== undefined) {
    putStats(rec, 'ratio_vs_cp_openssl_sha256', times.ratios(name, 'cp_openssl'), 3);
  } else {
    rec.ratio_vs_cp_openssl_sha256 = null;
  }
  putStats(rec, 'engine_mb_s', times.mbPerS(name, bytes), 1);
  putStats(rec, 'cp_mb_s', times.mbPerS('cp', bytes), 1);
  putStats(rec, 'limit_mb_s', times.mbPerS('limit', bytes), 1);
  putStats(rec, 'limit_durable_mb_s', times.mbPerS('limit_durable', bytes), 1);
  putStats(rec, 'engine_ms', times.of(name), 1);
  putStats(rec, 'cp_ms', times.of('cp'), 1);
  putStats(rec, 'limit_ms', times.of('limit'), 1);
  putStats(rec, 'limit_durable_ms', times.of('limit_durable'), 1);
  if (hasher !== undefined) {
    putStats(rec, 'cp_openssl_sha256_ms', times.of('cp_openssl'), 1);
  }
  return rec;
}
