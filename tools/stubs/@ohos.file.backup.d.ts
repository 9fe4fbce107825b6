/*
 * Host declaration of the system API '@ohos.file.backup' (full SDK only; @arkts/declarations is built from
 * the public SDK and lacks it). Signatures of the OpenHarmony 5.1 (API 18) surface, written for this
 * project from the SDK reference and the behaviour notes in shared/spec/backup-api.md section 1.
 *
 * Every member carries the API level that introduced it (`@since`, checked by the host rule sdk-since) and
 * the error codes the SDK documents for it (`@throws`, checked by sdk-throws), as interface_sdk-js declares
 * them at OpenHarmony-v5.0.0-Release (API 12) and OpenHarmony-v5.1.0-Release (API 18); nothing changed in
 * between (v5.0.1 to v5.0.3). When a member's SDK comment has several blocks, the first block's level is
 * the one given (appendBundles with `infos` is documented at 10 first, then again at 12). Everything is
 * @systemapi, syscap SystemCapability.FileManagement.StorageService.Backup, permission ohos.permission.BACKUP.
 * A DevEco build uses the full SDK's own file instead of this one.
 */
import type { AsyncCallback, Callback } from '@ohos.base';

/**
 * @syscap SystemCapability.FileManagement.StorageService.Backup
 * @systemapi
 * @since 10
 */
declare namespace backup {
  /** @since 10 */
  interface FileMeta {
    /** @since 10 */
    bundleName: string;
    /** @since 10 */
    uri: string;
  }
  /** @since 10 */
  interface FileData {
    /** @since 10 */
    fd: number;
  }
  /** @since 12 */
  interface FileManifestData {
    /** @since 12 */
    manifestFd: number;
  }
  /** @since 12 */
  interface BackupParams {
    /** @since 12 */
    parameters?: string;
  }
  /** @since 12 */
  interface BackupPriority {
    /** @since 12 */
    priority?: number;
  }
  /** @since 12 */
  interface IncrementalBackupTime {
    /** @since 12 */
    bundleName: string;
    /** @since 12 */
    lastIncrementalTime: number;
  }
  /** @since 12 */
  interface IncrementalBackupData extends IncrementalBackupTime, FileManifestData, BackupParams, BackupPriority {
  }
  /** @since 10 */
  interface File extends FileMeta, FileData, FileManifestData {
  }
  /** @since 18 */
  type OnBackupSizeReport = (reportInfo: string) => void;

  /**
   * @throws { BusinessError } 201 - no permission
   * @throws { BusinessError } 202 - not a system app
   * @since 18
   */
  function getBackupVersion(): string;
  /**
   * @throws { BusinessError } 13600001 - IPC error
   * @throws { BusinessError } 13900005 - I/O error
   * @throws { BusinessError } 13900011 - out of memory
   * @throws { BusinessError } 13900025 - no space left on device
   * @throws { BusinessError } 13900042 - unknown error
   * @since 10
   */
  function getLocalCapabilities(): Promise<FileData>;
  /**
   * @throws { BusinessError } 13600001 - IPC error
   * @throws { BusinessError } 13900005 - I/O error
   * @throws { BusinessError } 13900011 - out of memory
   * @throws { BusinessError } 13900025 - no space left on device
   * @throws { BusinessError } 13900042 - unknown error
   * @since 10
   */
  function getLocalCapabilities(callback: AsyncCallback<FileData>): void;
  /**
   * @throws { BusinessError } 201 - no permission
   * @throws { BusinessError } 202 - not a system app
   * @throws { BusinessError } 401 - parameter error
   * @throws { BusinessError } 13600001 - IPC error
   * @throws { BusinessError } 13900005 - I/O error
   * @throws { BusinessError } 13900011 - out of memory
   * @throws { BusinessError } 13900025 - no space left on device
   * @throws { BusinessError } 13900042 - unknown error
   * @since 12
   */
  function getLocalCapabilities(dataList: Array<IncrementalBackupTime>): Promise<FileData>;
  /**
   * @throws { BusinessError } 201 - no permission
   * @throws { BusinessError } 202 - not a system app
   * @throws { BusinessError } 401 - parameter error
   * @since 12
   */
  function getBackupInfo(bundleToBackup: string): string;
  /**
   * @throws { BusinessError } 201 - no permission
   * @throws { BusinessError } 202 - not a system app
   * @throws { BusinessError } 401 - parameter error
   * @since 12
   */
  function updateTimer(bundleName: string, timeout: number): boolean;
  /**
   * @throws { BusinessError } 201 - no permission
   * @throws { BusinessError } 202 - not a system app
   * @throws { BusinessError } 401 - parameter error
   * @since 12
   */
  function updateSendRate(bundleName: string, sendRate: number): boolean;

