/*
 * A FileStore that passes everything to another one and counts the streaming work done through it:
 * bytes copied into files (copyFromFd), out of files (copyToFd) and hashed only (hashFile), and the wall
 * time spent in those calls (overlapping calls each count). The throughput benchmark gives the engine and
 * the mock one each, to show who moves and hashes how many bytes.
 */
import { CopyOptions, FileFacts, FileStat, FileStore } from '../../entry/src/main/ets/backup/port/FileStore';

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

export class CountingFileStore implements FileStore {
  readonly counts: StreamCounts = new StreamCounts();
  private readonly inner: FileStore;

  constructor(inner: FileStore) {
    this.inner = inner;
  }

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

  openRead(path: string): Promise<number> {
    return this.inner.openRead(path);
  }

  openWrite(path: string): Promise<number> {
    return this.inner.openWrite(path);
  }

  close(fd: number): Promise<void> {
    return this.inner.close(fd);
  }

  closeQuietly(fd: number): void {
    this.inner.closeQuietly(fd);
  }

  copyFromFd(fd: number, path: string, options?: CopyOptions): Promise<FileFacts> {
    return this.timed(this.inner.copyFromFd(fd, path, options), (n) => {
      this.counts.copyFromFdBytes += n;
    });
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

  readText(path: string, maxBytes?: number): Promise<string> {
    return this.inner.readText(path, maxBytes);
  }

  writeTextAtomic(path: string, text: string): Promise<void> {
    return this.inner.writeTextAtomic(path, text);
  }

  mkdirs(path: string): Promise<void> {
    return this.inner.mkdirs(path);
  }

  rename(from: string, to: string): Promise<void> {
    return this.inner.rename(from, to);
  }

  list(dir: string): Promise<string[]> {
    return this.inner.list(dir);
  }

  stat(path: string): Promise<FileStat | undefined> {
    return this.inner.stat(path);
  }

  remove(path: string): Promise<void> {
    return this.inner.remove(path);
  }

  freeBytes(path: string): Promise<number> {
    return this.inner.freeBytes(path);
  }

  syncDir(path: string): Promise<void> {
    return this.inner.syncDir(path);
  }
}
