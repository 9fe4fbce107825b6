/*
 * A FileStore that passes everything to another one and counts the streaming work done through it:
 * bytes copied into files (copyFromFd), out of files (copyToFd) and hashed only (hashFile), and when the
 * first of those calls started and the last ended. The throughput benchmark gives the engine and the mock one each, to show who moves and hashes how
 * many bytes, and where in a run the bytes moved (Throughput.ts, `phases`).
 */
import { CopyOptions, FileFacts, SameBase, SameFacts } from '../../entry/src/main/ets/backup/port/FileStore';
import { DelegatingFileStore } from './DelegatingFileStore';

/** Where in one run the bytes moved (ms): before the first streaming call started, from then until the
 *  last one ended, and after that until the run's end. */
export interface RunPhases {
  beforeMs: number;
  dataMs: number;
  afterMs: number;
}

export class StreamCounts {
  copyFromFdBytes: number = 0;
  copyToFdBytes: number = 0;
  hashFileBytes: number = 0;
  /** process.hrtime.bigint() when the first streaming call since reset() started, and when the last ended;
   *  0n while there was none. */
  firstStartNs: bigint = 0n;
  lastEndNs: bigint = 0n;

  reset(): void {
    this.copyFromFdBytes = 0;
    this.copyToFdBytes = 0;
    this.hashFileBytes = 0;
    this.firstStartNs = 0n;
    this.lastEndNs = 0n;
  }

  /** The phases of a run from startNs to endNs (process.hrtime.bigint()) that held every call since reset(). */
  phases(startNs: bigint, endNs: bigint): RunPhases {
    if (this.firstStartNs === 0n) {
      throw new Error('nothing was streamed');
    }
    if (this.firstStartNs < startNs || this.lastEndNs > endNs) {
      throw new Error('a streaming call lies outside the run');
    }
    return {
      beforeMs: Number(this.firstStartNs - startNs) / 1e6,
      dataMs: Number(this.lastEndNs - this.firstStartNs) / 1e6,
      afterMs: Number(endNs - this.lastEndNs) / 1e6,
    };
  }

  /** A streaming call started at t and ended now. */
  call(t: bigint): void {
    const now = process.hrtime.bigint();
    if (this.firstStartNs === 0n || t < this.firstStartNs) {
      this.firstStartNs = t;
    }
    if (now > this.lastEndNs) {
      this.lastEndNs = now;
    }
  }

  /** Every streamed byte is hashed once: copies and hash-only reads together. */
  hashedBytes(): number {
    return this.copyFromFdBytes + this.copyToFdBytes + this.hashFileBytes;
  }
}

export class CountingFileStore extends DelegatingFileStore {
  readonly counts: StreamCounts = new StreamCounts();

  private async timed(work: Promise<FileFacts>, add: (n: number) => void): Promise<FileFacts> {
    const t = process.hrtime.bigint();
    try {
      const facts = await work;
      add(facts.size);
      return facts;
    } finally {
      this.counts.call(t);
    }
  }

  copyFromFd(fd: number, path: string, options?: CopyOptions): Promise<FileFacts> {
    return this.timed(this.inner.copyFromFd(fd, path, options), (n) => {
      this.counts.copyFromFdBytes += n;
    });
  }

  async copyFromFdUnlessSame(fd: number, path: string, base: SameBase, options?: CopyOptions): Promise<SameFacts> {
    const t = process.hrtime.bigint();
    try {
      const facts = await this.inner.copyFromFdUnlessSame(fd, path, base, options);
      this.counts.copyFromFdBytes += facts.size;
      return facts;
    } finally {
      this.counts.call(t);
    }
  }

  copyToFd(path: string, fd: number, options?: CopyOptions): Promise<FileFacts> {
    return this.timed(this.inner.copyToFd(path, fd, options), (n) => {
      this.counts.copyToFdBytes += n;
    });
  }

  hashFile(path: string): Promise<FileFacts> {
    return this.timed(this.inner.hashFile(path), (n) => {
      this.counts.hashFileBytes += n;
    });
  }
}
