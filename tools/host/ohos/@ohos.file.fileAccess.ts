/*
 * Host stand-in for the system API '@ohos.file.fileAccess' (the members declared in
 * tools/stubs/@ohos.file.fileAccess.d.ts), so platform/FileAccessFileStore.ets runs on Node with the
 * FileStore contract suite.
 *
 * The simulated external-storage provider serves this machine's whole file system under HOST_ROOT_URI
 * ('file://docs'): 'file://docs' + a path whose components are percent-encoded is that path. getRoots()
 * lists that root first, then one root per mounted removable volume of the simulated storage manager
 * (tools/host/ohos/@ohos.file.volumeManager.ts), at the uri of its mount path.
 * It behaves as the provider does where the host can tell: createFile and mkDir fail with 13900015 when
 * the name is taken, rename and move never replace anything (13900015), delete removes a folder with
 * everything in it, openFile returns a plain fd (READ, WRITE, WRITE_READ; no create, no truncate),
 * getFileInfoFromUri gives mode (DocumentFlag bits), size and mtime in seconds, listFile lists in
 * directory order (unsorted). Errors are BusinessError-shaped with @ohos.file.fs's codes (errno e ->
 * 13900000 + its index, as tools/host/ohos/@kit.CoreFileKit.ts maps them); a uri outside the root is
 * 14300002. createFileAccessHelper checks the caller like the system: not a system app -> 202,
 * FILE_ACCESS_MANAGER or GET_BUNDLE_INFO_PRIVILEGED not granted -> 201.
 *
 * Faults for tests (hostFileAccess): `goneAfter(n)`: after n more calls the volume is pulled out and
 * every helper call fails with 13900017 (no such device); `back()` plugs it in again. `calls` counts
 * calls. (Fds already open keep working: closing them behind their owner's back would let the numbers be
 * reused by other opens of the test process.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { businessError, CODE_NOT_SYSTEM_APP, CODE_PERMISSION_DENIED, hostDevice } from '../HostDevice';
import { hostVolumes } from '@ohos.file.volumeManager';

export const HOST_ROOT_URI = 'file://docs';
export const PERMISSION_FILE_ACCESS_MANAGER = 'ohos.permission.FILE_ACCESS_MANAGER';
export const PERMISSION_GET_BUNDLE_INFO_PRIVILEGED = 'ohos.permission.GET_BUNDLE_INFO_PRIVILEGED';

const ERRNOS = ['EPERM', 'ENOENT', 'ESRCH', 'EINTR', 'EIO', 'ENXIO', 'E2BIG', 'EBADF', 'ECHILD', 'EAGAIN', 'ENOMEM',
  'EACCES', 'EFAULT', 'EBUSY', 'EEXIST', 'EXDEV', 'ENODEV', 'ENOTDIR', 'EISDIR', 'EINVAL', 'ENFILE', 'EMFILE',
  'ETXTBSY', 'EFBIG', 'ENOSPC', 'ESPIPE', 'EROFS', 'EMLINK', 'EDEADLK', 'ENAMETOOLONG', 'ENOSYS', 'ENOTEMPTY',
  'ELOOP', 'EWOULDBLOCK', 'EBADR', 'ENOSTR', 'ENODATA', 'EOVERFLOW', 'EBADFD', 'ERESTART', 'EDQUOT'];
const FILE_EXISTS = 13900015;
const NO_SUCH_DEVICE = 13900017;
const INVALID_URI = 14300002;

function platformError(e: unknown): Error {
  const err = e as { code?: unknown; message?: unknown };
  const i = typeof err?.code === 'string' ? ERRNOS.indexOf(err.code) : -1;
  return businessError(i >= 0 ? 13900001 + i : 13900042, typeof err?.message === 'string' ? err.message : String(e));
}

enum OPENFLAGS {
  READ = 0o0,
  WRITE = 0o1,
  WRITE_READ = 0o2,
}

enum DocumentFlag {
  REPRESENTS_FILE = 1,
  REPRESENTS_DIR = 1 << 1,
  SUPPORTS_READ = 1 << 2,
  SUPPORTS_WRITE = 1 << 3,
}

export class HostFileAccess {
  /** Calls made to helpers (any method). */
  calls = 0;
  private gone = false;
  private goneAt = -1;

  reset(): void {
    this.calls = 0;
    this.gone = false;
    this.goneAt = -1;
  }

  /** After n more calls the volume is pulled out (n = 0: now). */
  goneAfter(n: number): void {
    this.goneAt = this.calls + n;
    if (n === 0) {
      this.pull();
    }
  }

  back(): void {
    this.gone = false;
    this.goneAt = -1;
  }

  isGone(): boolean {
    return this.gone;
  }

  /** Counts a call; fails it when the volume is gone. */
  enter(): void {
    this.calls++;
    if (this.goneAt >= 0 && this.calls > this.goneAt) {
      this.pull();
    }
    if (this.gone) {
      throw businessError(NO_SUCH_DEVICE, 'No such device');
    }
  }

  private pull(): void {
    this.gone = true;
    this.goneAt = -1;
  }
}

export const hostFileAccess = new HostFileAccess();

/** The host path of a uri under the root; 14300002 for anything else. */
function pathOf(uri: string): string {
  if (typeof uri !== 'string' || (uri !== HOST_ROOT_URI && !uri.startsWith(`${HOST_ROOT_URI}/`))) {
    throw businessError(INVALID_URI, `Invalid uri: ${String(uri)}`);
  }
  const rest = uri.substring(HOST_ROOT_URI.length).split('/').filter((p) => p !== '').map((p) => decodeURIComponent(p));
  return `/${rest.join('/')}`;
}

