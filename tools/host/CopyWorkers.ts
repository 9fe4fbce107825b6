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
 * The worker's source is in CopyWorkerSource.ts (the encrypting and decrypting jobs in CopyWorkerSealedSource.ts).
 *
 * Protocol (structured clone):
 *   job    {id, op: 'from'|'same'|'to'|'hash'|'seal'|'open', fd, path, basePath, baseSize, maxBytes (-1: none),
 *           durable, ask, chunk, progress, cancel: SharedArrayBuffer | null, key, header, segmentBytes, nonces,
 *           sha256, size}
 *          ('same': FileStore.copyFromFdUnlessSame, comparing fd with basePath of baseSize bytes first;
 *           'seal': FileStore.copyFromFdSealed, fd encrypted into a segmented blob at path with key, header,
 *           segmentBytes and (tests only) nonces, as port/FileStore.ets SealSpec says; 'open':
 *           FileStore.copyToFdOpened, the sealed blob at path decrypted into fd with key, each segment written
 *           only once it authenticated, checked against sha256 and size. The key's buffer is transferred, not
 *           copied: after the post this thread holds no copy of it, and the worker zeroes its own when the job
 *           ended)
 *   answer {id, kind: 'progress', bytes}   after a chunk fully written once 1 MiB more was written since the
 *                                          last report and (after the first) 25 ms passed, and at the end (only
 *                                          when progress; 'seal', 'open': after each segment)
 *          {id, kind: 'done', size, sha256, written, synced (fsyncs made: 0 or 1), same, samePrefix,
 *           openFailure, segment, last, detail}   ('open': which check of the blob failed, '' none)
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
 *
 * A worker may hold a second job behind the one it runs (a job without a key: never 'seal' or 'open'),
 * so that it goes on to it at once instead of waiting for this thread to read its answer and post the
 * next job: on a busy machine this thread may get the core only milliseconds later, while the worker sits
 * idle. The worker runs its jobs one at a time, in the order they came. Each job has a claim word
 * (job.claim, an Int32 in a SharedArrayBuffer): the worker sets it 0 -> 1 when it starts the job; this
 * thread may set it 0 -> 2 to take back a job that has not started. A worker with nothing to do takes over
 * a job held that way, and the unstarted jobs of a worker that died go back to the queue instead of failing
 * (not one with a key: that went to the dead worker alone). Only one of the two compare-exchanges wins;
 * the worker answers nothing for a job it finds taken back.
 */
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { COPY_WORKER_SOURCE } from './CopyWorkerSource';

export type CopyOp = 'from' | 'same' | 'to' | 'hash' | 'seal' | 'open';

export interface CopyJob {
  op: CopyOp;
  /** from, same: the source fd; to: the target fd; hash: unused (-1). */
  fd: number;
  /** from, same: the new file; to, hash: the source file. */
  path: string;
  /** same: the file the fd is compared with, and the size it must have ('' and -1 otherwise). */
  basePath?: string;
  baseSize?: number;
  /** -1: no limit. */
  maxBytes: number;
  durable: boolean;
  chunk: number;
  /** Called after chunks fully written (about every MiB, and at the end; only for from/to); what it throws
   *  cancels the copy. */
  onBytes?: (bytesSoFar: number) => void;
  /** from, same with durable: called when the worker has written and hashed everything and the sync is next
   *  (its 'free' or 'ask'; CopyOptions.onCopied). */
  onCopied?: () => void;
  /** from with durable: asked before the sync whether to skip it (CopyOptions.skipSyncIf). */
  skipSyncIf?: (facts: { size: number; sha256: string }) => Promise<boolean>;
  /** seal: what to encrypt with. key must own its ArrayBuffer (exactly its bytes): the buffer is transferred. */
  seal?: SealJob;
  /** open: what to decrypt with. key as SealJob's (transferred). */
  open?: OpenJob;
}

/** The decryption of an 'open' job (port/FileStore.ets OpenSpec). */
export interface OpenJob {
  key: Uint8Array;
  sha256: string;
  size: number;
}

/** The encryption of a 'seal' job (port/FileStore.ets SealSpec); nonces null outside tests. */
export interface SealJob {
  key: Uint8Array;
  header: Uint8Array;
  segmentBytes: number;
  nonces: Uint8Array | null;
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
  /** same: the fd held the base's bytes (nothing written); samePrefix: leading bytes equal to the base's. */
  same: boolean;
  samePrefix: number;
  /** open: the check that failed ('' none: port/FileStore.ets OpenFailure), its segment, last flag and detail. */
  openFailure: string;
  segment: number;
  last: boolean;
  detail: number;
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
  same?: boolean;
  samePrefix?: number;
  openFailure?: string;
  segment?: number;
  last?: boolean;
  detail?: number;
  fail?: CopyFailure;
}

