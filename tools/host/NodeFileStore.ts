/*
 * FileStore on Node's fs, for the host (unit tests, CLI, benchmarks). Fds are plain numbers (fs.open /
 * fs.read / fs.write, never FileHandle objects) so they can cross to the mock backup module and back.
 *
 * Copies and hashes (copyFromFd, copyToFd, hashFile, the encrypting copyFromFdSealed and the decrypting
 * copyToFdOpened) run on a small pool of worker threads (CopyWorkers.ts;
 * 2 by default on a 2-core machine, `copyThreads`), each job a whole file with synchronous fs calls: SHA-256
 * runs on every core and never on this thread, and a file costs one message there and back rather than a
 * thread-pool round trip for each open, read, write, sync and close. Errors map to the same
 * StoreErrorKinds and messages as on this thread; every fd the worker opens it closes.
 *
 * Copies run on this thread instead (the in-thread pump below) when the store simulates a full disk
 * (failAfterBytes: every write is charged here, before it is made), when copyThreads is 0, and when the
 * caller's fd is not a regular file (a pipe, a socket, a FIFO: a worker must never sit blocked on a pipe
 * whose other end waits for a copy queued behind it; the worker says so before it opens or reads
 * anything). The in-thread pump moves data in bounded chunks through two buffers from a spare pool sized
 * for the engine's concurrent copies; per chunk, three things run at once: the read of the next chunk and
 * the write of the current one (both on libuv's thread pool) and the hash of the current one (on this
 * thread; the hash and the write only read the buffer).
 *
 * Options:
 *   failAfterBytes  simulates a full disk of that capacity: bytes IN USE by files written through the
 *                   store (copyFromFd, writeTextAtomic) may not exceed it; further writes fail with
 *                   NO_SPACE. The write that crosses the limit is partial, as on a real disk. Space comes
 *                   back as on a disk: remove() gives back what was written under the path, truncating
 *                   (openWrite) or overwriting (copyFromFd, writeTextAtomic) a file replaces its count, and
 *                   rename() moves the counts along. freeBytes() never reports more than what is left.
 *                   copyToFd writes into the caller's fd (someone else's storage) and is not counted, nor
 *                   are files written around the store.
 *   chunkBytes      size of each chunk a copy reads, hashes and writes (default 256 KiB in a worker, the
 *                   fastest of 64 KiB to 1 MiB here; 1 MiB in the in-thread pump).
 *   copyThreads     worker threads of the copy pool (default: env BACKUP_MANAGER_COPY_THREADS, else the
 *                   cores there are, at least 2, at most 4; 0: every copy on this thread). Stores with the
 *                   same count share one pool.
 *
 * Reads by path open through openReadFd: lstat (a link, folder, FIFO, device or socket is refused without
 * being opened, so opening has no side effect), open with O_NOFOLLOW | O_NONBLOCK | O_NOCTTY (a link or a
 * FIFO swapped in meanwhile can neither be followed nor block), then fstat: a regular file, the same one
 * lstat saw. O_NONBLOCK stays set on the fd; on a regular file it changes nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash, Hash } from 'node:crypto';
import { CopyAnswer, CopyFailure, CopyJob, CopyPool, defaultCopyThreads } from './CopyWorkers';
import {
  CopyOptions, FileFacts, FileStat, FileStore, FileStoreError, OpenedCopyFacts, OpenFailure, OpenSpec, SameBase,
  SameFacts, SealedCopyFacts, SealSpec, StoreErrorKind
} from '../../entry/src/main/ets/backup/port/FileStore';

export interface NodeFileStoreOptions {
  failAfterBytes?: number;
  chunkBytes?: number;
  copyThreads?: number;
}

const DEFAULT_CHUNK = 1024 * 1024;
const DEFAULT_WORKER_CHUNK = 256 * 1024;
/** Spare buffers of the in-thread pump: two for each of the engine's 4 concurrent copies. */
const SPARE_BUFFERS = 8;
const ERRNO: { [code: string]: number } = os.constants.errno as { [code: string]: number };

interface NodeError extends Error {
  code?: string;
  errno?: number;
}

const KIND_BY_CODE: Map<string, StoreErrorKind> = new Map([
  ['ENOSPC', StoreErrorKind.NO_SPACE],
  ['EDQUOT', StoreErrorKind.NO_SPACE],
  ['ENOENT', StoreErrorKind.NOT_FOUND],
  ['EEXIST', StoreErrorKind.ALREADY_EXISTS],
  ['ENOTEMPTY', StoreErrorKind.ALREADY_EXISTS],
  ['EBADF', StoreErrorKind.BAD_FD],
  ['EACCES', StoreErrorKind.PERMISSION],
  ['EPERM', StoreErrorKind.PERMISSION],
  ['EROFS', StoreErrorKind.READ_ONLY],
  ['EIO', StoreErrorKind.IO],
]);

/** Maps a Node error (or anything thrown) to a FileStoreError; FileStoreErrors pass through unchanged. */
export function toStoreError(e: unknown, what: string, overrides?: Map<string, StoreErrorKind>): FileStoreError {
  if (e instanceof FileStoreError) {
    return e;
  }
  const err = e as NodeError;
  const code = err !== null && typeof err === 'object' && typeof err.code === 'string' ? err.code : '';
  let rawCode = code !== '' && ERRNO[code] !== undefined ? ERRNO[code] : 0;
  if (rawCode === 0 && err !== null && typeof err === 'object' && typeof err.errno === 'number') {
    rawCode = Math.abs(err.errno);
  }
  const kind = overrides?.get(code) ?? KIND_BY_CODE.get(code) ?? StoreErrorKind.OTHER;
  const detail = err !== null && typeof err === 'object' && typeof err.message === 'string' ? err.message : String(e);
  return new FileStoreError(kind, `${what}: ${detail}`, rawCode);
}

function badFd(fd: number, what: string): FileStoreError {
  return new FileStoreError(StoreErrorKind.BAD_FD, `${what}: not an fd: ${fd}`, ERRNO.EBADF);
}

