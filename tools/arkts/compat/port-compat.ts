/*
 * Proof that the BackupModule port (entry/src/main/ets/backup/port/BackupModule.ets) mirrors the official
 * '@ohos.file.backup' (tools/stubs/@ohos.file.backup.d.ts): plain TypeScript, checked by check-compat.js
 * as an ordinary TS program (not ArkTS; structural typing is the point here). Nothing runs.
 *
 * 'backup-port' is resolved by check-compat.js to the port (or, under --self-test, to a broken fixture).
 * For every type: the same member names, the same optional members, and values assignable both ways.
 * For the sessions: official instances are port sessions and port sessions are official instances.
 * For the module: every official function is a port member of an assignable type, both ways, and each
 * constructor matches its create* factory.
 */
import backup from '@ohos.file.backup';
import * as port from 'backup-port';

// ---- helpers: each fails with a diagnostic that names the offending member ----

/** Member names in one type and not in the other. */
type KeyDiff<A, B> = Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>;
/** Names of optional members. */
type OptionalKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? K : never }[keyof T];
/** Optional in one type and required in the other. */
type OptionalityDiff<A, B> = Exclude<OptionalKeys<A>, OptionalKeys<B>> | Exclude<OptionalKeys<B>, OptionalKeys<A>>;

/** Compiles only when T is never; otherwise the diagnostic shows the names in T (as the parameter type). */
declare function noNames<T>(names: [T] extends [never] ? 'none' : T): void;
/** Compiles only when a value of type From can be used where To is expected. */
declare function assignable<To>(value: To): void;
declare function value<T>(): T;
/** Parameter list of member K (of its last overload), as a tuple: tuples compare without method bivariance. */
type Params<T, K extends keyof T> = T[K] extends (...args: infer A) => unknown ? A : never;
type Result<T, K extends keyof T> = T[K] extends (...args: never[]) => infer R ? R : never;

// ---- data types ----

assignable<backup.FileMeta>(value<port.FileMeta>());
assignable<port.FileMeta>(value<backup.FileMeta>());
noNames<KeyDiff<port.FileMeta, backup.FileMeta>>('none');
noNames<OptionalityDiff<port.FileMeta, backup.FileMeta>>('none');

assignable<backup.FileData>(value<port.FileData>());
assignable<port.FileData>(value<backup.FileData>());
noNames<KeyDiff<port.FileData, backup.FileData>>('none');
noNames<OptionalityDiff<port.FileData, backup.FileData>>('none');

assignable<backup.FileManifestData>(value<port.FileManifestData>());
assignable<port.FileManifestData>(value<backup.FileManifestData>());
noNames<KeyDiff<port.FileManifestData, backup.FileManifestData>>('none');
noNames<OptionalityDiff<port.FileManifestData, backup.FileManifestData>>('none');

assignable<backup.BackupParams>(value<port.BackupParams>());
assignable<port.BackupParams>(value<backup.BackupParams>());
noNames<KeyDiff<port.BackupParams, backup.BackupParams>>('none');
noNames<OptionalityDiff<port.BackupParams, backup.BackupParams>>('none');

assignable<backup.BackupPriority>(value<port.BackupPriority>());
assignable<port.BackupPriority>(value<backup.BackupPriority>());
noNames<KeyDiff<port.BackupPriority, backup.BackupPriority>>('none');
noNames<OptionalityDiff<port.BackupPriority, backup.BackupPriority>>('none');

assignable<backup.IncrementalBackupTime>(value<port.IncrementalBackupTime>());
assignable<port.IncrementalBackupTime>(value<backup.IncrementalBackupTime>());
noNames<KeyDiff<port.IncrementalBackupTime, backup.IncrementalBackupTime>>('none');
noNames<OptionalityDiff<port.IncrementalBackupTime, backup.IncrementalBackupTime>>('none');

assignable<backup.IncrementalBackupData>(value<port.IncrementalBackupData>());
assignable<port.IncrementalBackupData>(value<backup.IncrementalBackupData>());
noNames<KeyDiff<port.IncrementalBackupData, backup.IncrementalBackupData>>('none');
noNames<OptionalityDiff<port.IncrementalBackupData, backup.IncrementalBackupData>>('none');

