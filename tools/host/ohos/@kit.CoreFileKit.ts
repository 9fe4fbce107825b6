/*
 * Host stand-in for the parts of '@kit.CoreFileKit' that platform/FsFileStore.ets uses, so the FileStore
 * contract suite can run against FsFileStore on Node (tools/host-tests/NodeFileStore.test.ts).
 * Only: fileIo (open, close, closeSync, read, write, fsync, readText, rename, mkdir, listFile, stat,
 * lstat, rmdir, unlink, OpenMode), hash.createHash and hash.hash, statfs.getFreeSize, and a `backup` that throws on
 * every use (on the host the backup service is the mock) unless a test installs a fake.
 *
 * Failures are BusinessError-shaped ({code, message}) with the @ohos.file.fs codes: errno e maps to
 * 13900000 + its index in the table below (the table of the @throws lists in @ohos.file.fs.d.ts),
 * unknown errnos to 13900042. Behaviour follows the platform where the host can tell: mkdir(path, true)
 * on an existing folder fails with 13900015, listFile returns names in directory order (unsorted),
 * Stat.mtime is in seconds, rmdir removes a whole tree. OpenMode values are Linux's open flags (as on the
 * device), passed to Node's open unchanged, so NOFOLLOW and NONBLOCK act as they do there.
 */
import * as fs from 'node:fs';
import { createHash as nodeCreateHash, Hash } from 'node:crypto';
import type OfficialBackup from '../../stubs/@ohos.file.backup';

const CODE_BY_ERRNO: Map<string, number> = new Map([
  ['EPERM', 13900001], ['ENOENT', 13900002], ['ESRCH', 13900003], ['EINTR', 13900004], ['EIO', 13900005],
  ['ENXIO', 13900006], ['E2BIG', 13900007], ['EBADF', 13900008], ['ECHILD', 13900009], ['EAGAIN', 13900010],
  ['ENOMEM', 13900011], ['EACCES', 13900012], ['EFAULT', 13900013], ['EBUSY', 13900014], ['EEXIST', 13900015],
  ['EXDEV', 13900016], ['ENODEV', 13900017], ['ENOTDIR', 13900018], ['EISDIR', 13900019], ['EINVAL', 13900020],
  ['ENFILE', 13900021], ['EMFILE', 13900022], ['ETXTBSY', 13900023], ['EFBIG', 13900024], ['ENOSPC', 13900025],
  ['ESPIPE', 13900026], ['EROFS', 13900027], ['EMLINK', 13900028], ['EDEADLK', 13900029],
  ['ENAMETOOLONG', 13900030], ['ENOSYS', 13900031], ['ENOTEMPTY', 13900032], ['ELOOP', 13900033],
  ['EWOULDBLOCK', 13900034], ['EBADR', 13900035], ['ENOSTR', 13900036], ['ENODATA', 13900037],
  ['EOVERFLOW', 13900038], ['EBADFD', 13900039], ['ERESTART', 13900040], ['EDQUOT', 13900041],
]);
const UNKNOWN = 13900042;

class BusinessError extends Error {
  code: number;

  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

function platformError(e: unknown): BusinessError {
  const err = e as { code?: unknown; message?: unknown };
  const errno = typeof err?.code === 'string' ? err.code : '';
  const code = CODE_BY_ERRNO.get(errno) ?? UNKNOWN;
  return new BusinessError(code, typeof err?.message === 'string' ? err.message : String(e));
}

/** Runs a Node callback-style call as a promise that rejects with a platform error. */
function call<T>(start: (done: (err: NodeJS.ErrnoException | null, value?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      start((err, value) => (err ? reject(platformError(err)) : resolve(value as T)));
    } catch (e) {
      reject(platformError(e));   // argument validation (e.g. a negative fd) throws synchronously in Node
    }
  });
}

function fdOf(file: number | { fd: number }): number {
  return typeof file === 'number' ? file : file.fd;
}

interface ReadOptions { offset?: number; length?: number }
interface WriteOptions { offset?: number; length?: number; encoding?: string }