function isFd(fd: number): boolean {
  return Number.isInteger(fd) && fd >= 0 && fd <= 0x7fffffff;
}

// Promise wrappers over the number-fd callback API (fs.promises only offers FileHandle objects).
function openFd(p: string, flags: string | number, mode?: number): Promise<number> {
  return new Promise((resolve, reject) => {
    fs.open(p, flags, mode ?? 0o666, (err, fd) => (err ? reject(err) : resolve(fd)));
  });
}

function closeFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.close(fd, (err) => (err ? reject(err) : resolve()));
  });
}

function readFd(fd: number, buf: Buffer, length: number, position: number | null): Promise<number> {
  return new Promise((resolve, reject) => {
    fs.read(fd, buf, 0, length, position, (err, n) => (err ? reject(err) : resolve(n)));
  });
}

function writeFd(fd: number, buf: Buffer, offset: number, length: number, position: number | null): Promise<number> {
  return new Promise((resolve, reject) => {
    fs.write(fd, buf, offset, length, position, (err, n) => (err ? reject(err) : resolve(n)));
  });
}

function fsyncFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.fsync(fd, (err) => (err ? reject(err) : resolve()));
  });
}

function fstatFd(fd: number): Promise<fs.Stats> {
  return new Promise((resolve, reject) => {
    fs.fstat(fd, (err, st) => (err ? reject(err) : resolve(st)));
  });
}

/** Flags of every open for reading (O_NOCTTY and O_NONBLOCK are 0 where the platform lacks them). */
const READ_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | (fs.constants.O_NONBLOCK ?? 0) |
  (fs.constants.O_NOCTTY ?? 0);

/** What a non-regular file is, for NOT_A_FILE messages. */
function typeOf(st: fs.Stats): string {
  if (st.isSymbolicLink()) {
    return 'a symbolic link';
  }
  if (st.isDirectory()) {
    return 'a folder';
  }
  if (st.isFIFO()) {
    return 'a FIFO (named pipe)';
  }
  if (st.isCharacterDevice()) {
    return 'a character device';
  }
  if (st.isBlockDevice()) {
    return 'a block device';
  }
  if (st.isSocket()) {
    return 'a socket';
  }
  return 'not a regular file';
}

function notAFile(what: string, p: string, type: string, rawCode: number = 0): FileStoreError {
  return new FileStoreError(StoreErrorKind.NOT_A_FILE, `${what}: ${p} is ${type}, not a regular file`, rawCode);
}

/** An fsync error that only says the fd cannot be synced (a pipe, a socket, some file systems). */
function cannotSync(e: unknown): boolean {
  const code = (e as NodeError).code;
  return code === 'EINVAL' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'EISDIR';
}

/** Where a stream of chunks comes from and goes to. position null = the fd's own current offset. */
interface Pump {
  src: number;
  srcPositioned: boolean;
  dst: number;             // -1: hash only
  dstPositioned: boolean;
  dstCounted: string;      // path whose usage the written bytes count for (failAfterBytes); '' = not counted
  maxBytes: number;        // Infinity: no limit
  onBytes?: (bytesSoFar: number) => void;   // after each chunk fully written (CopyOptions.onBytes)
  start?: { hash: Hash; total: number };     // what is already in dst (hashed), else nothing
}

/** The pools of copy workers, one per thread count, shared by every store of this process. */
const POOLS: Map<number, CopyPool> = new Map<number, CopyPool>();

function poolOf(threads: number): CopyPool {
  let pool = POOLS.get(threads);
  if (pool === undefined) {
    pool = new CopyPool(threads, READ_FLAGS, DEFAULT_WORKER_CHUNK);
    POOLS.set(threads, pool);
  }
  return pool;
}

/** A worker's failure as the FileStoreError the in-thread code throws for it. */
function workerError(f: CopyFailure, what: string, openWhat: string, maxBytes: number): FileStoreError {
  if (f.kind === 'NOT_A_FILE') {
    return new FileStoreError(StoreErrorKind.NOT_A_FILE, f.message, f.errno);
  }
  if (f.kind === 'LIMIT') {
    return new FileStoreError(StoreErrorKind.LIMIT, `${what}: more than ${maxBytes} bytes`);
  }
  const err: NodeError = Object.assign(new Error(f.message), { code: f.code, errno: f.errno });
  if (f.stage === 'lstat') {
    // A file in the way of a folder on the path: nothing is at p.
    return toStoreError(err, openWhat, new Map([['ENOTDIR', StoreErrorKind.NOT_FOUND]]));
  }
  if (f.stage === 'open') {
    return toStoreError(err, openWhat);
  }
  return toStoreError(err, f.stage === 'sync' ? `${what}: sync` : what);
}

export class NodeFileStore implements FileStore {
  private readonly failAfterBytes: number;
  private readonly chunkBytes: number;
  /** undefined: every copy on this thread. */
  private readonly pool: CopyPool | undefined;
  private readonly workerChunk: number;
  private written: number = 0;
  private copySynced: number = 0;
  /** Bytes in use per file written through the store (absolute path), and their sum. */
  private readonly usage: Map<string, number> = new Map();
  private inUse: number = 0;
  private readonly spare: Buffer[] = [];
  private tempSerial: number = 0;

  constructor(options?: NodeFileStoreOptions) {
    const limit = options?.failAfterBytes;
    this.failAfterBytes = limit !== undefined && limit >= 0 ? limit : Infinity;
    const chunk = options?.chunkBytes;
    this.chunkBytes = chunk !== undefined && chunk >= 1 ? Math.floor(chunk) : DEFAULT_CHUNK;
    this.workerChunk = chunk !== undefined && chunk >= 1 ? Math.floor(chunk) : DEFAULT_WORKER_CHUNK;
    const threads = options?.copyThreads ?? defaultCopyThreads();
    // A simulated full disk charges every write before it is made: that bookkeeping lives on this thread.
    this.pool = threads >= 1 && this.failAfterBytes === Infinity ? poolOf(Math.floor(threads)) : undefined;
  }