assignable<backup.File>(value<port.File>());
assignable<port.File>(value<backup.File>());
noNames<KeyDiff<port.File, backup.File>>('none');
noNames<OptionalityDiff<port.File, backup.File>>('none');

assignable<backup.OnBackupSizeReport>(value<port.OnBackupSizeReport>());
assignable<port.OnBackupSizeReport>(value<backup.OnBackupSizeReport>());

// ---- callbacks ----

assignable<backup.GeneralCallbacks>(value<port.GeneralCallbacks>());
assignable<port.GeneralCallbacks>(value<backup.GeneralCallbacks>());
noNames<KeyDiff<port.GeneralCallbacks, backup.GeneralCallbacks>>('none');
noNames<OptionalityDiff<port.GeneralCallbacks, backup.GeneralCallbacks>>('none');
// Member by member, so a mismatch names the callback (whole-object checks compare methods bivariantly).
assignable<backup.GeneralCallbacks['onFileReady']>(value<port.GeneralCallbacks['onFileReady']>());
assignable<port.GeneralCallbacks['onFileReady']>(value<backup.GeneralCallbacks['onFileReady']>());
assignable<backup.GeneralCallbacks['onBundleBegin']>(value<port.GeneralCallbacks['onBundleBegin']>());
assignable<port.GeneralCallbacks['onBundleBegin']>(value<backup.GeneralCallbacks['onBundleBegin']>());
assignable<backup.GeneralCallbacks['onBundleEnd']>(value<port.GeneralCallbacks['onBundleEnd']>());
assignable<port.GeneralCallbacks['onBundleEnd']>(value<backup.GeneralCallbacks['onBundleEnd']>());
assignable<backup.GeneralCallbacks['onAllBundlesEnd']>(value<port.GeneralCallbacks['onAllBundlesEnd']>());
assignable<port.GeneralCallbacks['onAllBundlesEnd']>(value<backup.GeneralCallbacks['onAllBundlesEnd']>());
assignable<backup.GeneralCallbacks['onBackupServiceDied']>(value<port.GeneralCallbacks['onBackupServiceDied']>());
assignable<port.GeneralCallbacks['onBackupServiceDied']>(value<backup.GeneralCallbacks['onBackupServiceDied']>());
assignable<backup.GeneralCallbacks['onResultReport']>(value<port.GeneralCallbacks['onResultReport']>());
assignable<port.GeneralCallbacks['onResultReport']>(value<backup.GeneralCallbacks['onResultReport']>());
assignable<backup.GeneralCallbacks['onProcess']>(value<port.GeneralCallbacks['onProcess']>());
assignable<port.GeneralCallbacks['onProcess']>(value<backup.GeneralCallbacks['onProcess']>());
assignable<backup.GeneralCallbacks['onBackupSizeReport']>(value<port.GeneralCallbacks['onBackupSizeReport']>());
assignable<port.GeneralCallbacks['onBackupSizeReport']>(value<backup.GeneralCallbacks['onBackupSizeReport']>());

// ---- sessions: official instances are port sessions, and the other way round ----

assignable<port.SessionBackup>(value<backup.SessionBackup>());
assignable<backup.SessionBackup>(value<port.SessionBackup>());
noNames<KeyDiff<port.SessionBackup, backup.SessionBackup>>('none');
noNames<OptionalityDiff<port.SessionBackup, backup.SessionBackup>>('none');

assignable<port.SessionRestore>(value<backup.SessionRestore>());
assignable<backup.SessionRestore>(value<port.SessionRestore>());
noNames<KeyDiff<port.SessionRestore, backup.SessionRestore>>('none');
noNames<OptionalityDiff<port.SessionRestore, backup.SessionRestore>>('none');

assignable<port.IncrementalBackupSession>(value<backup.IncrementalBackupSession>());
assignable<backup.IncrementalBackupSession>(value<port.IncrementalBackupSession>());
noNames<KeyDiff<port.IncrementalBackupSession, backup.IncrementalBackupSession>>('none');
noNames<OptionalityDiff<port.IncrementalBackupSession, backup.IncrementalBackupSession>>('none');

