/*
 * A minimal backup service for benchmarks that must not measure the mock: the backup half of the
 * BackupModule port with the service's callback order per bundle (spec 3.2: onBundleBegin -> files ->
 * manage.json last -> onBundleEnd, then onAllBundlesEnd), handing out real read-only fds on files that
 * already exist (sparse files are fine: the bytes are read through the fd like any others).
 *
 * Used by the memory benchmark (1 GiB without generating 1 GiB of content first), by small_files (10,000
 * small files; prepare() opens every fd before the timed run, so the service's own opening is not charged
 * to the engine) and by progress_storm (which drives onProcess by hand through the callbacks the run
 * registered). Not a mock: no scenarios, no timers, no restore; everything else throws.
 */
import * as fs from 'node:fs';
import type { AsyncCallback, BusinessError } from '@ohos.base';
import {
  BackupModule, File, FileData, GeneralCallbacks, IncrementalBackupSession, IncrementalBackupTime, SessionBackup,
  SessionRestore
} from '../../entry/src/main/ets/backup/port/BackupModule';

export class StubFile {
  readonly uri: string;
  readonly path: string;
  readonly size: number;

  constructor(uri: string, path: string, size: number) {
    this.uri = uri;
    this.path = path;
    this.size = size;
  }
}

export class StubBundle {
  readonly id: string;
  readonly files: StubFile[];

  constructor(id: string, files: StubFile[]) {
    this.id = id;
    this.files = files;
  }

  bytes(): number {
    return this.files.reduce((n, f) => n + f.size, 0);
  }
}

/** Creates a sparse file of the given size (no data blocks; reads return zeros). */
export function sparseFile(path: string, size: number): void {
  const fd = fs.openSync(path, 'w');
  try {
    fs.ftruncateSync(fd, size);
  } finally {
    fs.closeSync(fd);
  }
}

/** The service's "no error" (callbacks get undefined; the port's types say BusinessError). */
const NO_ERROR = undefined as unknown as BusinessError;

function unsupported(what: string): Error {
  const e = new Error(`StubBackupService: ${what} is not simulated`) as Error & { code: number };
  e.code = 801;
  return e;
}

function capsJson(bundles: StubBundle[]): string {
  const infos = bundles.map((b) => ({
    allToBackup: true, appIndex: 0, extensionName: 'BackupExtensionAbility', extraInfo: { supportScene: [] },
    fullBackupOnly: false, name: b.id, requireCompatibility: false, restoreDeps: '', spaceOccupied: b.bytes(),
    supportScene: '', versionCode: 1, versionName: '1.0.0',
  }));
  return JSON.stringify({
    backupVersion: '26', bundleInfos: infos, deviceType: 'default', increAppIndex: true,
    systemFullName: 'OpenHarmony-6.0.0.0',
  }, null, '\t');
}

function manageJson(b: StubBundle): string {
  return JSON.stringify(b.files.map((f) => ({
    fileName: f.uri,
    information: { path: `/data/storage/el2/base/files/${f.uri}`, stat: { st_size: f.size } },
    isBigFile: true,
    isUserTar: false,
  })), null, '\t');
}

class StubSessionBackup implements SessionBackup {
  private readonly service: StubBackupService;

  constructor(service: StubBackupService) {
    this.service = service;
  }

  getLocalCapabilities(): Promise<FileData> {
    return this.service.getLocalCapabilities();
  }

  getBackupDataSize(isPreciseScan: boolean, dataList: Array<IncrementalBackupTime>): Promise<void> {
    return Promise.reject(unsupported('getBackupDataSize'));
  }

  appendBundles(bundlesToBackup: string[], arg?: string[] | AsyncCallback<void>): Promise<void> {
    if (typeof arg === 'function') {
      throw unsupported('appendBundles with a callback');
    }
    this.service.append(bundlesToBackup);
    return Promise.resolve();
  }

  release(): Promise<void> {
    this.service.released = true;
    return Promise.resolve();
  }

  cancel(bundleName: string): number {
    return 13500012;
  }
}

export class StubBackupService implements BackupModule {
  readonly bundles: Map<string, StubBundle> = new Map<string, StubBundle>();
  /** The callbacks of the last session created (progress_storm calls them directly). */
  callbacks: GeneralCallbacks | undefined = undefined;
  /** When false, appendBundles only records the ids: the caller drives every callback itself. */
  deliver: boolean;
  appended: string[] = [];
  released: boolean = false;
  private readonly workDir: string;
  private capsSerial: number = 0;
  /** Fds opened by prepare() and not handed out yet: per bundle, its files' fds in order, then manage.json's. */
  private readonly prepared: Map<string, number[]> = new Map<string, number[]>();