  /** Worker threads copying for this store (0: it copies on this thread). */
  copyThreads(): number {
    return this.pool === undefined ? 0 : this.pool.threads();
  }

  /** Starts this store's copy workers now and waits until they run (see CopyPool.warmUp). */
  async warmUp(): Promise<void> {
    await this.pool?.warmUp();
  }

  /** A job for the pool; undefined when this store copies on its own thread. */
  private async inWorker(job: CopyJob): Promise<CopyAnswer | undefined> {
    if (this.pool === undefined) {
      return undefined;
    }
    const answer = await this.pool.run(job);
    if (answer.done !== undefined) {
      this.written += job.op === 'from' || job.op === 'same' || job.op === 'seal' ? answer.done.written : 0;
      this.copySynced += answer.done.synced;
    }
    return answer;
  }

  /** Bytes ever written into files through this store (never decreases). */
  bytesWritten(): number {
    return this.written;
  }

  /** fsyncs of copies (copyFromFd and copyToFd with durable) that succeeded, on this thread or in a worker. */
  copySyncs(): number {
    return this.copySynced;
  }

  /** Bytes in use by files written through this store and still there (what failAfterBytes limits; only
   *  kept track of when there is a limit, else 0). */
  bytesInUse(): number {
    return this.inUse;
  }

  async openRead(p: string): Promise<number> {
    return this.openReadFd(p, 'openRead');
  }

  async openWrite(p: string): Promise<number> {
    try {
      const fd = await openFd(p, 'w');
      this.release(p);   // truncated
      return fd;
    } catch (e) {
      throw toStoreError(e, `openWrite ${p}`);
    }
  }

  async close(fd: number): Promise<void> {
    if (!isFd(fd)) {
      throw badFd(fd, 'close');
    }
    try {
      await closeFd(fd);
    } catch (e) {
      throw toStoreError(e, `close ${fd}`);
    }
  }

  closeQuietly(fd: number): void {
    if (!isFd(fd)) {
      return;
    }
    try {
      fs.closeSync(fd);
    } catch {
      // By contract: a quiet close is for cleanup paths, where the fd may already be gone.
    }
  }

  async copyFromFd(fd: number, p: string, options?: CopyOptions): Promise<FileFacts> {
    if (!isFd(fd)) {
      throw badFd(fd, `copyFromFd ${p}`);
    }
    const max = options?.maxBytes;
    const limit = max !== undefined && max >= 0 ? max : Infinity;
    const what = `copyFromFd ${fd} -> ${p}`;
    const answer = await this.inWorker({
      op: 'from', fd, path: p, maxBytes: limit === Infinity ? -1 : limit, durable: options?.durable === true,
      chunk: this.workerChunk, onBytes: options?.onBytes, skipSyncIf: options?.skipSyncIf,
      onCopied: options?.onCopied,
    });
    if (answer !== undefined && !answer.fallback) {
      if (answer.done !== undefined) {
        return { size: answer.done.size, sha256: answer.done.sha256 };
      }
      // The worker removed what it wrote; a copy that finished before onBytes threw left its file.
      await fs.promises.rm(p, { force: true }).catch(() => undefined);
      if (answer.thrown !== undefined) {
        throw toStoreError(answer.thrown, what);
      }
      throw workerError(answer.failure as CopyFailure, what, `copyFromFd ${p}`, limit);
    }
    return this.copyFromFdHere(fd, p, limit, options);
  }

  /**
   * FileStore.copyFromFdSealed in a copy worker (read, encrypt, write there, a file of more than one segment
   * hashed meanwhile on that worker's hashing thread; the key goes to that worker alone, its buffer
   * transferred, and is zeroed there when the job ended). undefined, having done nothing,
   * when this store copies on its own thread (copyThreads 0, a simulated full disk) or fd is not a regular
   * file: the core then seals on its own thread.
   */
  async copyFromFdSealed(fd: number, p: string, seal: SealSpec, options: CopyOptions): Promise<SealedCopyFacts | undefined> {
    if (!isFd(fd)) {
      throw badFd(fd, `copyFromFdSealed ${p}`);
    }
    if (this.pool === undefined) {
      return undefined;
    }
    if (seal.key.length !== 32 || !Number.isInteger(seal.segmentBytes) || seal.segmentBytes < 1) {
      throw new FileStoreError(StoreErrorKind.OTHER, `copyFromFdSealed ${p}: a 32-byte key and a positive segment size are needed`);
    }
    const max = options.maxBytes;
    const limit = max !== undefined && max >= 0 ? max : Infinity;
    const what = `copyFromFdSealed ${fd} -> ${p}`;
    const answer = await this.inWorker({
      op: 'seal', fd, path: p, maxBytes: limit === Infinity ? -1 : limit, durable: options.durable === true,
      chunk: this.workerChunk, onBytes: options.onBytes, onCopied: options.onCopied,
      seal: {
        key: new Uint8Array(seal.key),   // its own buffer, transferred to the worker
        header: new Uint8Array(seal.header),
        segmentBytes: seal.segmentBytes,
        nonces: seal.nonces !== undefined ? new Uint8Array(seal.nonces) : null,
      },
    });
    if (answer === undefined || answer.fallback) {
      return undefined;
    }
    if (answer.done !== undefined) {
      return { size: answer.done.size, sha256: answer.done.sha256, storedSize: answer.done.written };
    }
    // The worker removed what it wrote; a copy that finished before onBytes threw left its file.
    await fs.promises.rm(p, { force: true }).catch(() => undefined);
    if (answer.thrown !== undefined) {
      throw toStoreError(answer.thrown, what);
    }
    throw workerError(answer.failure as CopyFailure, what, `copyFromFdSealed ${p}`, limit);
  }

