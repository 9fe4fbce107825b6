/*
 * A FileStore that passes every call to another one; the bench's wrappers (CountingFileStore,
 * WorkerHashStore) extend it and override what they change.
 */
import {
  CopyOptions, FileFacts, FileStat, FileStore, SameBase, SameFacts
} from '../../entry/src/main/ets/backup/port/FileStore';

export class DelegatingFileStore implements FileStore {
  protected readonly inner: FileStore;

  /** The inner store's optional capabilities, where it has them (a caller tests for them, as of any store). */
  createTextFd?: (path: string, text: string) => Promise<number>;
  readTextFd?: (fd: number, maxBytes: number) => Promise<string>;

  constructor(inner: FileStore) {
    this.inner = inner;
    const createTextFd = inner.createTextFd;
    if (createTextFd !== undefined) {
      this.createTextFd = (p: string, text: string): Promise<number> => createTextFd.call(inner, p, text);
    }
    const readTextFd = inner.readTextFd;
    if (readTextFd !== undefined) {
      this.readTextFd = (fd: number, maxBytes: number): Promise<string> => readTextFd.call(inner, fd, maxBytes);
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
    return this.inner.copyFromFd(fd, path, options);
  }

  copyFromFdUnlessSame(fd: number, path: string, base: SameBase, options?: CopyOptions): Promise<SameFacts> {
    return this.inner.copyFromFdUnlessSame(fd, path, base, options);
  }

  copyToFd(path: string, fd: number, options?: CopyOptions): Promise<FileFacts> {
    return this.inner.copyToFd(path, fd, options);
  }

  hashFile(path: string): Promise<FileFacts> {
    return this.inner.hashFile(path);
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

  createExclusive(path: string, text: string): Promise<void> {
    return this.inner.createExclusive(path, text);
  }
}