  constructor(workDir: string, bundles: StubBundle[], deliver: boolean) {
    this.workDir = workDir;
    this.deliver = deliver;
    for (const b of bundles) {
      this.bundles.set(b.id, b);
    }
  }

  createSessionBackup(callbacks: GeneralCallbacks): SessionBackup {
    this.callbacks = callbacks;
    return new StubSessionBackup(this);
  }

  createSessionRestore(callbacks: GeneralCallbacks): SessionRestore {
    throw unsupported('restore');
  }

  createIncrementalBackupSession(callbacks: GeneralCallbacks): IncrementalBackupSession {
    throw unsupported('incremental backup');
  }

  getLocalCapabilities(arg?: AsyncCallback<FileData> | Array<IncrementalBackupTime>): Promise<FileData> {
    if (arg !== undefined) {
      throw unsupported('getLocalCapabilities with arguments');
    }
    this.capsSerial++;
    const path = `${this.workDir}/caps-${this.capsSerial}.json`;
    fs.writeFileSync(path, capsJson(Array.from(this.bundles.values())));
    const fd = fs.openSync(path, 'r');
    fs.rmSync(path);
    return Promise.resolve({ fd });
  }

  getBackupInfo(bundleToBackup: string): string {
    return '';
  }

  updateTimer(bundleName: string, timeout: number): boolean {
    return true;
  }

  updateSendRate(bundleName: string, sendRate: number): boolean {
    return true;
  }

  getBackupVersion(): string {
    return '{"backupVersion" : "26"}';
  }

  /**
   * Opens every fd the next delivery hands out (each bundle's files, then its manage.json) now, so that a
   * timed run does not include the service's own work of opening them. Returns false, with nothing left
   * open, when the process cannot hold that many fds (EMFILE/ENFILE): delivery then opens each fd when it
   * hands it out, as without prepare().
   */
  prepare(): boolean {
    try {
      for (const b of this.bundles.values()) {
        const fds: number[] = [];
        this.prepared.set(b.id, fds);
        for (const f of b.files) {
          fds.push(fs.openSync(f.path, 'r'));
        }
        fds.push(this.manageFd(b));
      }
      return true;
    } catch (e) {
      this.dispose();
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EMFILE' || code === 'ENFILE') {
        return false;
      }
      throw e;
    }
  }

  /** Closes the fds prepare() opened that were never handed out. */
  dispose(): void {
    for (const fds of this.prepared.values()) {
      for (const fd of fds) {
        fs.closeSync(fd);
      }
    }
    this.prepared.clear();
  }

  append(ids: string[]): void {
    this.appended.push(...ids);
    if (this.deliver) {
      setImmediate(() => {
        this.deliverAll(ids).catch((e: Error) => {
          process.stderr.write(`StubBackupService: delivery failed: ${e.message}\n`);
        });
      });
    }
  }

  /** Bundles one after the other, like a service with one extension slot. */
  private async deliverAll(ids: string[]): Promise<void> {
    const cb = this.callbacks as GeneralCallbacks;
    for (const id of ids) {
      const b = this.bundles.get(id);
      if (b === undefined) {
        const err = Object.assign(new Error('SA the bundle info for backup/restore is empty'),
          { code: 13500005, data: id });
        cb.onBundleBegin(err as BusinessError<string>, id);
        continue;
      }
      cb.onBundleBegin(NO_ERROR as BusinessError<string>, id);
      const ready = this.prepared.get(id);
      this.prepared.delete(id);
      for (let i = 0; i < b.files.length; i++) {
        const f = b.files[i];
        // A full backup's File carries no manifestFd at run time (spec 1.1).
        const fd = ready !== undefined ? ready[i] : fs.openSync(f.path, 'r');
        cb.onFileReady(NO_ERROR, { bundleName: id, uri: f.uri, fd } as File);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      const manageFd = ready !== undefined ? ready[b.files.length] : this.manageFd(b);
      cb.onFileReady(NO_ERROR, { bundleName: id, uri: 'manage.json', fd: manageFd } as File);
      cb.onBundleEnd(NO_ERROR as BusinessError<string>, id);
    }
    cb.onAllBundlesEnd(NO_ERROR as BusinessError<void>, undefined);
  }

  /** A read-only fd on the bundle's manage.json (an unlinked file). */
  private manageFd(b: StubBundle): number {
    const manage = `${this.workDir}/manage-${b.id}.json`;
    fs.writeFileSync(manage, manageJson(b));
    const fd = fs.openSync(manage, 'r');
    fs.rmSync(manage);
    return fd;
  }
}