  /**
   * FileStore.copyToFdOpened in a copy worker (the key as copyFromFdSealed's). undefined, having done nothing,
   * when this store copies on its own thread or fd is not a regular file: the core then opens it itself.
   */
  async copyToFdOpened(p: string, fd: number, open: OpenSpec, options: CopyOptions): Promise<OpenedCopyFacts | undefined> {
    if (!isFd(fd)) {
      throw badFd(fd, `copyToFdOpened ${p}`);
    }
    if (this.pool === undefined) {
      return undefined;
    }
    if (open.key.length !== 32) {
      throw new FileStoreError(StoreErrorKind.OTHER, `copyToFdOpened ${p}: a 32-byte key is needed`);
    }
    const what = `copyToFdOpened ${p} -> ${fd}`;
    const answer = await this.inWorker({
      op: 'open', fd, path: p, maxBytes: -1, durable: options.durable === true, chunk: this.workerChunk,
      onBytes: options.onBytes,
      open: { key: new Uint8Array(open.key), sha256: open.sha256, size: open.size },   // its own buffer, transferred
    });
    if (answer === undefined || answer.fallback) {
      return undefined;
    }
    if (answer.done !== undefined) {
      const d = answer.done;
      return {
        size: d.size, sha256: d.sha256, failure: d.openFailure as OpenFailure, segment: d.segment, last: d.last, detail: d.detail,
      };
    }
    if (answer.thrown !== undefined) {
      throw toStoreError(answer.thrown, what);
    }
    throw workerError(answer.failure as CopyFailure, what, `copyToFd ${p}`, Infinity);
  }

  /** CopyOptions.skipSyncIf asked (a rejection counts as false). */
  private static async maySkipSync(options: CopyOptions, facts: FileFacts): Promise<boolean> {
    if (options.skipSyncIf === undefined) {
      return false;
    }
    try {
      return (await options.skipSyncIf(facts)) === true;
    } catch {
      return false;
    }
  }

  /** copyFromFd on this thread (the in-thread pump). */
  private async copyFromFdHere(fd: number, p: string, limit: number, options?: CopyOptions): Promise<FileFacts> {
    let out: number;
    try {
      out = await openFd(p, 'w');
    } catch (e) {
      throw toStoreError(e, `copyFromFd ${p}`);
    }
    this.release(p);   // truncated: what was there is no longer in use
    let open = true;
    try {
      const facts = await this.pump({
        src: fd, srcPositioned: false, dst: out, dstPositioned: true, dstCounted: this.key(p),
        maxBytes: limit, onBytes: options?.onBytes,
      }, `copyFromFd ${fd} -> ${p}`);
      if (options?.durable === true && !await NodeFileStore.maySkipSync(options, facts)) {
        await fsyncFd(out);
        this.copySynced++;
      }
      open = false;
      await closeFd(out);
      return facts;
    } catch (e) {
      if (open) {
        this.closeQuietly(out);
      }
      // A partial copy is of no use to anyone and may hold the space that ran out.
      await fs.promises.rm(p, { force: true }).then(() => this.release(p), () => undefined);
      throw toStoreError(e, `copyFromFd ${fd} -> ${p}`);
    }
  }

  async copyFromFdUnlessSame(fd: number, p: string, base: SameBase, options?: CopyOptions): Promise<SameFacts> {
    if (!isFd(fd)) {
      throw badFd(fd, `copyFromFdUnlessSame ${p}`);
    }
    const max = options?.maxBytes;
    const limit = max !== undefined && max >= 0 ? max : Infinity;
    const what = `copyFromFdUnlessSame ${fd} -> ${p}`;
    const answer = await this.inWorker({
      op: 'same', fd, path: p, basePath: base.path, baseSize: base.size, maxBytes: limit === Infinity ? -1 : limit,
      durable: options?.durable === true, chunk: this.workerChunk, onBytes: options?.onBytes,
      skipSyncIf: options?.skipSyncIf, onCopied: options?.onCopied,
    });
    if (answer !== undefined && !answer.fallback) {
      if (answer.done !== undefined) {
        const d = answer.done;
        return { same: d.same, size: d.size, sha256: d.sha256, samePrefix: d.samePrefix };
      }
      // The worker removed what it wrote; a copy that finished before onBytes threw left its file.
      await fs.promises.rm(p, { force: true }).catch(() => undefined);
      if (answer.thrown !== undefined) {
        throw toStoreError(answer.thrown, what);
      }
      throw workerError(answer.failure as CopyFailure, what, `copyFromFdUnlessSame ${p}`, limit);
    }
    return this.copyUnlessSameHere(fd, p, base, limit, options);
  }

