/*
 * Host declaration of the system API '@ohos.file.backup' (full SDK only; @arkts/declarations is built from
 * the public SDK and lacks it). Signatures of the OpenHarmony 5.1 (API 18) surface, written for this
 * project from the SDK reference and the behaviour notes in shared/spec/backup-api.md section 1.
 * Everything is @systemapi, syscap SystemCapability.FileManagement.StorageService.Backup, and needs
 * ohos.permission.BACKUP. A DevEco build uses the full SDK's own file instead of this one.
 */
import type { AsyncCallback, Callback } from '@ohos.base';

declare namespace backup {
  /** @since 10 */
  interface FileMeta {
    bundleName: string;
    uri: string;
  }
  /** @since 10 */
  interface FileData {
    fd: number;
  }
  /** @since 12 */
  interface FileManifestData {
    manifestFd: number;
  }
  /** @since 12 */
  interface BackupParams {
    parameters?: string;
  }
  /** @since 12 */
  interface BackupPriority {
    priority?: number;
  }
  /** @since 12 */
  interface IncrementalBackupTime {
    bundleName: string;
    lastIncrementalTime: number;
  }
  /** @since 12 */
  interface IncrementalBackupData extends IncrementalBackupTime, FileManifestData, BackupParams, BackupPriority {
  }
  /** @since 10; FileManifestData since 12 */
  interface File extends FileMeta, FileData, FileManifestData {
  }
  /** @since 18 */
  type OnBackupSizeReport = (reportInfo: string) => void;

  /** @since 10 */
  function getLocalCapabilities(): Promise<FileData>;
  /** @since 10 */
  function getLocalCapabilities(callback: AsyncCallback<FileData>): void;
  /** @since 12 */
  function getLocalCapabilities(dataList: Array<IncrementalBackupTime>): Promise<FileData>;
  /** @since 12 */
  function getBackupInfo(bundleToBackup: string): string;
  /** @since 12 */
  function updateTimer(bundleName: string, timeout: number): boolean;
  /** @since 12 */
  function updateSendRate(bundleName: string, sendRate: number): boolean;
  /** @since 18 */
  function getBackupVersion(): string;

  /** @since 10 */
  interface GeneralCallbacks {
    onFileReady: AsyncCallback<File>;
    /** err.data since 12 */
    onBundleBegin: AsyncCallback<string, void | string>;
    /** err.data since 12 */
    onBundleEnd: AsyncCallback<string, void | string>;
    onAllBundlesEnd: AsyncCallback<undefined>;
    onBackupServiceDied: Callback<undefined>;
    /** @since 12 */
    onResultReport(bundleName: string, result: string);
    /** @since 12 */
    onProcess(bundleName: string, process: string);
    /** @since 18 */
    onBackupSizeReport?: OnBackupSizeReport;
  }

  /** @since 10 */
  class SessionBackup {
    constructor(callbacks: GeneralCallbacks);
    /** @since 18 */
    getLocalCapabilities(): Promise<FileData>;
    /** @since 18 */
    getBackupDataSize(isPreciseScan: boolean, dataList: Array<IncrementalBackupTime>): Promise<void>;
    /** infos since 12 */
    appendBundles(bundlesToBackup: string[], infos?: string[]): Promise<void>;
    appendBundles(bundlesToBackup: string[], callback: AsyncCallback<void>): void;
    /** @since 12 */
    release(): Promise<void>;
    /** @since 18 */
    cancel(bundleName: string): number;
  }

  /** @since 10 */
  class SessionRestore {
    constructor(callbacks: GeneralCallbacks);
    /** @since 18 */
    getLocalCapabilities(): Promise<FileData>;
    /** infos since 12 */
    appendBundles(remoteCapabilitiesFd: number, bundlesToBackup: string[], infos?: string[]): Promise<void>;
    appendBundles(remoteCapabilitiesFd: number, bundlesToBackup: string[], callback: AsyncCallback<void>): void;
    publishFile(fileMeta: FileMeta): Promise<void>;
    publishFile(fileMeta: FileMeta, callback: AsyncCallback<void>): void;
    getFileHandle(fileMeta: FileMeta): Promise<void>;
    getFileHandle(fileMeta: FileMeta, callback: AsyncCallback<void>): void;
    /** @since 12 */
    release(): Promise<void>;
    /** @since 18 */
    cancel(bundleName: string): number;
  }

  /** @since 12 */
  class IncrementalBackupSession {
    constructor(callbacks: GeneralCallbacks);
    /** @since 18 */
    getLocalCapabilities(): Promise<FileData>;
    /** @since 18 */
    getBackupDataSize(isPreciseScan: boolean, dataList: Array<IncrementalBackupTime>): Promise<void>;
    appendBundles(bundlesToBackup: Array<IncrementalBackupData>): Promise<void>;
    appendBundles(bundlesToAppend: Array<IncrementalBackupData>, infos: string[]): Promise<void>;
    release(): Promise<void>;
    /** @since 18 */
    cancel(bundleName: string): number;
  }
}

export default backup;
