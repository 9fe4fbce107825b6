/*
 * A minimal backup service for benchmarks that must not measure the mock: the backup half of the
 * BackupModule port with the service's callback order per bundle (spec 3.2: onBundleBegin -> files ->
 * manage.json last -> onBundleEnd, then onAllBundlesEnd), handing out real read-only fds on files that
 * already exist (sparse files are fine: the bytes are read through the fd like any others).
 *
 * Used by the memory benchmark (1 GiB without generating 1 GiB of content first) and by progress_storm
 * (which drives onProcess by hand through the callbacks the run registered). Not a mock: no scenarios,
 * no timers, no restore; everything else throws.
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
      for (const f of b.files) {
        // A full backup's File carries no manifestFd at run time (spec 1.1).
        const file = { bundleName: id, uri: f.uri, fd: fs.openSync(f.path, 'r') } as File;
        cb.onFileReady(NO_ERROR, file);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      const manage = `${this.workDir}/manage-${id}.json`;
      fs.writeFileSync(manage, manageJson(b));
      const manageFd = fs.openSync(manage, 'r');
      fs.rmSync(manage);
      cb.onFileReady(NO_ERROR, { bundleName: id, uri: 'manage.json', fd: manageFd } as File);
      cb.onBundleEnd(NO_ERROR as BusinessError<string>, id);
    }
    cb.onAllBundlesEnd(NO_ERROR as BusinessError<void>, undefined);
  }
}