  /** copyFromFdUnlessSame on this thread: compared chunk by chunk, then (when they differ) as copyFromFdHere. */
  private async copyUnlessSameHere(fd: number, p: string, base: SameBase, limit: number,
    options?: CopyOptions): Promise<SameFacts> {
    const what = `copyFromFdUnlessSame ${fd} -> ${p}`;
    let baseFd = -1;
    try {
      baseFd = await this.openReadFd(base.path, 'copyFromFdUnlessSame');
      if ((await fstatFd(baseFd)).size !== base.size) {
        this.closeQuietly(baseFd);
        baseFd = -1;
      }
    } catch {
      // Nothing to compare with: the fd is copied.
      if (baseFd >= 0) {
        this.closeQuietly(baseFd);
      }
      baseFd = -1;
    }
    const buf = this.takeBuffer();
    const other = this.takeBuffer();
    let out = -1;
    try {
      let equal = 0;
      let pending = 0;
      let prefix = 0;
      if (baseFd >= 0) {
        for (;;) {
          const room = limit === Infinity ? buf.length : Math.min(buf.length, limit + 1 - equal);
          const n = await readFd(fd, buf, room, null);
          if (n <= 0) {
            if (equal === base.size) {
              return { same: true, size: equal, sha256: '', samePrefix: equal };
            }
            prefix = equal;
            break;
          }
          if (equal + n > limit) {
            throw new FileStoreError(StoreErrorKind.LIMIT, `${what}: more than ${limit} bytes`);
          }
          const want = Math.min(n, base.size - equal);
          const m = want > 0 ? await this.readFully(baseFd, other, want, equal) : 0;
          if (m !== n || buf.compare(other, 0, n, 0, n) !== 0) {
            let i = 0;
            while (i < m && buf[i] === other[i]) {
              i++;
            }
            prefix = equal + i;
            pending = n;
            break;
          }
          equal += n;
          options?.onBytes?.(equal);
        }
      }
      try {
        out = await openFd(p, 'w');
      } catch (e) {
        throw toStoreError(e, `copyFromFdUnlessSame ${p}`);
      }
      this.release(p);
      const key = this.key(p);
      const hash = createHash('sha256');
      let written = 0;
      while (written < equal) {
        const m = await this.readFully(baseFd, other, Math.min(other.length, equal - written), written);
        if (m <= 0) {
          throw new FileStoreError(StoreErrorKind.IO, `${what}: ${base.path} shrank while it was read`);
        }
        hash.update(m === other.length ? other : other.subarray(0, m));
        await this.writeAll(out, other, m, written, true, key, what);
        written += m;
      }
      if (pending > 0) {
        hash.update(pending === buf.length ? buf : buf.subarray(0, pending));
        await this.writeAll(out, buf, pending, written, true, key, what);
        written += pending;
        options?.onBytes?.(written);
      }
      const facts = await this.pump({
        src: fd, srcPositioned: false, dst: out, dstPositioned: true, dstCounted: key, maxBytes: limit,
        onBytes: options?.onBytes, start: { hash, total: written },
      }, what);
      if (options?.durable === true && !await NodeFileStore.maySkipSync(options, facts)) {
        await fsyncFd(out);
        this.copySynced++;
      }
      const toClose = out;
      out = -1;
      await closeFd(toClose);
      return { same: false, size: facts.size, sha256: facts.sha256, samePrefix: prefix };
    } catch (e) {
      if (out >= 0) {
        this.closeQuietly(out);
        // A partial copy is of no use to anyone and may hold the space that ran out.
        await fs.promises.rm(p, { force: true }).then(() => this.release(p), () => undefined);
      }
      throw toStoreError(e, what);
    } finally {
      this.giveBack(buf);
      this.giveBack(other);
      if (baseFd >= 0) {
        this.closeQuietly(baseFd);
      }
    }
  }

  /** Reads up to n bytes of fd at pos into buf (retrying short reads); fewer only at the end of the file. */
  private async readFully(fd: number, buf: Buffer, n: number, pos: number): Promise<number> {
    let got = 0;
    while (got < n) {
      const r = await readFd(fd, buf.subarray(got), n - got, pos + got);
      if (r <= 0) {
        break;
      }
      got += r;
    }
    return got;
  }

  async copyToFd(p: string, fd: number, options?: CopyOptions): Promise<FileFacts> {
    if (!isFd(fd)) {
      throw badFd(fd, `copyToFd ${p}`);
    }
    const what = `copyToFd ${p} -> ${fd}`;
    const max = options?.maxBytes;
    const limit = max !== undefined && max >= 0 ? max : Infinity;
    const answer = await this.inWorker({
      op: 'to', fd, path: p, maxBytes: limit === Infinity ? -1 : limit, durable: options?.durable === true,
      chunk: this.workerChunk, onBytes: options?.onBytes,
    });
    if (answer !== undefined && !answer.fallback) {
      if (answer.done !== undefined) {
        return { size: answer.done.size, sha256: answer.done.sha256 };
      }
      if (answer.thrown !== undefined) {
        throw toStoreError(answer.thrown, what);
      }
      throw workerError(answer.failure as CopyFailure, what, `copyToFd ${p}`, limit);
    }
    const src = await this.openReadFd(p, 'copyToFd');
    try {
      const facts = await this.pump({
        src, srcPositioned: true, dst: fd, dstPositioned: false, dstCounted: '',
        maxBytes: limit, onBytes: options?.onBytes,
      }, what);
      if (options?.durable === true) {
        try {
          await fsyncFd(fd);
          this.copySynced++;
        } catch (e) {
          if (!cannotSync(e)) {
            throw toStoreError(e, `${what}: sync`);
          }
        }
      }
      return facts;
    } finally {
      this.closeQuietly(src);
    }
  }

  async hashFile(p: string): Promise<FileFacts> {
    const answer = await this.inWorker({ op: 'hash', fd: -1, path: p, maxBytes: -1, durable: false, chunk: this.workerChunk });
    if (answer !== undefined && !answer.fallback) {
      if (answer.done !== undefined) {
        return { size: answer.done.size, sha256: answer.done.sha256 };
      }
      throw workerError(answer.failure as CopyFailure, `hashFile ${p}`, `hashFile ${p}`, Infinity);
    }
    const src = await this.openReadFd(p, 'hashFile');
    try {
      return await this.pump({
        src, srcPositioned: true, dst: -1, dstPositioned: true, dstCounted: '', maxBytes: Infinity,
      }, `hashFile ${p}`);
    } finally {
      this.closeQuietly(src);
    }
  }

