/*
 * The copy workers of NodeFileStore: a small pool of worker threads that copy and hash files, so that
 * SHA-256 (the cost of every copy) runs on several cores and never on the thread that runs the engine.
 *
 * A job is one whole copyFromFd, copyToFd or hashFile: the worker opens what it has to (the new file, or
 * the source by path exactly as NodeFileStore.openReadFd does: lstat, open with O_NOFOLLOW | O_NONBLOCK |
 * O_NOCTTY, fstat, same inode), then reads, hashes and writes in chunks with synchronous fs calls (fds are
 * the process's, valid on every thread), syncs and closes. One message there and one back per file, instead
 * of the eight or so thread-pool round trips of an open, each chunk's read and write, a sync and a close.
 *
 * The worker source is plain JavaScript evaluated by the Worker (the host tools run bundled into a cache
 * folder, where a worker file beside this one could not be found by path).
 *
 * Protocol (structured clone):
 *   job    {id, op: 'from'|'to'|'hash', fd, path, maxBytes (-1: none), durable, ask, chunk, progress,
 *           cancel: SharedArrayBuffer | null}
 *   answer {id, kind: 'progress', bytes}   after each chunk fully written (only when progress)
 *          {id, kind: 'done', size, sha256, written, synced (fsyncs made: 0 or 1)}
 *          {id, kind: 'free'}              a durable copyFromFd has written and hashed everything and waits
 *                                          for its fsync on the thread pool: the worker takes another job
 *                                          meanwhile ('done' or 'failed' follows)
 *          {id, kind: 'ask', size, sha256} the same with job.ask: the caller answers {kind: 'decide', id, skip}
 *                                          (skip: no sync), meanwhile the worker takes another job
 *          {id, kind: 'fallback'}          the caller's fd is not a regular file (a pipe, a socket, a
 *                                          FIFO, a device): nothing was opened or read; the caller copies
 *                                          on its own thread (a worker must never sit blocked on a pipe
 *                                          whose other end waits for a copy queued behind it)
 *          {id, kind: 'failed', fail}      fail: {kind ('' | 'NOT_A_FILE' | 'LIMIT' | 'CANCELLED'), code,
 *                                          errno, message, stage ('open' | 'lstat' | 'copy' | 'sync')};
 *                                          what a copyFromFd had written is removed again
 * The cancel buffer's first Int32 is set to 1 by the caller when its onBytes threw: the worker stops
 * after the chunk it is on and answers CANCELLED.
 */
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';

const SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');

const READ_FLAGS = workerData.readFlags;
let buffer = Buffer.allocUnsafe(workerData.chunk);

function failure(kind, message, code, errno, stage) {
  const e = new Error(message);
  e.storeKind = kind;
  e.code = code;
  e.errno = errno;
  e.stage = stage;
  return e;
}

