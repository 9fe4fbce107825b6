/*
 * A FileStore that passes everything to another one and counts the streaming work done through it:
 * bytes copied into files (copyFromFd), out of files (copyToFd) and hashed only (hashFile), and the wall
 * time spent in those calls (overlapping calls each count). The throughput benchmark gives the engine and
 * the mock one each, to show who moves and hashes how many bytes.
 */
import { CopyOptions, FileFacts, SameBase, SameFacts } from '../../entry/src/main/ets/backup/port/FileStore';
import { DelegatingFileStore } from './DelegatingFileStore';

export class StreamCounts {
  copyFromFdBytes: number = 0;
  copyToFdBytes: number = 0;
  hashFileBytes: number = 0;
  /** Summed wall time of the streaming calls, ms (concurrent calls overlap). */
  streamingMs: number = 0;

  reset(): void {
    this.copyFromFdBytes = 0;
    this.copyToFdBytes = 0;
    this.hashFileBytes = 0;
    this.streamingMs = 0;
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
      this.counts.streamingMs += Number(process.hrtime.bigint() - t) / 1e6;
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
      this.counts.streamingMs += Number(process.hrtime.bigint() - t) / 1e6;
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