  async readText(p: string, maxBytes?: number): Promise<string> {
    const what = `readText ${p}`;
    const limit = maxBytes !== undefined && maxBytes >= 0 ? Math.floor(maxBytes) : Infinity;
    const opened = await this.openReadChecked(p, 'readText');
    const fd = opened.fd;
    try {
      // The size the open's own fstat saw (the same file: not asked for again).
      const st = opened.stats;
      if (st.size > limit) {
        throw new FileStoreError(StoreErrorKind.LIMIT, `${what}: ${st.size} bytes, more than ${limit}`);
      }
      // Sized from fstat (plus one byte, to see a file that grew), never past limit + 1 in all.
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const room = Math.min(limit + 1 - total, Math.max(st.size + 1 - total, 64 * 1024));
        const buf = Buffer.allocUnsafe(room);
        const n = await readFd(fd, buf, room, total);
        if (n <= 0) {
          break;
        }
        chunks.push(n === room ? buf : buf.subarray(0, n));
        total += n;
        if (total > limit) {
          throw new FileStoreError(StoreErrorKind.LIMIT, `${what}: grew past ${limit} bytes while it was read`);
        }
        if (n < room) {
          // A regular file read short: its end (no read more to hear it again).
          break;
        }
      }
      return Buffer.concat(chunks, total).toString('utf8');
    } catch (e) {
      throw toStoreError(e, what);
    } finally {
      this.closeQuietly(fd);
    }
  }

  async writeTextAtomic(p: string, text: string): Promise<void> {
    const dir = path.dirname(p);
    this.tempSerial++;
    const temp = path.join(dir, `.${path.basename(p)}.${process.pid}.${this.tempSerial}.tmp`);
    const data = Buffer.from(text, 'utf8');
    let fd = -1;
    try {
      fd = await openFd(temp, 'wx', 0o644);
      await this.writeAll(fd, data, data.length, 0, true, this.key(temp), `writeTextAtomic ${p}`);
      await fsyncFd(fd);
      const toClose = fd;
      fd = -1;
      await closeFd(toClose);
      await fs.promises.rename(temp, p);
      this.moveUsage(temp, p);
    } catch (e) {
      if (fd >= 0) {
        this.closeQuietly(fd);
      }
      await fs.promises.rm(temp, { force: true }).catch(() => undefined);
      this.release(temp);
      throw toStoreError(e, `writeTextAtomic ${p}`);
    }
    await this.syncFolder(dir, `writeTextAtomic ${p}`);
  }

  async syncDir(p: string): Promise<void> {
    await this.syncFolder(p, 'syncDir');
  }

  /**
   * Walks up to the nearest folder that exists, then creates the missing ones downwards, one mkdir each.
   * (Node's own recursive mkdir loops forever where a folder exists but refuses new entries with ENOENT,
   * as /proc/self does.)
   */
  async mkdirs(p: string): Promise<void> {
    const what = `mkdirs ${p}`;
    const missing: string[] = [];
    let cur = path.resolve(p);
    for (;;) {
      let st: fs.Stats | undefined;
      try {
        st = await fs.promises.stat(cur);
      } catch (e) {
        const code = (e as NodeError).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR') {
          throw toStoreError(e, what);
        }
      }
      if (st !== undefined) {
        if (!st.isDirectory()) {
          throw new FileStoreError(StoreErrorKind.ALREADY_EXISTS, `${what}: ${cur} is not a folder`, ERRNO.EEXIST);
        }
        break;
      }
      missing.push(cur);
      const parent = path.dirname(cur);
      if (parent === cur) {
        throw new FileStoreError(StoreErrorKind.NOT_FOUND, `${what}: ${cur} does not exist`, ERRNO.ENOENT);
      }
      cur = parent;
    }
    for (let i = missing.length - 1; i >= 0; i--) {
      const dir = missing[i];
      try {
        await fs.promises.mkdir(dir);
      } catch (e) {
        const code = (e as NodeError).code;
        if (code === 'EEXIST') {
          const st = await fs.promises.stat(dir).catch(() => undefined);
          if (st !== undefined && st.isDirectory()) {
            continue;   // made by someone else meanwhile
          }
          throw new FileStoreError(StoreErrorKind.ALREADY_EXISTS, `${what}: ${dir} is not a folder`, ERRNO.EEXIST);
        }
        if (code === 'ENOENT') {
          // The parent exists (it was just found or made), yet the file system says it does not.
          throw new FileStoreError(StoreErrorKind.OTHER,
            `${what}: cannot create ${dir}: ${path.dirname(dir)} does not take new folders`, ERRNO.ENOENT);
        }
        throw toStoreError(e, `${what}: create ${dir}`);
      }
    }
  }

  async rename(from: string, to: string): Promise<void> {
    try {
      await fs.promises.rename(from, to);
      this.moveUsage(from, to);
    } catch (e) {
      // Something of the other type is in the way (file onto folder or folder onto file).
      throw toStoreError(e, `rename ${from} -> ${to}`, new Map([
        ['EISDIR', StoreErrorKind.ALREADY_EXISTS], ['ENOTDIR', StoreErrorKind.ALREADY_EXISTS],
      ]));
    }
  }

  async list(dir: string): Promise<string[]> {
    try {
      const names = await fs.promises.readdir(dir);
      return names.sort();
    } catch (e) {
      throw toStoreError(e, `list ${dir}`);
    }
  }

  async stat(p: string): Promise<FileStat | undefined> {
    try {
      const s = await fs.promises.lstat(p);
      return { size: s.size, isDirectory: s.isDirectory(), isSymbolicLink: s.isSymbolicLink(), mtimeMs: s.mtimeMs };
    } catch (e) {
      const code = (e as NodeError).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        return undefined;
      }
      throw toStoreError(e, `stat ${p}`);
    }
  }

  async remove(p: string): Promise<void> {
    // Most removals are of one file (temporary copies, scratch texts) or of a folder already emptied (a
    // run's scratch folder): one unlink, or an unlink and an rmdir, not the recursive walk of fs.rm (an lstat,
    // a listing, then the removals, through a JS loop). Anything else (a folder with entries, an error)
    // goes the recursive way, which says what went wrong.
    let code: string | undefined;
    try {
      await fs.promises.unlink(p);
      this.release(p);
      return;
    } catch (e) {
      code = (e as NodeError).code;
      if (code === 'ENOENT') {
        this.release(p);
        return;
      }
    }
    if (code === 'EISDIR' || code === 'EPERM') {
      try {
        await fs.promises.rmdir(p);
        this.release(p);
        return;
      } catch (e) {
        // Not empty (or not a folder after all): removed recursively below.
      }
    }
    try {
      await fs.promises.rm(p, { recursive: true, force: true });
      this.release(p);
    } catch (e) {
      throw toStoreError(e, `remove ${p}`);
    }
  }

  async freeBytes(p: string): Promise<number> {
    let free: number;
    try {
      const s = await fs.promises.statfs(p);
      free = s.bavail * s.bsize;
    } catch (e) {
      throw toStoreError(e, `freeBytes ${p}`);
    }
    return Math.min(free, Math.max(0, this.failAfterBytes - this.inUse));
  }

  // ---- internals ----

  /** The usage key of a path: absolute, normalised. */
  private key(p: string): string {
    return path.resolve(p);
  }

  /** Keys of the usage map at p itself and under p (a folder). */
  private keysAt(p: string): string[] {
    const k = this.key(p);
    const under = k.endsWith('/') ? k : `${k}/`;
    const out: string[] = [];
    for (const each of this.usage.keys()) {
      if (each === k || each.startsWith(under)) {
        out.push(each);
      }
    }
    return out;
  }

  /** Gives back the space of the file at p, or of everything written under the folder p. */
  private release(p: string): void {
    if (this.usage.size === 0) {
      return;
    }
    for (const k of this.keysAt(p)) {
      this.inUse -= this.usage.get(k) ?? 0;
      this.usage.delete(k);
    }
  }

  /** After a rename: the counts of from (and under it) now belong to to; what to held before is gone. */
  private moveUsage(from: string, to: string): void {
    if (this.usage.size === 0) {
      return;
    }
    const moving = this.keysAt(from);
    const fromKey = this.key(from);
    const toKey = this.key(to);
    const moved: [string, number][] = moving.map((k) => [toKey + k.substring(fromKey.length), this.usage.get(k) ?? 0]);
    for (const k of moving) {
      this.usage.delete(k);
    }
    this.release(to);
    for (const m of moved) {
      this.usage.set(m[0], m[1]);
    }
  }

  /** Counts n more bytes in use by the file with usage key k. */
  private charge(k: string, n: number): void {
    if (this.failAfterBytes === Infinity) {
      return;   // no limit: nothing to keep track of
    }
    this.inUse += n;
    this.usage.set(k, (this.usage.get(k) ?? 0) + n);
  }

  /** Gives back up to n bytes charged to k (less when the file was released in the meantime). */
  private uncharge(k: string, n: number): void {
    const had = this.usage.get(k);
    if (had === undefined) {
      return;
    }
    const back = Math.min(had, n);
    this.inUse -= back;
    this.usage.set(k, had - back);
  }

  private takeBuffer(): Buffer {
    return this.spare.pop() ?? Buffer.allocUnsafe(this.chunkBytes);
  }

  private giveBack(buf: Buffer): void {
    if (this.spare.length < SPARE_BUFFERS) {
      this.spare.push(buf);
    }
  }

  /**
   * Streams src to dst (or only hashes it), double-buffered: while chunk k is written and hashed (the write
   * on the thread pool, the hash here, both only reading the buffer), chunk k+1 is being read into the
   * other buffer. Reads at most maxBytes + 1 bytes, so an over-long source is detected without consuming
   * more than one chunk past the limit.
   */
  private async pump(job: Pump, what: string): Promise<FileFacts> {
    const hash: Hash = job.start !== undefined ? job.start.hash : createHash('sha256');
    let cur = this.takeBuffer();
    let next = this.takeBuffer();
    let srcPos = 0;
    let dstPos = job.start !== undefined ? job.start.total : 0;
    let total = dstPos;
    const readChunk = (buf: Buffer): Promise<number> => {
      const room = job.maxBytes === Infinity ? buf.length : Math.min(buf.length, job.maxBytes + 1 - total);
      const at = job.srcPositioned ? srcPos : null;
      const pending = readFd(job.src, buf, room, at);
      return pending.then((n) => {
        srcPos += n;
        return n;
      });
    };
    let pendingRead: Promise<number> | undefined;
    let pendingWrite: Promise<void> | undefined;
    try {
      let n = await readChunk(cur);
      while (n > 0) {
        total += n;
        if (total > job.maxBytes) {
          throw new FileStoreError(StoreErrorKind.LIMIT, `${what}: more than ${job.maxBytes} bytes`);
        }
        pendingRead = readChunk(next);
        // Keep a rejection from counting as unhandled while something else is awaited.
        pendingRead.catch(() => undefined);
        if (job.dst >= 0) {
          pendingWrite = this.writeAll(job.dst, cur, n, dstPos, job.dstPositioned, job.dstCounted, what);
          pendingWrite.catch(() => undefined);
          dstPos += n;
        }
        hash.update(n === cur.length ? cur : cur.subarray(0, n));
        if (pendingWrite !== undefined) {
          await pendingWrite;
          pendingWrite = undefined;
        }
        if (job.onBytes !== undefined && job.dst >= 0) {
          job.onBytes(dstPos);   // the chunk is written; if this throws, the catch below waits for the read
        }
        n = await pendingRead;
        pendingRead = undefined;
        const t = cur;
        cur = next;
        next = t;
      }
    } catch (e) {
      // Do not hand the buffers back while a read may still be filling one or a write reading one.
      if (pendingWrite !== undefined) {
        await pendingWrite.catch(() => undefined);
      }
      if (pendingRead !== undefined) {
        await pendingRead.catch(() => undefined);
      }
      throw toStoreError(e, what);
    } finally {
      this.giveBack(cur);
      this.giveBack(next);
    }
    return { size: total, sha256: hash.digest('hex') };
  }

  /**
   * Writes buf[0, length) fully (retrying short writes); position null when not positioned. countKey: the
   * file whose usage the bytes count for ('' = not counted). Space is reserved before writing, so copies
   * running at the same time cannot together go past failAfterBytes; what did not go in is given back.
   */
  private async writeAll(fd: number, buf: Buffer, length: number, position: number, positioned: boolean,
    countKey: string, what: string): Promise<void> {
    const counted = countKey !== '';
    const allowed = counted ? Math.min(length, Math.max(0, this.failAfterBytes - this.inUse)) : length;
    if (counted) {
      this.charge(countKey, allowed);
    }
    let done = 0;
    try {
      while (done < allowed) {
        const n = await writeFd(fd, buf, done, allowed - done, positioned ? position + done : null);
        done += n;
        if (counted) {
          this.written += n;
        }
      }
    } finally {
      if (done < allowed) {
        this.uncharge(countKey, allowed - done);
      }
    }
    if (allowed < length) {
      throw new FileStoreError(StoreErrorKind.NO_SPACE,
        `${what}: no space left on the device (simulated: failAfterBytes ${this.failAfterBytes} reached)`,
        ERRNO.ENOSPC);
    }
  }

  /** Makes the entries of dir durable. Folders that cannot be fsynced (some file systems) are left as they are. */
  private async syncFolder(dir: string, what: string): Promise<void> {
    let fd: number;
    try {
      fd = await openFd(dir, fs.constants.O_RDONLY | (fs.constants.O_DIRECTORY ?? 0));
    } catch (e) {
      throw toStoreError(e, `${what}: open folder ${dir}`);
    }
    try {
      await fsyncFd(fd);
    } catch (e) {
      if (!cannotSync(e)) {
        throw toStoreError(e, `${what}: sync folder ${dir}`);
      }
    } finally {
      this.closeQuietly(fd);
    }
  }

  /** The one open for reading by path (see the file comment). `op` names the calling method in messages. */
  private async openReadFd(p: string, op: string): Promise<number> {
    return (await this.openReadChecked(p, op)).fd;
  }

  /** openReadFd, with the fstat of the opened fd. */
  private async openReadChecked(p: string, op: string): Promise<{ fd: number; stats: fs.Stats }> {
    const what = `${op} ${p}`;
    let before: fs.Stats;
    try {
      before = await fs.promises.lstat(p);
    } catch (e) {
      // A file in the way of a folder on the path: nothing is at p.
      throw toStoreError(e, what, new Map([['ENOTDIR', StoreErrorKind.NOT_FOUND]]));
    }
    if (!before.isFile()) {
      throw notAFile(op, p, typeOf(before));
    }
    let fd: number;
    try {
      fd = await openFd(p, READ_FLAGS);
    } catch (e) {
      const code = (e as NodeError).code;
      if (code === 'ELOOP') {
        throw notAFile(op, p, 'a symbolic link', ERRNO.ELOOP);
      }
      if (code === 'ENXIO') {
        throw notAFile(op, p, 'a socket or a device without a driver', ERRNO.ENXIO);
      }
      throw toStoreError(e, what);
    }
    try {
      const after = await fstatFd(fd);
      if (!after.isFile()) {
        throw notAFile(op, p, typeOf(after));
      }
      if (after.ino !== before.ino || after.dev !== before.dev) {
        throw notAFile(op, p, 'another file than a moment before (replaced while it was opened)');
      }
      return { fd, stats: after };
    } catch (e) {
      this.closeQuietly(fd);
      throw toStoreError(e, what);
    }
  }

  async createExclusive(p: string, text: string): Promise<void> {
    const data = Buffer.from(text, 'utf8');
    let fd: number;
    try {
      fd = await openFd(p, 'wx', 0o644);
    } catch (e) {
      throw toStoreError(e, `createExclusive ${p}`);
    }
    let open = true;
    try {
      await this.writeAll(fd, data, data.length, 0, true, this.key(p), `createExclusive ${p}`);
      await fsyncFd(fd);
      open = false;
      await closeFd(fd);
    } catch (e) {
      if (open) {
        this.closeQuietly(fd);
      }
      // Ours alone (it did not exist before): a half-written file would read as a damaged one.
      await fs.promises.rm(p, { force: true }).then(() => this.release(p), () => undefined);
      throw toStoreError(e, `createExclusive ${p}`);
    }
    await this.syncFolder(path.dirname(p), 'createExclusive');
  }

  /** FileStore.createTextFd: open O_RDWR|O_CREAT|O_EXCL and one positioned write (the fd stays at offset 0). */
  async createTextFd(p: string, text: string): Promise<number> {
    const what = `createTextFd ${p}`;
    const data = Buffer.from(text, 'utf8');
    let fd: number;
    try {
      fd = await openFd(p, 'wx+', 0o644);
    } catch (e) {
      throw toStoreError(e, what);
    }
    try {
      await this.writeAll(fd, data, data.length, 0, true, this.key(p), what);
      return fd;
    } catch (e) {
      this.closeQuietly(fd);
      // Ours alone (it did not exist before).
      await fs.promises.rm(p, { force: true }).then(() => this.release(p), () => undefined);
      throw toStoreError(e, what);
    }
  }

  /** FileStore.readTextFd: reads of 64 KiB (never past maxBytes + 1 in all) from the fd's offset to its end. */
  async readTextFd(fd: number, maxBytes: number): Promise<string> {
    const what = `readTextFd ${fd}`;
    if (!isFd(fd)) {
      throw badFd(fd, what);
    }
    const limit = maxBytes >= 0 ? Math.floor(maxBytes) : Infinity;
    const chunks: Buffer[] = [];
    let total = 0;
    try {
      for (;;) {
        const room = Math.min(limit + 1 - total, 64 * 1024);
        const buf = Buffer.allocUnsafe(room);
        const n = await readFd(fd, buf, room, null);
        if (n <= 0) {
          break;
        }
        chunks.push(n === room ? buf : buf.subarray(0, n));
        total += n;
        if (total > limit) {
          throw new FileStoreError(StoreErrorKind.LIMIT, `${what}: more than ${limit} bytes`);
        }
      }
    } catch (e) {
      throw toStoreError(e, what);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  }
}

/**
 * Open fds of this process (Linux /proc/self/fd, else /dev/fd), not counting the one used to list them;
 * -1 where neither exists.
 */
export function openFdCount(): number {
  for (const dir of ['/proc/self/fd', '/dev/fd']) {
    try {
      return fs.readdirSync(dir).length - 1;
    } catch {
      // try the next place
    }
  }
  return -1;
}