function typeOf(st) {
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function notAFile(op, p, type, errno) {
  return failure('NOT_A_FILE', op + ': ' + p + ' is ' + type + ', not a regular file', '', errno || 0, 'open');
}

function staged(e, stage) {
  if (e && e.stage === undefined) e.stage = stage;
  return e;
}

// NodeFileStore.openReadFd, synchronously.
function openStrict(p, op) {
  let before;
  try {
    before = fs.lstatSync(p);
  } catch (e) {
    throw staged(e, 'lstat');
  }
  if (!before.isFile()) throw notAFile(op, p, typeOf(before));
  let fd;
  try {
    fd = fs.openSync(p, READ_FLAGS);
  } catch (e) {
    if (e && e.code === 'ELOOP') throw notAFile(op, p, 'a symbolic link', -e.errno);
    if (e && e.code === 'ENXIO') throw notAFile(op, p, 'a socket or a device without a driver', -e.errno);
    throw staged(e, 'open');
  }
  try {
    const after = fs.fstatSync(fd);
    if (!after.isFile()) throw notAFile(op, p, typeOf(after));
    if (after.ino !== before.ino || after.dev !== before.dev) {
      throw notAFile(op, p, 'another file than a moment before (replaced while it was opened)');
    }
    return fd;
  } catch (e) {
    try { fs.closeSync(fd); } catch (ignored) { /* cleanup */ }
    throw staged(e, 'open');
  }
}

function cannotSync(e) {
  const c = e && e.code;
  return c === 'EINVAL' || c === 'ENOTSUP' || c === 'EOPNOTSUPP' || c === 'EISDIR';
}

// Streams src to dst (-1: hash only); positioned: explicit offsets from 0, else the fd's own offset.
function pump(job, src, srcPositioned, dst, dstPositioned) {
  if (buffer.length !== job.chunk) buffer = Buffer.allocUnsafe(job.chunk);
  const hash = createHash('sha256');
  const cancel = job.cancel === null ? null : new Int32Array(job.cancel);
  let total = 0;
  let written = 0;
  for (;;) {
    const room = job.maxBytes < 0 ? buffer.length : Math.min(buffer.length, job.maxBytes + 1 - total);
    let n;
    try {
      n = fs.readSync(src, buffer, 0, room, srcPositioned ? total : null);
    } catch (e) {
      throw staged(e, 'copy');
    }
    if (n <= 0) break;
    total += n;
    if (job.maxBytes >= 0 && total > job.maxBytes) throw failure('LIMIT', 'limit', '', 0, 'copy');
    const chunk = n === buffer.length ? buffer : buffer.subarray(0, n);
    hash.update(chunk);
    if (dst >= 0) {
      for (let off = 0; off < n;) {
        let w;
        try {
          w = fs.writeSync(dst, buffer, off, n - off, dstPositioned ? total - n + off : null);
        } catch (e) {
          throw staged(e, 'copy');
        }
        off += w;
        written += w;
      }
      if (job.progress) parentPort.postMessage({ id: job.id, kind: 'progress', bytes: total });
    }
    if (cancel !== null && Atomics.load(cancel, 0) !== 0) throw failure('CANCELLED', 'cancelled', '', 0, 'copy');
  }
  return { size: total, sha256: hash.digest('hex'), written, synced: 0, syncFd: undefined };
}

function isRegularFd(fd) {
  return fs.fstatSync(fd).isFile();
}

function copyFrom(job) {
  try {
    if (!isRegularFd(job.fd)) return { fallback: true };
  } catch (e) {
    throw staged(e, 'copy');
  }
  let out;
  try {
    out = fs.openSync(job.path, 'w');
  } catch (e) {
    throw staged(e, 'open');
  }
  let open = true;
  try {
    const facts = pump(job, job.fd, false, out, true);
    if (job.durable) {
      // Synced (and closed) on the thread pool while this thread hashes the next file.
      facts.syncFd = out;
      return facts;
    }
    open = false;
    try { fs.closeSync(out); } catch (e) { throw staged(e, 'copy'); }
    return facts;
  } catch (e) {
    if (open) {
      try { fs.closeSync(out); } catch (ignored) { /* cleanup */ }
    }
    // A partial copy is of no use to anyone and may hold the space that ran out.
    try { fs.rmSync(job.path, { force: true }); } catch (ignored) { /* reported below */ }
    throw e;
  }
}

function copyTo(job) {
  const src = openStrict(job.path, 'copyToFd');
  try {
    try {
      if (!isRegularFd(job.fd)) return { fallback: true };
    } catch (e) {
      throw staged(e, 'copy');
    }
    const facts = pump(job, src, true, job.fd, false);
    if (job.durable) {
      try {
        fs.fsyncSync(job.fd);
        facts.synced = 1;
      } catch (e) {
        if (!cannotSync(e)) throw staged(e, 'sync');
      }
    }
    return facts;
  } finally {
    try { fs.closeSync(src); } catch (ignored) { /* cleanup */ }
  }
}

function hashOnly(job) {
  const src = openStrict(job.path, 'hashFile');
  try {
    return pump(job, src, true, -1, true);
  } finally {
    try { fs.closeSync(src); } catch (ignored) { /* cleanup */ }
  }
}

function failed(job, e) {
  const err = e || {};
  parentPort.postMessage({ id: job.id, kind: 'failed', fail: {
    kind: typeof err.storeKind === 'string' ? err.storeKind : '',
    code: typeof err.code === 'string' ? err.code : '',
    errno: typeof err.errno === 'number' ? err.errno : 0,
    message: typeof err.message === 'string' ? err.message : String(e),
    stage: typeof err.stage === 'string' ? err.stage : 'copy',
  } });
}

function done(job, r) {
  parentPort.postMessage({ id: job.id, kind: 'done', size: r.size, sha256: r.sha256, written: r.written,
    synced: r.synced });
}

// Durable new files whose caller is asked whether to sync them (job.ask): id -> {job, r}.
const asking = new Map();

function closeAndAnswer(job, r, syncErr) {
  const out = r.syncFd;
  let err = syncErr;
  try {
    fs.closeSync(out);
  } catch (e) {
    err = err || e;
  }
  if (err) {
    try { fs.rmSync(job.path, { force: true }); } catch (ignored) { /* reported below */ }
    failed(job, staged(err, 'copy'));
  } else {
    done(job, r);
  }
}

// A durable new file: its fsync runs on the thread pool; this thread is free for the next job meanwhile.
// With job.ask the caller first says whether to sync at all ({kind: 'decide', id, skip}).
function syncThenClose(job, r) {
  const out = r.syncFd;
  if (job.ask) {
    asking.set(job.id, { job, r });
    parentPort.postMessage({ id: job.id, kind: 'ask', size: r.size, sha256: r.sha256 });
    return;
  }
  parentPort.postMessage({ id: job.id, kind: 'free' });
  fs.fsync(out, (syncErr) => {
    let err = syncErr;
    try {
      fs.closeSync(out);
    } catch (e) {
      err = err || e;
    }
    if (err) {
      try { fs.rmSync(job.path, { force: true }); } catch (ignored) { /* reported below */ }
      failed(job, staged(err, 'copy'));
    } else {
      r.synced = 1;
      done(job, r);
    }
  });
}

function decided(m) {
  const a = asking.get(m.id);
  if (a === undefined) return;
  asking.delete(m.id);
  if (m.skip) {
    closeAndAnswer(a.job, a.r, null);
    return;
  }
  fs.fsync(a.r.syncFd, (syncErr) => {
    if (!syncErr) a.r.synced = 1;
    closeAndAnswer(a.job, a.r, syncErr);
  });
}

parentPort.on('message', (job) => {
  if (job.kind === 'decide') {
    decided(job);
    return;
  }
  try {
    const r = job.op === 'from' ? copyFrom(job) : (job.op === 'to' ? copyTo(job) : hashOnly(job));
    if (r.fallback) {
      parentPort.postMessage({ id: job.id, kind: 'fallback' });
    } else if (r.syncFd !== undefined) {
      syncThenClose(job, r);
    } else {
      done(job, r);
    }
  } catch (e) {
    failed(job, e);
  }
});
`;

export type CopyOp = 'from' | 'to' | 'hash';

export interface CopyJob {
  op: CopyOp;
  /** from: the source fd; to: the target fd; hash: unused (-1). */
  fd: number;
  /** from: the new file; to, hash: the source file. */
  path: string;
  /** -1: no limit. */
  maxBytes: number;
  durable: boolean;
  chunk: number;
  /** Called after each chunk fully written (only for from/to); what it throws cancels the copy. */
  onBytes?: (bytesSoFar: number) => void;
  /** from with durable: asked before the sync whether to skip it (CopyOptions.skipSyncIf). */
  skipSyncIf?: (facts: { size: number; sha256: string }) => Promise<boolean>;
}

/** Why a job failed, as the worker saw it (NodeFileStore turns it into a FileStoreError). */
export interface CopyFailure {
  /** '' (map code), NOT_A_FILE, LIMIT, CANCELLED. */
  kind: string;
  code: string;
  errno: number;
  message: string;
  /** lstat / open: opening (the source by path, or the new file); copy: reading, writing, syncing a new
   *  file, closing; sync: syncing the caller's fd. */
  stage: string;
}

export interface CopyDone {
  size: number;
  sha256: string;
  /** Bytes written into the target. */
  written: number;
  /** fsyncs the copy made (0 or 1). */
  synced: number;
}

/** What a job came to: done, a failure, a throw of onBytes, or 'fallback' (the fd is not a regular file). */
export interface CopyAnswer {
  done?: CopyDone;
  failure?: CopyFailure;
  /** What onBytes threw (the copy was stopped after that chunk; a new file was removed). */
  thrown?: Error;
  fallback: boolean;
}

interface WorkerMessage {
  id: number;
  kind: string;
  bytes?: number;
  size?: number;
  sha256?: string;
  written?: number;
  synced?: number;
  fail?: CopyFailure;
}

interface Queued {
  id: number;
  job: CopyJob;
  resolve: (a: CopyAnswer) => void;
  cancel: Int32Array | null;
  cancelBuffer: SharedArrayBuffer | null;
  thrown?: Error;
}

/** Threads of the pool by default: the cores there are, at least 2, at most 4. */
export function defaultCopyThreads(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.min(4, Math.max(2, cores));
}

class PoolWorker {
  readonly worker: Worker;
  /** Settles when the worker runs (or could not start). */
  readonly online: Promise<void>;
  /** The job its thread works on (undefined: it takes the next one). */
  current: Queued | undefined = undefined;
  /** Every job it has not answered yet: the current one and those waiting for their fsync. */
  readonly jobs: Map<number, Queued> = new Map<number, Queued>();

  constructor(worker: Worker) {
    this.worker = worker;
    this.online = new Promise<void>((resolve) => {
      worker.once('online', () => resolve());
      worker.once('exit', () => resolve());
    });
  }
}

/**
 * A pool of copy workers. Workers start on first use and do not keep the process alive while idle. A
 * worker that dies fails its job (kind '', code 'EWORKER') and is replaced.
 */
export class CopyPool {
  private readonly size: number;
  private readonly readFlags: number;
  private readonly chunk: number;
  private readonly workers: PoolWorker[] = [];
  private readonly queue: Queued[] = [];
  private serial: number = 0;
  private closed: boolean = false;

  constructor(size: number, readFlags: number, chunk: number) {
    this.size = Math.max(1, Math.floor(size));
    this.readFlags = readFlags;
    this.chunk = chunk;
  }

  threads(): number {
    return this.size;
  }

  run(job: CopyJob): Promise<CopyAnswer> {
    if (this.closed) {
      return Promise.resolve({
        failure: { kind: '', code: 'EWORKER', errno: 0, message: 'the copy workers were shut down', stage: 'copy' },
        fallback: false,
      });
    }
    this.serial++;
    const id = this.serial;
    return new Promise<CopyAnswer>((resolve) => {
      const cancelBuffer = job.onBytes !== undefined ? new SharedArrayBuffer(4) : null;
      this.queue.push({ id, job, resolve, cancelBuffer, cancel: cancelBuffer === null ? null : new Int32Array(cancelBuffer) });
      this.dispatch();
    });
  }

  /**
   * Starts every worker of the pool now and waits until each runs: from then on the pool holds all the fds
   * it will hold (a worker has an event loop of its own, about five fds), which is what a test counting
   * this process's fds before and after needs.
   */
  async warmUp(): Promise<void> {
    while (!this.closed && this.workers.length < this.size) {
      this.start();
    }
    await Promise.all(this.workers.map((w) => w.online));
  }

  /** Stops the workers (jobs in flight fail). For tests and tools that want to end at once. */
  async shutdown(): Promise<void> {
    this.closed = true;
    const all = this.workers.splice(0, this.workers.length);
    await Promise.all(all.map((w) => w.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let idle = this.workers.find((w) => w.current === undefined);
      if (idle === undefined && this.workers.length < this.size) {
        idle = this.start();
      }
      if (idle === undefined) {
        return;
      }
      const q = this.queue.shift() as Queued;
      idle.current = q;
      idle.jobs.set(q.id, q);
      idle.worker.ref();
      const j = q.job;
      idle.worker.postMessage({
        id: q.id, op: j.op, fd: j.fd, path: j.path, maxBytes: j.maxBytes, durable: j.durable, chunk: j.chunk,
        ask: j.durable && j.skipSyncIf !== undefined, progress: j.onBytes !== undefined, cancel: q.cancelBuffer,
      });
    }
  }

  private start(): PoolWorker {
    const w = new PoolWorker(new Worker(SOURCE, { eval: true, workerData: { readFlags: this.readFlags, chunk: this.chunk } }));
    w.worker.unref();
    w.worker.on('message', (m: WorkerMessage) => this.answer(w, m));
    w.worker.on('error', (e: Error) => this.lost(w, e.message));
    w.worker.on('exit', (code: number) => this.lost(w, `copy worker exited (${code})`));
    this.workers.push(w);
    return w;
  }

  private answer(w: PoolWorker, m: WorkerMessage): void {
    const q = w.jobs.get(m.id);
    if (q === undefined) {
      return;
    }
    if (m.kind === 'free' || m.kind === 'ask') {
      if (w.current === q) {
        w.current = undefined;
      }
      if (m.kind === 'ask') {
        this.decide(w, q, m.size ?? 0, m.sha256 ?? '');
      }
      this.dispatch();
      return;
    }
    if (m.kind === 'progress') {
      if (q.thrown === undefined && q.job.onBytes !== undefined) {
        try {
          q.job.onBytes(m.bytes ?? 0);
        } catch (e) {
          q.thrown = e instanceof Error ? e : new Error(String(e));
          if (q.cancel !== null) {
            Atomics.store(q.cancel, 0, 1);
          }
        }
      }
      return;
    }
    if (w.current === q) {
      w.current = undefined;
    }
    w.jobs.delete(q.id);
    if (w.jobs.size === 0) {
      w.worker.unref();
    }
    if (m.kind === 'fallback') {
      q.resolve({ fallback: true, thrown: q.thrown });
    } else if (q.thrown !== undefined) {
      // The copy stopped (or ended) after onBytes threw: that is the failure, whatever the worker said.
      q.resolve({ fallback: false, thrown: q.thrown });
    } else if (m.kind === 'done') {
      q.resolve({ fallback: false, done: {
        size: m.size ?? 0, sha256: m.sha256 ?? '', written: m.written ?? 0, synced: m.synced ?? 0,
      } });
    } else {
      q.resolve({
        fallback: false,
        failure: m.fail ?? { kind: '', code: '', errno: 0, message: 'copy worker failed', stage: 'copy' },
      });
    }
    this.dispatch();
  }

  /** Asks the job's skipSyncIf (a rejection or a throw: sync) and tells the worker. */
  private decide(w: PoolWorker, q: Queued, size: number, sha256: string): void {
    const ask = q.job.skipSyncIf;
    const answer = (skip: boolean): void => {
      if (w.jobs.get(q.id) === q) {
        w.worker.postMessage({ kind: 'decide', id: q.id, skip: skip && q.thrown === undefined });
      }
    };
    if (ask === undefined) {
      answer(false);
      return;
    }
    let asked: Promise<boolean>;
    try {
      asked = ask({ size, sha256 });
    } catch (e) {
      answer(false);
      return;
    }
    asked.then((skip: boolean) => answer(skip === true), () => answer(false));
  }

  private lost(w: PoolWorker, why: string): void {
    const at = this.workers.indexOf(w);
    if (at < 0) {
      return;
    }
    this.workers.splice(at, 1);
    w.current = undefined;
    const lostJobs = Array.from(w.jobs.values());
    w.jobs.clear();
    for (const q of lostJobs) {
      q.resolve({ fallback: false, failure: { kind: '', code: 'EWORKER', errno: 0, message: why, stage: 'copy' } });
    }
    if (!this.closed) {
      this.dispatch();
    }
  }
}