// Methods compare bivariantly (a port method taking a narrower parameter would pass the checks above), so
// their parameter lists and results are compared as tuples as well.
assignable<Params<backup.GeneralCallbacks, 'onResultReport'>>(value<Params<port.GeneralCallbacks, 'onResultReport'>>());
assignable<Params<port.GeneralCallbacks, 'onResultReport'>>(value<Params<backup.GeneralCallbacks, 'onResultReport'>>());
assignable<Params<backup.GeneralCallbacks, 'onProcess'>>(value<Params<port.GeneralCallbacks, 'onProcess'>>());
assignable<Params<port.GeneralCallbacks, 'onProcess'>>(value<Params<backup.GeneralCallbacks, 'onProcess'>>());

assignable<Params<backup.SessionBackup, 'getLocalCapabilities'>>(value<Params<port.SessionBackup, 'getLocalCapabilities'>>());
assignable<Params<port.SessionBackup, 'getLocalCapabilities'>>(value<Params<backup.SessionBackup, 'getLocalCapabilities'>>());
assignable<Params<backup.SessionBackup, 'getBackupDataSize'>>(value<Params<port.SessionBackup, 'getBackupDataSize'>>());
assignable<Params<port.SessionBackup, 'getBackupDataSize'>>(value<Params<backup.SessionBackup, 'getBackupDataSize'>>());
assignable<Params<backup.SessionBackup, 'appendBundles'>>(value<Params<port.SessionBackup, 'appendBundles'>>());
assignable<Params<port.SessionBackup, 'appendBundles'>>(value<Params<backup.SessionBackup, 'appendBundles'>>());
assignable<Params<backup.SessionBackup, 'release'>>(value<Params<port.SessionBackup, 'release'>>());
assignable<Params<port.SessionBackup, 'release'>>(value<Params<backup.SessionBackup, 'release'>>());
assignable<Params<backup.SessionBackup, 'cancel'>>(value<Params<port.SessionBackup, 'cancel'>>());
assignable<Params<port.SessionBackup, 'cancel'>>(value<Params<backup.SessionBackup, 'cancel'>>());
assignable<Result<backup.SessionBackup, 'cancel'>>(value<Result<port.SessionBackup, 'cancel'>>());
assignable<Result<port.SessionBackup, 'cancel'>>(value<Result<backup.SessionBackup, 'cancel'>>());

assignable<Params<backup.SessionRestore, 'getLocalCapabilities'>>(value<Params<port.SessionRestore, 'getLocalCapabilities'>>());
assignable<Params<port.SessionRestore, 'getLocalCapabilities'>>(value<Params<backup.SessionRestore, 'getLocalCapabilities'>>());
assignable<Params<backup.SessionRestore, 'appendBundles'>>(value<Params<port.SessionRestore, 'appendBundles'>>());
assignable<Params<port.SessionRestore, 'appendBundles'>>(value<Params<backup.SessionRestore, 'appendBundles'>>());
assignable<Params<backup.SessionRestore, 'publishFile'>>(value<Params<port.SessionRestore, 'publishFile'>>());
assignable<Params<port.SessionRestore, 'publishFile'>>(value<Params<backup.SessionRestore, 'publishFile'>>());
assignable<Params<backup.SessionRestore, 'getFileHandle'>>(value<Params<port.SessionRestore, 'getFileHandle'>>());
assignable<Params<port.SessionRestore, 'getFileHandle'>>(value<Params<backup.SessionRestore, 'getFileHandle'>>());
assignable<Params<backup.SessionRestore, 'release'>>(value<Params<port.SessionRestore, 'release'>>());
assignable<Params<port.SessionRestore, 'release'>>(value<Params<backup.SessionRestore, 'release'>>());
assignable<Params<backup.SessionRestore, 'cancel'>>(value<Params<port.SessionRestore, 'cancel'>>());
assignable<Params<port.SessionRestore, 'cancel'>>(value<Params<backup.SessionRestore, 'cancel'>>());
assignable<Result<backup.SessionRestore, 'cancel'>>(value<Result<port.SessionRestore, 'cancel'>>());
assignable<Result<port.SessionRestore, 'cancel'>>(value<Result<backup.SessionRestore, 'cancel'>>());

