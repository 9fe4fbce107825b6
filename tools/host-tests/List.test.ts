// Host-only hypium suites: tests that need npm libraries (fast-check) or Node itself, so they cannot run
// as DevEco local tests. They run in the same hypium run as entry/src/test/List.test.ets.
import nodeFileStoreTests from './NodeFileStore.test';
import capsFuzzTests from './CapsFuzz.test';
import symlinkTests from './Symlinks.test';
import repoLinkTests from './RepoLinks.test';
import cliTests from './Cli.test';
import bundleLabelsTests from './BundleLabels.test';
import backgroundTaskTests from './BackgroundTask.test';
import permissionStateTests from './PermissionState.test';
import benchTests from './Bench.test';
import createExclusiveTests from './CreateExclusive.test';
import cliLockTests from './CliLock.test';
import platformCryptoTests from './PlatformCrypto.test';
import encryptedCliTests from './EncryptedCli.test';
import encryptedCliCommandsTests from './EncryptedCliCommands.test';
import cliIncrementalTests from './CliIncremental.test';
import volumesTests from './Volumes.test';
import cliMirrorTests from './CliMirror.test';
import cliArchiveTests from './CliArchive.test';
import encryptedMirrorTests from './EncryptedMirror.test';
import encryptedArchiveTests from './EncryptedArchive.test';
import encryptedImportTests from './EncryptedImport.test';
import fileAccessFileStoreTests from './FileAccessFileStore.test';
import archiveTarTests from './ArchiveTar.test';
import legacyLinkTests from './LegacyLinks.test';
import fsCopyRunnerTests from './FsCopyRunner.test';
import scheduleRegistrationTests from './ScheduleRegistration.test';
import fsByteChannelTests from './FsByteChannel.test';

export default function hostTestsuite(): void {
  nodeFileStoreTests();
  capsFuzzTests();
  symlinkTests();
  repoLinkTests();
  cliTests();
  bundleLabelsTests();
  backgroundTaskTests();
  permissionStateTests();
  benchTests();
  createExclusiveTests();
  cliLockTests();
  volumesTests();
  cliMirrorTests();
  cliArchiveTests();
  encryptedMirrorTests();
  encryptedArchiveTests();
  encryptedImportTests();
  fileAccessFileStoreTests();
  archiveTarTests();
  legacyLinkTests();
  platformCryptoTests();
  encryptedCliTests();
  encryptedCliCommandsTests();
  cliIncrementalTests();
  fsCopyRunnerTests();
  scheduleRegistrationTests();
  fsByteChannelTests();
}