class Stat {
  readonly size: number;
  readonly mtime: number;
  readonly ino: bigint;
  readonly mode: number;
  private readonly s: fs.Stats;

  constructor(s: fs.Stats) {
    this.s = s;
    this.size = s.size;
    this.mtime = Math.floor(s.mtimeMs / 1000);
    this.ino = BigInt(s.ino);
    this.mode = s.mode;
  }

  isSymbolicLink(): boolean {
    return this.s.isSymbolicLink();
  }

  isDirectory(): boolean {
    return this.s.isDirectory();
  }

  /** A regular file, as on the platform (not a FIFO, device or socket). */
  isFile(): boolean {
    return this.s.isFile();
  }

  isFIFO(): boolean {
    return this.s.isFIFO();
  }

  isCharacterDevice(): boolean {
    return this.s.isCharacterDevice();
  }

  isBlockDevice(): boolean {
    return this.s.isBlockDevice();
  }

  isSocket(): boolean {
    return this.s.isSocket();
  }
}

export namespace fileIo {
  export namespace OpenMode {
    export const READ_ONLY = 0o0;
    export const WRITE_ONLY = 0o1;
    export const READ_WRITE = 0o2;
    export const CREATE = 0o100;
    export const TRUNC = 0o1000;
    export const APPEND = 0o2000;
    export const NONBLOCK = 0o4000;
    export const DIR = 0o200000;
    export const NOFOLLOW = 0o400000;
    export const SYNC = 0o4010000;
  }

  export function open(path: string, mode: number = OpenMode.READ_ONLY): Promise<{ fd: number; path: string }> {
    return call<number>((done) => fs.open(path, mode, 0o666, done)).then((fd) => ({ fd, path }));
  }

  export function close(file: number | { fd: number }): Promise<void> {
    return call<void>((done) => fs.close(fdOf(file), done));
  }

  export function closeSync(file: number | { fd: number }): void {
    try {
      fs.closeSync(fdOf(file));
    } catch (e) {
      throw platformError(e);
    }
  }

  export function read(fd: number, buffer: ArrayBuffer, options?: ReadOptions): Promise<number> {
    const view = new Uint8Array(buffer);
    const length = options?.length ?? view.length;
    return call<number>((done) => fs.read(fd, view, 0, length, options?.offset ?? null, done));
  }

  export function write(fd: number, buffer: ArrayBuffer | string, options?: WriteOptions): Promise<number> {
    const view = typeof buffer === 'string' ? Buffer.from(buffer, 'utf8') : new Uint8Array(buffer);
    const length = options?.length ?? view.length;
    return call<number>((done) => fs.write(fd, view, 0, length, options?.offset ?? null, done));
  }

  export function fsync(fd: number): Promise<void> {
    return call<void>((done) => fs.fsync(fd, done));
  }

  export function readText(path: string): Promise<string> {
    return call<string>((done) => fs.readFile(path, 'utf8', done));
  }

  export function rename(oldPath: string, newPath: string): Promise<void> {
    return call<void>((done) => fs.rename(oldPath, newPath, done));
  }

  export function mkdir(path: string, recursion: boolean = false): Promise<void> {
    if (recursion && fs.existsSync(path)) {
      return Promise.reject(new BusinessError(13900015, 'File exists'));
    }
    return call<void>((done) => fs.mkdir(path, { recursive: recursion }, (err) => done(err)));
  }

  export async function listFile(path: string): Promise<string[]> {
    try {
      const names: string[] = [];
      const dir = await fs.promises.opendir(path);
      for await (const entry of dir) {
        names.push(entry.name);
      }
      return names;
    } catch (e) {
      throw platformError(e);
    }
  }

  export function stat(file: string | number): Promise<Stat> {
    return call<fs.Stats>((done) => (typeof file === 'number' ? fs.fstat(file, done) : fs.stat(file, done)))
      .then((s) => new Stat(s));
  }

  export function lstat(path: string): Promise<Stat> {
    return call<fs.Stats>((done) => fs.lstat(path, done)).then((s) => new Stat(s));
  }

