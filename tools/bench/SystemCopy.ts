/*
 * The system's own tools as the yardstick: `cp -r` of the same bytes, and `cp -r` followed by a SHA-256
 * of every copied file with `openssl dgst -sha256` (OpenSSL uses the CPU's SHA extensions where there are
 * any; coreutils `sha256sum` has none on many builds and would flatter the engine), and dropping the page
 * cache for the opt-in cold runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { elapsedMs, filesUnder } from './Measure';

const DROP_CACHES = '/proc/sys/vm/drop_caches';
/** Files per openssl invocation (keeps the argument list far below ARG_MAX). */
const HASH_BATCH = 1000;

function fail(what: string, r: ReturnType<typeof spawnSync>): Error {
  const detail = r.error !== undefined ? r.error.message : (r.stderr ?? '').toString().trim() || `exit ${r.status}`;
  return new Error(`${what} failed: ${detail}`);
}

/** `cp -r src dst`, timed (ms); throws when cp fails. */
export function cpR(src: string, dst: string): number {
  const t = process.hrtime.bigint();
  const r = spawnSync('cp', ['-r', src, dst], { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = elapsedMs(t);
  if (r.status !== 0) {
    throw fail('cp -r', r);
  }
  return ms;
}

/** The hasher of the cp-and-hash yardstick, e.g. "openssl dgst -sha256 (OpenSSL 3.0.19 ...)"; throws when
 *  there is no openssl. */
export function hasherName(): string {
  const r = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  if (r.status !== 0) {
    throw fail('openssl version', r);
  }
  // "OpenSSL 3.0.19 27 Jan 2026 (Library: OpenSSL 3.0.19 27 Jan 2026)": the first part says it.
  return `openssl dgst -sha256 (${r.stdout.trim().replace(/\s*\(Library:.*$/, '')})`;
}

/** Whether the CPU offers SHA-256 instructions (x86 sha_ni, arm64 sha2), from /proc/cpuinfo; null when unknown. */
export function cpuHasShaExtensions(): boolean | null {
  try {
    const info = fs.readFileSync('/proc/cpuinfo', 'utf8');
    return /^(flags|Features)\s*:.*\b(sha_ni|sha2)\b/m.test(info);
  } catch {
    return null;
  }
}

/** `cp -r src dst`, then `openssl dgst -sha256` of every copied file, timed together (ms). */
export function cpAndOpensslSha256(src: string, dst: string): number {
  const t = process.hrtime.bigint();
  cpR(src, dst);
  const list = filesUnder(dst).map((f) => path.join(dst, f));
  for (let i = 0; i < list.length; i += HASH_BATCH) {
    const r = spawnSync('openssl', ['dgst', '-sha256', ...list.slice(i, i + HASH_BATCH)],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) {
      throw fail('openssl dgst -sha256', r);
    }
  }
  return elapsedMs(t);
}

/** Why cold-cache runs do not happen; undefined when they do (BENCH_COLD=1 and a writable drop_caches). */
export function coldCacheUnavailable(): string | undefined {
  if (process.env.BENCH_COLD !== '1') {
    return 'off unless BENCH_COLD=1 (a cold run drops the page cache of the whole machine)';
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
export function dropCaches(): void {
  const r = spawnSync('sync', [], { stdio: 'ignore' });
  if (r.status !== 0) {
    throw fail('sync', r);
  }
  fs.writeFileSync(DROP_CACHES, '3');
}