  /** @since 10 */
  interface GeneralCallbacks {
    /**
     * Called with an error: 13600001, 13900005, 13900011, 13900020, 13900025, 13900042.
     * @since 10
     */
    onFileReady: AsyncCallback<File>;
    /**
     * Called with an error: 401, 13500001, 13500002, 13600001, 13900005, 13900011, 13900025, 13900042
     * (err.data since 12).
     * @since 10
     */
    onBundleBegin: AsyncCallback<string, void | string>;
    /**
     * Called with an error: 401, 13500003, 13500004, 13600001, 13900005, 13900011, 13900025, 13900042
     * (err.data since 12).
     * @since 10
     */
    onBundleEnd: AsyncCallback<string, void | string>;
    /**
     * Called with an error: 13600001, 13900005, 13900011, 13900020, 13900025, 13900042.
     * @since 10
     */
    onAllBundlesEnd: AsyncCallback<undefined>;
    /** @since 10 */
    onBackupServiceDied: Callback<undefined>;
    /**
     * @throws { BusinessError } 202 - not a system app
     * @throws { BusinessError } 401 - parameter error
     * @throws { BusinessError } 13600001 - IPC error
     * @throws { BusinessError } 13900005 - I/O error
     * @throws { BusinessError } 13900011 - out of memory
     * @throws { BusinessError } 13900025 - no space left on device
     * @throws { BusinessError } 13900042 - unknown error
     * @since 12
     */
    onResultReport(bundleName: string, result: string);
    /**
     * @throws { BusinessError } 202 - not a system app
     * @throws { BusinessError } 401 - parameter error
     * @throws { BusinessError } 13500006 - tar error
     * @throws { BusinessError } 13500008 - untar error
     * @throws { BusinessError } 13600001 - IPC error
     * @throws { BusinessError } 13900001 - operation not permitted
     * @throws { BusinessError } 13900005 - I/O error
     * @throws { BusinessError } 13900011 - out of memory
     * @throws { BusinessError } 13900020 - invalid argument
     * @throws { BusinessError } 13900025 - no space left on device
     * @since 12
     */
    onProcess(bundleName: string, process: string);
    /** @since 18 */
    onBackupSizeReport?: OnBackupSizeReport;
  }

  /** @since 10 */
  class SessionBackup {
    /** @since 10 */
    constructor(callbacks: GeneralCallbacks);
    /**
     * @throws { BusinessError } 201 - no permission
     * @throws { BusinessError } 202 - not a system app
     * @throws { BusinessError } 13600001 - IPC error
     * @throws { BusinessError } 13900001 - operation not permitted
     * @throws { BusinessError } 13900020 - invalid argument
     * @throws { BusinessError } 13900042 - internal error
     * @since 18
     */
    getLocalCapabilities(): Promise<FileData>;
    /**
     * @throws { BusinessError } 201 - no permission
     * @throws { BusinessError } 202 - not a system app
     * @throws { BusinessError } 401 - parameter error
     * @throws { BusinessError } 13600001 - IPC error
     * @throws { BusinessError } 13900001 - operation not permitted
     * @throws { BusinessError } 13900020 - invalid argument
     * @throws { BusinessError } 13900042 - internal error
     * @since 18
     */
    getBackupDataSize(isPreciseScan: boolean, dataList: Array<IncrementalBackupTime>): Promise<void>;
    /**
     * `infos` since 12.
     * @throws { BusinessError } 13600001 - IPC error
     * @throws { BusinessError } 13900001 - operation not permitted
     * @throws { BusinessError } 13900005 - I/O error
     * @throws { BusinessError } 13900011 - out of memory
     * @throws { BusinessError } 13900020 - invalid argument
     * @throws { BusinessError } 13900025 - no space left on device
     * @throws { BusinessError } 13900042 - unknown error
     * @since 10
     */
    appendBundles(bundlesToBackup: string[], infos?: string[]): Promise<void>;
    /**
     * @throws { BusinessError } 13600001 - IPC error
     * @throws { BusinessError } 13900001 - operation not permitted
     * @throws { BusinessError } 13900005 - I/O error
     * @throws { BusinessError } 13900011 - out of memory
     * @throws { BusinessError } 13900020 - invalid argument
     * @throws { BusinessError } 13900025 - no space left on device
     * @throws { BusinessError } 13900042 - unknown error
     * @since 10
     */
    appendBundles(bundlesToBackup: string[], callback: AsyncCallback<void>): void;
    /**
     * @throws { BusinessError } 201 - no permission
     * @throws { BusinessError } 202 - not a system app
     * @throws { BusinessError } 401 - parameter error
     * @throws { BusinessError } 13600001 - IPC error
     * @throws { BusinessError } 13900001 - operation not permitted
     * @throws { BusinessError } 13900005 - I/O error
     * @throws { BusinessError } 13900042 - unknown error
     * @since 12
     */
    release(): Promise<void>;
    /**
     * @throws { BusinessError } 201 - no permission
     * @throws { BusinessError } 202 - not a system app
     * @throws { BusinessError } 401 - parameter error
     * @since 18
     */
    cancel(bundleName: string): number;
  }