interface Queued {
  id: number;
  job: CopyJob;
  /** 0 waiting, 1 started by its worker, 2 taken back by this thread (see the top). */
  claim: Int32Array;
  claimBuffer: SharedArrayBuffer;
  resolve: (a: CopyAnswer) => void;
  cancel: Int32Array | null;
  cancelBuffer: SharedArrayBuffer | null;
  thrown?: Error;
}

/** A job that carries a key runs only on a worker with nothing else to do: it is never held behind another
 *  one, so it is never taken back (its key was transferred to that worker). */
function hasKey(job: CopyJob): boolean {
  return job.seal !== undefined || job.open !== undefined;
}

/** Takes q back from the worker that holds it, if it has not started there (see the top); q then has a claim
 *  word of its own for the worker that gets it next (the old one stays taken back for the first). */
function takeBack(q: Queued): boolean {
  if (Atomics.compareExchange(q.claim, 0, 0, 2) !== 0) {
    return false;
  }
  q.claimBuffer = new SharedArrayBuffer(4);
  q.claim = new Int32Array(q.claimBuffer);
  return true;
}

/** q no longer occupies w's thread (it answered, or it waits for its sync on the thread pool). */
function leave(w: PoolWorker, q: Queued): void {
  const at = w.running.indexOf(q);
  if (at >= 0) {
    w.running.splice(at, 1);
  }
}

/** Threads of the pool by default: BACKUP_MANAGER_COPY_THREADS when set (0: copy on the calling thread,
 *  for comparisons), else the cores there are, at least 2, at most 4. */
export function defaultCopyThreads(): number {
  const given = Number(process.env.BACKUP_MANAGER_COPY_THREADS ?? '');
  if (process.env.BACKUP_MANAGER_COPY_THREADS !== undefined && process.env.BACKUP_MANAGER_COPY_THREADS !== '' &&
    Number.isInteger(given) && given >= 0 && given <= 64) {
    return given;
  }
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.min(4, Math.max(2, cores));
}

class PoolWorker {
  readonly worker: Worker;
  /** Settles when the worker runs (or could not start). */
  readonly online: Promise<void>;
  /** The jobs its thread works on or holds next, in their order (empty: it takes the next one at once). */
  running: Queued[] = [];
  /** Every job it has not answered yet: the current one and those waiting for their fsync. */
  readonly jobs: Map<number, Queued> = new Map<number, Queued>();
  /** Settles when its hashing thread runs (warmUp), or it exited. */
  readonly warm: Promise<void>;
  warmed: () => void = (): void => undefined;