  export function rmdir(path: string): Promise<void> {
    return call<fs.Stats>((done) => fs.lstat(path, done)).then((s) => {
      if (!s.isDirectory()) {
        throw new BusinessError(13900018, 'Not a directory');
      }
      return call<void>((done) => fs.rm(path, { recursive: true }, (err) => done(err)));
    });
  }

  export function unlink(path: string): Promise<void> {
    return call<void>((done) => fs.unlink(path, done));
  }

  /** (Also used: createStream.) A stream as fopen(path, mode) opens it ('x' = O_EXCL, as musl's); only close(). */
  export class Stream {
    private readonly fd: number;

    constructor(fd: number) {
      this.fd = fd;
    }

    close(): Promise<void> {
      return call<void>((done) => fs.close(this.fd, done));
    }
  }

  const FOPEN_MODES: Set<string> = new Set(['r', 'r+', 'w', 'wx', 'w+', 'wx+', 'a', 'ax', 'a+', 'ax+']);

  export function createStream(path: string, mode: string): Promise<Stream> {
    const flags = mode.replace('b', '');
    if (!FOPEN_MODES.has(flags)) {
      return Promise.reject(new BusinessError(13900020, 'Invalid argument'));
    }
    return call<number>((done) => fs.open(path, flags, 0o666, done)).then((fd) => new Stream(fd));
  }
}

export namespace hash {
  export class HashStream {
    private readonly inner: Hash;

    constructor(algorithm: string) {
      this.inner = nodeCreateHash(algorithm);
    }

    update(data: ArrayBuffer): void {
      this.inner.update(new Uint8Array(data));
    }

    digest(): string {
      return this.inner.digest('hex');
    }
  }

  let nativeCalls = 0;
  let nativeFails = false;

  /** hash.hash(path, algorithm): the file at path streamed through node:crypto; lowercase hex. */
  export function hash(path: string, algorithm: string): Promise<string> {
    nativeCalls++;
    if (!['md5', 'sha1', 'sha256'].includes(algorithm)) {
      return Promise.reject(new BusinessError(13900020, 'Invalid argument'));
    }
    if (nativeFails) {
      return Promise.reject(new BusinessError(13900042, 'Unknown error (host stand-in told to fail)'));
    }
    return new Promise<string>((resolve, reject) => {
      const h = nodeCreateHash(algorithm);
      const input = fs.createReadStream(path);
      input.on('data', (chunk) => h.update(chunk));
      input.on('error', (e) => reject(platformError(e)));
      input.on('end', () => resolve(h.digest('hex')));
    });
  }

  /** Host tests: calls of hash.hash so far. */
  export function hostHashCalls(): number {
    return nativeCalls;
  }

  /** Host tests: make hash.hash fail (13900042) from now on, or not. */
  export function hostFailHash(fail: boolean): void {
    nativeFails = fail;
  }

  export function createHash(algorithm: string): HashStream {
    if (!['md5', 'sha1', 'sha256'].includes(algorithm)) {
      throw new BusinessError(13900020, 'Invalid argument');
    }
    return new HashStream(algorithm);
  }
}

export namespace statfs {
  export function getFreeSize(path: string): Promise<number> {
    return call<fs.StatsFs>((done) => fs.statfs(path, done)).then((s) => s.bavail * s.bsize);
  }
}

// ---- backup: no service on the host ----

function noBackupService(): object {
  return new Proxy({}, {
    get: (_target: object, name: string | symbol): never => {
      throw new Error(`'@ohos.file.backup' (backup.${String(name)}) does not exist on the host: use the mock backup module`);
    },
  });
}

/**
 * The system backup module. On the host every use throws, except where a test has put a fake in place
 * with installHostBackup() (tests of platform/PlatformBackupModule).
 */
export let backup: typeof OfficialBackup = noBackupService() as typeof OfficialBackup;

/** Puts a fake '@ohos.file.backup' in place (undefined: back to none). */
export function installHostBackup(fake: object | undefined): void {
  backup = (fake ?? noBackupService()) as typeof OfficialBackup;
}