  /** @since 10 */
  class SessionRestore {
    /** @since 10 */
    constructor(callbacks: GeneralCallbacks);
    /**
     * @throws { BusinessError } 201 - no permission
     * @throws { BusinessError } 202 - not a system app
     * @throws { BusinessError } 13600001 - IPC error
     * @throws { BusinessError } 13900001 - operation not permitted
     * @throws { BusinessError } 13900020 - invalid argument
     * @throws { BusinessError } 13900042 - internal error
     * @since 18
     */
    getLocalCapabilities(): Promise<FileData>;
    /**
     * `infos` since 12.
     * @throws { BusinessError } 13600001 - IPC error
     * @throws { BusinessError } 13900001 - operation not permitted
     * @throws { BusinessError } 13900005 - I/O error
     * @throws { BusinessError } 13900011 - out of memory
     * @throws { BusinessError } 13900020 - invalid argument
     * @throws { BusinessError } 13900025 - no space left on device
     * @throws { BusinessError } 13900042 - unknown error
     * @since 10
     */
    appendBundles(remoteCapabilitiesFd: number, bundlesToBackup: string[], infos?: string[]): Promise<void>;
    /**
     * @throws { BusinessError } 13600001 - IPC error
     * @throws { BusinessError } 13900001 - operation not permitted
     * @throws { BusinessError } 13900005 - I/O error
     * @throws { BusinessError } 13900011 - out of memory
     * @throws { BusinessError } 13900020 - invalid argument
     * @throws { BusinessError } 13900025 - no space left on device
     * @throws { BusinessError } 13900042 - unknown error
     * @since 10
     */
    appendBundles(remoteCapabilitiesFd: number, bundlesToBackup: string[], callback: AsyncCallback<void>): void;
    /**
     * @throws { BusinessError } 13600001 - IPC error
     * @throws { BusinessError } 13900001 - operation not permitted
     * @throws { BusinessError } 13900020 - invalid argument
     * @throws { BusinessError } 13900042 - unknown error
     * @since 10
     */
    publishFile(fileMeta: FileMeta): Promise<void>;
    /**
     * @throws { BusinessError } 13600001 - IPC error
     * @throws { BusinessError } 13900001 - operation not permitted
     * @throws { BusinessError } 13900020 - invalid argument
     * @throws { BusinessError } 13900042 - unknown error
     * @since 10
     */
    publishFile(fileMeta: FileMeta, callback: AsyncCallback<void>): void;
    /**
     * @throws { BusinessError } 13600001 - IPC error
     * @throws { BusinessError } 13900001 - operation not permitted
     * @throws { BusinessError } 13900020 - invalid argument
     * @throws { BusinessError } 13900042 - unknown error
     * @since 10
     */
    getFileHandle(fileMeta: FileMeta): Promise<void>;
    /**
     * @throws { BusinessError } 13600001 - IPC error
     * @throws { BusinessError } 13900001 - operation not permitted
     * @throws { BusinessError } 13900020 - invalid argument
     * @throws { BusinessError } 13900042 - unknown error
     * @since 10
     */
    getFileHandle(fileMeta: FileMeta, callback: AsyncCallback<void>): void;
    /**
     * @throws { BusinessError } 201 - no permission
     * @throws { BusinessError } 202 - not a system app
     * @throws { BusinessError } 401 - parameter error
     * @throws { BusinessError } 13600001 - IPC error
     * @throws { BusinessError } 13900001 - operation not permitted
     * @throws { BusinessError } 13900005 - I/O error
     * @throws { BusinessError } 13900042 - unknown error
     * @since 12
     */
    release(): Promise<void>;
    /**
     * @throws { BusinessError } 201 - no permission
     * @throws { BusinessError } 202 - not a system app
     * @throws { BusinessError } 401 - parameter error
     * @since 18
     */
    cancel(bundleName: string): number;
  }