  constructor(worker: Worker) {
    this.worker = worker;
    this.online = new Promise<void>((resolve) => {
      worker.once('online', () => resolve());
      worker.once('exit', () => resolve());
    });
    this.warm = new Promise<void>((resolve) => {
      this.warmed = resolve;
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
      job.seal?.key.fill(0);
      job.open?.key.fill(0);
      return Promise.resolve({
        failure: { kind: '', code: 'EWORKER', errno: 0, message: 'the copy workers were shut down', stage: 'copy' },
        fallback: false,
      });
    }
    this.serial++;
    const id = this.serial;
    return new Promise<CopyAnswer>((resolve) => {
      const cancelBuffer = job.onBytes !== undefined ? new SharedArrayBuffer(4) : null;
      const claimBuffer = new SharedArrayBuffer(4);
      this.queue.push({
        id, job, resolve, cancelBuffer, cancel: cancelBuffer === null ? null : new Int32Array(cancelBuffer),
        claimBuffer, claim: new Int32Array(claimBuffer),
      });
      this.dispatch();
    });
  }

  /**
   * Starts every worker of the pool now, and each one's hashing thread (which a sealed copy otherwise
   * starts on first use, CopyWorkerHasherSource.ts), and waits until all run: from then on the pool holds
   * all the fds it will hold (a thread has an event loop of its own, a few fds), which is what a test
   * counting this process's fds before and after needs.
   */
  async warmUp(): Promise<void> {
    while (!this.closed && this.workers.length < this.size) {
      this.start();
    }
    await Promise.all(this.workers.map((w) => w.online));
    for (const w of this.workers) {
      w.worker.postMessage({ kind: 'warm' });
    }
    await Promise.all(this.workers.map((w) => w.warm));
  }

  /** Stops the workers (jobs in flight fail). For tests and tools that want to end at once. */
  async shutdown(): Promise<void> {
    this.closed = true;
    const all = this.workers.splice(0, this.workers.length);
    await Promise.all(all.map((w) => w.worker.terminate()));
  }

  private dispatch(): void {
    if (this.queue.length === 0) {
      this.takeBackForIdle();
    }
    while (this.queue.length > 0) {
      let idle = this.workers.find((w) => w.running.length === 0);
      if (idle === undefined && this.workers.length < this.size) {
        idle = this.start();
      }
      if (idle === undefined && !hasKey(this.queue[0].job)) {
        idle = this.workers.find((w) => w.running.length === 1 && !hasKey(w.running[0].job));
      }
      if (idle === undefined) {
        return;
      }
      const q = this.queue.shift() as Queued;
      idle.running.push(q);
      idle.jobs.set(q.id, q);
      idle.worker.ref();
      const j = q.job;
      const seal = j.seal;
      const secret = seal?.key ?? j.open?.key;
      idle.worker.postMessage({
        id: q.id, op: j.op, fd: j.fd, path: j.path, basePath: j.basePath ?? '', baseSize: j.baseSize ?? -1,
        maxBytes: j.maxBytes, durable: j.durable, chunk: j.chunk,
        ask: j.durable && j.skipSyncIf !== undefined, progress: j.onBytes !== undefined, cancel: q.cancelBuffer,
        key: secret ?? null, header: seal?.header ?? null, segmentBytes: seal?.segmentBytes ?? 0,
        nonces: seal?.nonces ?? null, sha256: j.open?.sha256 ?? '', size: j.open?.size ?? -1, claim: q.claimBuffer,
      }, secret !== undefined ? [secret.buffer as ArrayBuffer] : []);
    }
  }

  private start(): PoolWorker {
    const w = new PoolWorker(new Worker(COPY_WORKER_SOURCE, { eval: true, workerData: { readFlags: this.readFlags, chunk: this.chunk } }));
    w.worker.unref();
    w.worker.on('message', (m: WorkerMessage) => this.answer(w, m));
    w.worker.on('error', (e: Error) => this.lost(w, e.message));
    w.worker.on('exit', (code: number) => this.lost(w, `copy worker exited (${code})`));
    this.workers.push(w);
    return w;
  }

  private answer(w: PoolWorker, m: WorkerMessage): void {
    if (m.kind === 'warm') {
      w.warmed();
      return;
    }
    const q = w.jobs.get(m.id);
    if (q === undefined) {
      return;
    }
    if (m.kind === 'free' || m.kind === 'ask') {
      leave(w, q);
      const copied = q.job.onCopied;
      if (copied !== undefined && q.thrown === undefined) {
        try {
          copied();
        } catch (e) {
          // By contract it does not throw; a throw must not stop the copy's answer.
        }
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
    leave(w, q);
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
        same: m.same === true, samePrefix: m.samePrefix ?? 0, openFailure: m.openFailure ?? '',
        segment: m.segment ?? 0, last: m.last === true, detail: m.detail ?? 0,
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

  /** A worker with nothing to do takes over a job another one holds behind the one it runs (see the top). */
  private takeBackForIdle(): void {
    if (!this.workers.some((w) => w.running.length === 0)) {
      return;
    }
    for (const w of this.workers) {
      if (w.running.length < 2) {
        continue;
      }
      const q = w.running[w.running.length - 1];
      if (takeBack(q)) {
        w.running.pop();
        w.jobs.delete(q.id);
        if (w.jobs.size === 0) {
          w.worker.unref();
        }
        this.queue.push(q);
        return;
      }
    }
  }

  private lost(w: PoolWorker, why: string): void {
    const at = this.workers.indexOf(w);
    if (at < 0) {
      return;
    }
    this.workers.splice(at, 1);
    w.running = [];
    const lostJobs = Array.from(w.jobs.values());
    w.jobs.clear();
    const back: Queued[] = [];
    for (const q of lostJobs) {
      // A job that never started there goes to another worker; not one with a key (it went to that worker).
      if (!this.closed && !hasKey(q.job) && takeBack(q)) {
        back.push(q);
      } else {
        q.resolve({ fallback: false, failure: { kind: '', code: 'EWORKER', errno: 0, message: why, stage: 'copy' } });
      }
    }
    this.queue.unshift(...back);
    if (!this.closed) {
      this.dispatch();
    }
  }
}