assignable<Params<backup.IncrementalBackupSession, 'getLocalCapabilities'>>(
  value<Params<port.IncrementalBackupSession, 'getLocalCapabilities'>>());
assignable<Params<port.IncrementalBackupSession, 'getLocalCapabilities'>>(
  value<Params<backup.IncrementalBackupSession, 'getLocalCapabilities'>>());
assignable<Params<backup.IncrementalBackupSession, 'getBackupDataSize'>>(
  value<Params<port.IncrementalBackupSession, 'getBackupDataSize'>>());
assignable<Params<port.IncrementalBackupSession, 'getBackupDataSize'>>(
  value<Params<backup.IncrementalBackupSession, 'getBackupDataSize'>>());
assignable<Params<backup.IncrementalBackupSession, 'appendBundles'>>(value<Params<port.IncrementalBackupSession, 'appendBundles'>>());
assignable<Params<port.IncrementalBackupSession, 'appendBundles'>>(value<Params<backup.IncrementalBackupSession, 'appendBundles'>>());
assignable<Params<backup.IncrementalBackupSession, 'release'>>(value<Params<port.IncrementalBackupSession, 'release'>>());
assignable<Params<port.IncrementalBackupSession, 'release'>>(value<Params<backup.IncrementalBackupSession, 'release'>>());
assignable<Params<backup.IncrementalBackupSession, 'cancel'>>(value<Params<port.IncrementalBackupSession, 'cancel'>>());
assignable<Params<port.IncrementalBackupSession, 'cancel'>>(value<Params<backup.IncrementalBackupSession, 'cancel'>>());
assignable<Result<backup.IncrementalBackupSession, 'cancel'>>(value<Result<port.IncrementalBackupSession, 'cancel'>>());
assignable<Result<port.IncrementalBackupSession, 'cancel'>>(value<Result<backup.IncrementalBackupSession, 'cancel'>>());

// ---- module: constructors as factories, functions as members ----

assignable<port.BackupModule['createSessionBackup']>((cb: backup.GeneralCallbacks) => new backup.SessionBackup(cb));
assignable<port.BackupModule['createSessionRestore']>((cb: backup.GeneralCallbacks) => new backup.SessionRestore(cb));
assignable<port.BackupModule['createIncrementalBackupSession']>(
  (cb: backup.GeneralCallbacks) => new backup.IncrementalBackupSession(cb));
assignable<ConstructorParameters<typeof backup.SessionBackup>>(value<Parameters<port.BackupModule['createSessionBackup']>>());
assignable<ConstructorParameters<typeof backup.SessionRestore>>(value<Parameters<port.BackupModule['createSessionRestore']>>());
assignable<ConstructorParameters<typeof backup.IncrementalBackupSession>>(
  value<Parameters<port.BackupModule['createIncrementalBackupSession']>>());

type Official = typeof backup;
/** The module's functions (not its classes). */
type OfficialFunctionNames = { [K in keyof Official]: Official[K] extends abstract new (...args: never[]) => unknown ? never : K }[keyof Official];
/** Port members that stand for the official constructors. */
type FactoryNames = 'createSessionBackup' | 'createSessionRestore' | 'createIncrementalBackupSession';
noNames<Exclude<OfficialFunctionNames, keyof port.BackupModule>>('none');
noNames<Exclude<Exclude<keyof port.BackupModule, FactoryNames>, OfficialFunctionNames>>('none');

assignable<port.BackupModule['getLocalCapabilities']>(backup.getLocalCapabilities);
assignable<Official['getLocalCapabilities']>(value<port.BackupModule['getLocalCapabilities']>());
assignable<port.BackupModule['getBackupInfo']>(backup.getBackupInfo);
assignable<Official['getBackupInfo']>(value<port.BackupModule['getBackupInfo']>());
assignable<port.BackupModule['updateTimer']>(backup.updateTimer);
assignable<Official['updateTimer']>(value<port.BackupModule['updateTimer']>());
assignable<port.BackupModule['updateSendRate']>(backup.updateSendRate);
assignable<Official['updateSendRate']>(value<port.BackupModule['updateSendRate']>());
assignable<port.BackupModule['getBackupVersion']>(backup.getBackupVersion);
assignable<Official['getBackupVersion']>(value<port.BackupModule['getBackupVersion']>());