  /** @since 12 */
  class IncrementalBackupSession {
    /**
     * @throws { BusinessError } 201 - no permission
     * @throws { BusinessError } 202 - not a system app
     * @throws { BusinessError } 401 - parameter error
     * @since 12
     */
    constructor(callbacks: GeneralCallbacks);
    /**
     * @throws { BusinessError } 201 - no permission
     * @throws { BusinessError } 202 - not a system app
     * @throws { BusinessError } 13600001 - IPC error
     * @throws { BusinessError } 13900001 - operation not permitted
     * @throws { BusinessError } 13900020 - invalid argument
     * @throws { BusinessError } 13900042 - internal error
     * @since 18
     */
    getLocalCapabilities(): Promise<FileData>;
    /**
     * @throws { BusinessError } 201 - no permission
     * @throws { BusinessError } 202 - not a system app
     * @throws { BusinessError } 401 - parameter error
     * @throws { BusinessError } 13600001 - IPC error
     * @throws { BusinessError } 13900001 - operation not permitted
     * @throws { BusinessError } 13900020 - invalid argument
     * @throws { BusinessError } 13900042 - internal error
     * @since 18
     */
    getBackupDataSize(isPreciseScan: boolean, dataList: Array<IncrementalBackupTime>): Promise<void>;
    /**
     * @throws { BusinessError } 201 - no permission
     * @throws { BusinessError } 202 - not a system app
     * @throws { BusinessError } 401 - parameter error
     * @throws { BusinessError } 13600001 - IPC error
     * @throws { BusinessError } 13900001 - operation not permitted
     * @throws { BusinessError } 13900005 - I/O error
     * @throws { BusinessError } 13900011 - out of memory
     * @throws { BusinessError } 13900025 - no space left on device
     * @throws { BusinessError } 13900042 - unknown error
     * @since 12
     */
    appendBundles(bundlesToBackup: Array<IncrementalBackupData>): Promise<void>;
    /**
     * @throws { BusinessError } 201 - no permission
     * @throws { BusinessError } 202 - not a system app
     * @throws { BusinessError } 401 - parameter error
     * @throws { BusinessError } 13600001 - IPC error
     * @throws { BusinessError } 13900001 - operation not permitted
     * @throws { BusinessError } 13900005 - I/O error
     * @throws { BusinessError } 13900011 - out of memory
     * @throws { BusinessError } 13900025 - no space left on device
     * @throws { BusinessError } 13900042 - unknown error
     * @since 12
     */
    appendBundles(bundlesToAppend: Array<IncrementalBackupData>, infos: string[]): Promise<void>;
    /**
     * @throws { BusinessError } 201 - no permission
     * @throws { BusinessError } 202 - not a system app
     * @throws { BusinessError } 401 - parameter error
     * @throws { BusinessError } 13600001 - IPC error
     * @throws { BusinessError } 13900001 - operation not permitted
     * @throws { BusinessError } 13900005 - I/O error
     * @throws { BusinessError } 13900042 - unknown error
     * @since 12
     */
    release(): Promise<void>;
    /**
     * @throws { BusinessError } 201 - no permission
     * @throws { BusinessError } 202 - not a system app
     * @throws { BusinessError } 401 - parameter error
     * @since 18
     */
    cancel(bundleName: string): number;
  }
}

export default backup;