function uriOf(p: string): string {
  const parts = p.split('/').filter((x) => x !== '');
  return parts.length === 0 ? HOST_ROOT_URI : `${HOST_ROOT_URI}/${parts.map((x) => encodeURIComponent(x)).join('/')}`;
}

function run<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      hostFileAccess.enter();
      resolve(work());
    } catch (e) {
      reject(typeof (e as { code?: unknown }).code === 'number' ? e : platformError(e));
    }
  });
}

class HostFileInfo {
  uri: string;
  relativePath: string;
  fileName: string;
  mode: number;
  size: number;
  mtime: number;
  mimeType = '';
  private readonly hostPath: string;

  constructor(p: string, st: fs.Stats) {
    this.hostPath = p;
    this.uri = uriOf(p);
    this.relativePath = path.posix.dirname(p);
    this.fileName = path.posix.basename(p);
    this.mode = (st.isDirectory() ? DocumentFlag.REPRESENTS_DIR : DocumentFlag.REPRESENTS_FILE) |
      DocumentFlag.SUPPORTS_READ | DocumentFlag.SUPPORTS_WRITE;
    this.size = st.size;
    this.mtime = Math.floor(st.mtimeMs / 1000);
  }

  listFile(): { next(): { value: HostFileInfo; done: boolean } } {
    try {
      hostFileAccess.enter();
      const names = fs.readdirSync(this.hostPath);
      let i = 0;
      return {
        next: () => {
          if (i >= names.length) {
            return { value: undefined as unknown as HostFileInfo, done: true };
          }
          const p = path.posix.join(this.hostPath, names[i++]);
          return { value: new HostFileInfo(p, fs.lstatSync(p)), done: false };
        },
      };
    } catch (e) {
      throw typeof (e as { code?: unknown }).code === 'number' ? e : platformError(e);
    }
  }
}

function taken(p: string): void {
  if (fs.existsSync(p)) {
    throw businessError(FILE_EXISTS, `File exists: ${p}`);
  }
}

class HostFileAccessHelper {
  openFile(uri: string, flags: number): Promise<number> {
    return run(() => {
      const mode = flags === OPENFLAGS.WRITE ? fs.constants.O_WRONLY : flags === OPENFLAGS.WRITE_READ ?
        fs.constants.O_RDWR : fs.constants.O_RDONLY;
      return fs.openSync(pathOf(uri), mode);
    });
  }

  createFile(uri: string, displayName: string): Promise<string> {
    return run(() => {
      const p = path.posix.join(pathOf(uri), displayName);
      fs.closeSync(fs.openSync(p, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o644));
      return uriOf(p);
    });
  }

  mkDir(parentUri: string, displayName: string): Promise<string> {
    return run(() => {
      const p = path.posix.join(pathOf(parentUri), displayName);
      fs.mkdirSync(p);
      return uriOf(p);
    });
  }

  delete(uri: string): Promise<number> {
    return run(() => {
      const p = pathOf(uri);
      fs.lstatSync(p);   // ENOENT when nothing is there
      fs.rmSync(p, { recursive: true, force: true });
      return 0;
    });
  }

  move(sourceFile: string, destFile: string): Promise<string> {
    return run(() => {
      const from = pathOf(sourceFile);
      const to = path.posix.join(pathOf(destFile), path.posix.basename(from));
      fs.lstatSync(from);
      taken(to);
      fs.renameSync(from, to);
      return uriOf(to);
    });
  }

  rename(uri: string, displayName: string): Promise<string> {
    return run(() => {
      const from = pathOf(uri);
      const to = path.posix.join(path.posix.dirname(from), displayName);
      fs.lstatSync(from);
      taken(to);
      fs.renameSync(from, to);
      return uriOf(to);
    });
  }

  access(sourceFileUri: string): Promise<boolean> {
    return run(() => fs.existsSync(pathOf(sourceFileUri)));
  }

  getFileInfoFromUri(uri: string): Promise<HostFileInfo> {
    return run(() => {
      const p = pathOf(uri);
      return new HostFileInfo(p, fs.lstatSync(p));
    });
  }

  getRoots(): Promise<{ next(): { value: object; done: boolean } }> {
    return run(() => {
      const roots: object[] = [{ deviceType: 1, uri: HOST_ROOT_URI, relativePath: '/', displayName: 'host', deviceFlags: 0 }];
      for (const v of hostVolumes.volumes) {
        if (v.removable && v.state === 2) {
          roots.push({ deviceType: 2, uri: uriOf(v.path), relativePath: `${v.path}/`, displayName: v.description,
            deviceFlags: 0 });
        }
      }
      let i = 0;
      return {
        next: () => (i < roots.length ? { value: roots[i++], done: false } : { value: {}, done: true }),
      };
    });
  }
}

function createFileAccessHelper(context: object): HostFileAccessHelper {
  if (!hostDevice.systemApp) {
    throw businessError(CODE_NOT_SYSTEM_APP, 'The caller is not a system application.');
  }
  if (!hostDevice.isGranted(PERMISSION_FILE_ACCESS_MANAGER) || !hostDevice.isGranted(PERMISSION_GET_BUNDLE_INFO_PRIVILEGED)) {
    throw businessError(CODE_PERMISSION_DENIED, 'Permission verification failed.');
  }
  return new HostFileAccessHelper();
}

const fileAccess = { createFileAccessHelper, OPENFLAGS, DocumentFlag };
export default fileAccess;
