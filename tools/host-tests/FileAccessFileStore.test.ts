/*
 * platform/FileAccessFileStore (and platform/FsByteChannel) on the host stand-in of '@ohos.file.fileAccess'
 * (tools/host/ohos/@ohos.file.fileAccess.ts): the whole FileStore contract and the createExclusive
 * contract, as FsFileStore's run on Node; what the system refuses; and a repository on it: mirrored to,
 * the volume pulled out mid-mirror (the target keeps whole sets, the error says the volume is gone), the
 * mirror resumed when it is back; an archive split below FAT's limit written there and read back.
 */
import { afterEach, beforeEach, describe, expect, it } from '@ohos/hypium';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fileAccess, {
  HOST_ROOT_URI, hostFileAccess, PERMISSION_FILE_ACCESS_MANAGER, PERMISSION_GET_BUNDLE_INFO_PRIVILEGED
} from '@ohos.file.fileAccess';
import { hostDevice } from '../host/HostDevice';
import { NodeFileStore } from '../host/NodeFileStore';
import { NodeByteChannel } from '../host/NodeByteChannel';
import { FileStore, FileStoreError, StoreErrorKind } from '../../entry/src/main/ets/backup/port/FileStore';
import { ManualClock } from '../../entry/src/main/ets/backup/port/Clock';
import { SilentLogger } from '../../entry/src/main/ets/backup/port/Logger';
import { BundleOutcome, SetStoreError } from '../../entry/src/main/ets/backup/model/SetManifest';
import { Mirror } from '../../entry/src/main/ets/backup/repo/Mirror';
import { Repository } from '../../entry/src/main/ets/backup/repo/Repository';
import type { HeldLock } from '../../entry/src/main/ets/backup/repo/RepoLocks';
import { VerifyOptions } from '../../entry/src/main/ets/backup/repo/RepoVerifier';
import { WriterStart } from '../../entry/src/main/ets/backup/repo/RepoWriter';
import { AppEntry } from '../../entry/src/main/ets/backup/repo/SnapshotManifest';
import { ArchiveReader } from '../../entry/src/main/ets/backup/archive/ArchiveReader';
import { ArchiveSelection, ArchiveWriteOptions, ArchiveWriter } from '../../entry/src/main/ets/backup/archive/ArchiveWriter';
import { FileAccessFileStore } from '../../entry/src/main/ets/platform/FileAccessFileStore';
import { FsByteChannel } from '../../entry/src/main/ets/platform/FsByteChannel';
import { DocumentPickerFiles } from '../../entry/src/main/ets/platform/DocumentPickerFiles';
import { hostPicker } from '@ohos.file.picker';
import { VolumeManagerVolumes } from '../../entry/src/main/ets/platform/VolumeManagerVolumes';
import { fileAccessHelper, volumeFileStore } from '../../entry/src/main/ets/platform/VolumeFileStores';
import { FAT_FILE_LIMIT, VolumesError } from '../../entry/src/main/ets/backup/port/Volumes';
import { hostVolumes, PERMISSION_STORAGE_MANAGER } from '@ohos.file.volumeManager';
import { fileStoreContract } from '../../entry/src/test/store/FileStoreContract.test';
import { createExclusiveContract } from '../../entry/src/test/store/CreateExclusiveContract.test';
import { manageJson } from '../../entry/src/test/sets/SetTestKit';
import { rejectionOf, resetHost } from './AdapterKit';

const FREE = 123456789;
/** A mirror of the three sets below makes a few hundred helper calls (blobs/ is looked at once per blob store, not
 *  at each blob folder); this pulls the volume after the first set (the test passes from about 165 to 198). */
const PULL_AFTER_CALLS = 180;

function grant(): void {
  hostDevice.granted.add(PERMISSION_FILE_ACCESS_MANAGER);
  hostDevice.granted.add(PERMISSION_GET_BUNDLE_INFO_PRIVILEGED);
}

let shared: FileAccessFileStore | undefined = undefined;

function store(): FileAccessFileStore {
  if (shared === undefined) {
    grant();
    shared = new FileAccessFileStore(fileAccess.createFileAccessHelper({}), HOST_ROOT_URI, async () => FREE);
  }
  return shared;
}

function scratch(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `bm-fa-${label}-`));
}

function verifyFull(): VerifyOptions {
  const o = new VerifyOptions();
  o.full = true;
  return o;
}

/** A repository at root (through files) with n sets of two apps; returns the set ids. */
async function sourceRepo(root: string, files: FileStore, n: number): Promise<string[]> {
  const clock = new ManualClock(Date.UTC(2026, 6, 1));
  const repo = new Repository(files, root, new SilentLogger(), { clock });
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const session = await repo.lock('test');
    try {
      const start = new WriterStart();
      start.apps = ['com.example.notes', 'com.example.maps'];
      const w = await session.openWriter(start);
      await w.storeCapabilitiesText(`{"bundleInfos": [], "n": ${i}}`);
      for (const app of start.apps) {
        const texts: [string, string][] = [['part.0.tar', `${app} copy ${i} `.repeat(200 + i)],
          ['manage.json', manageJson(['part.0.tar'])]];
        for (const [uri, text] of texts) {
          const src = path.join(root, '..', `src-${i}-${app}-${uri}`);
          fs.writeFileSync(src, text);
          const fd = fs.openSync(src, 'r');
          try {
            await w.storeFile(app, uri, fd);
          } finally {
            fs.closeSync(fd);
          }
        }
        const e = new AppEntry();
        e.id = app;
        e.name = app;
        e.outcome = BundleOutcome.DONE;
        await w.finishApp(e);
      }
      ids.push((await w.commit()).summary.id);
      await clock.advance(1000);
    } finally {
      await session.release();
    }
  }
  return ids;
}

/**
 * A repository over files at root. Its lock is always granted: the lock a pulled-out volume keeps is the
 * store lock's business (taken over once stale), which would make this test wait for real.
 */
function repoOn(files: FileStore, root: string): Repository {
  return new Repository(files, root, new SilentLogger(), {
    clock: new ManualClock(Date.UTC(2026, 6, 2)),
    locker: async (owner: string): Promise<HeldLock> => ({ release: async () => undefined, verifyHeld: async () => undefined }),
  });
}

export default function fileAccessFileStoreTests(): void {
  fileStoreContract('FileAccessFileStoreContractOnHost', () => store());
  createExclusiveContract('FileAccessFileStoreCreateExclusiveOnHost', () => store());

  describe('FileAccessFileStore', () => {
    beforeEach(() => {
      hostFileAccess.reset();
      grant();
    });

    afterEach(() => {
      hostFileAccess.reset();
      resetHost();
    });

    it('theHelperNeedsASystemAppWithBothPermissions', 0, async () => {
      hostDevice.granted.delete(PERMISSION_GET_BUNDLE_INFO_PRIVILEGED);
      let code = 0;
      try {
        fileAccess.createFileAccessHelper({});
      } catch (e) {
        code = (e as { code: number }).code;
      }
      expect(code).assertEqual(201);
      grant();
      hostDevice.systemApp = false;
      try {
        fileAccess.createFileAccessHelper({});
      } catch (e) {
        code = (e as { code: number }).code;
      }
      expect(code).assertEqual(202);
    });

    it('aPluggedVolumeBecomesAFileStoreAtItsRootWithItsFreeSpace', 0, async () => {
      const dir = scratch('volume');
      try {
        hostVolumes.reset();
        hostDevice.granted.add(PERMISSION_STORAGE_MANAGER);
        const v = hostVolumes.plug('Kingston USB', 'vfat', 5 * 1024 * 1024, 16 * 1024 * 1024);
        v.path = path.join(dir, v.uuid);
        fs.mkdirSync(v.path);
        const info = (await new VolumeManagerVolumes(new SilentLogger()).list())[0];
        expect(info.maxFileBytes).assertEqual(FAT_FILE_LIMIT);
        const usb = await volumeFileStore(fileAccessHelper({} as never), info);
        expect(await usb.freeBytes('/')).assertEqual(5 * 1024 * 1024);
        const node = new NodeFileStore();
        const ids = await sourceRepo(path.join(dir, 'src'), node, 1);
        const report = await new Mirror(new SilentLogger()).run(repoOn(node, path.join(dir, 'src')), node,
          repoOn(usb, '/backup-manager'), usb);
        expect(report.setsCopied).assertDeepEquals(ids);
        expect(fs.existsSync(path.join(v.path, 'backup-manager', 'snapshots', `${ids[0]}.json`))).assertTrue();
        // A volume without a root of its own is refused with a reason.
        const other = hostVolumes.plug('SD', 'exfat', 1, 2);
        other.path = '';
        const lost = (await new VolumeManagerVolumes(new SilentLogger()).list()).filter((x) => x.id === other.id)[0];
        const err = await rejectionOf(volumeFileStore(fileAccessHelper({} as never), lost));
        expect(err instanceof VolumesError).assertTrue();
        expect(err.message).assertContain('no file access root');
      } finally {
        hostVolumes.reset();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('theDocumentPickerGivesAnOpenFileOrNothingWhenCancelled', 0, async () => {
      const dir = scratch('picker');
      try {
        hostPicker.reset();
        const docs = new DocumentPickerFiles({} as never);
        expect(await docs.save('a.bmbackup')).assertUndefined();
        hostPicker.nextSave = `${dir}/chosen%20name.bmbackup`;
        fs.writeFileSync(`${dir}/chosen%20name.bmbackup`, 'old content, longer than the new');
        const out = await docs.save('a.bmbackup');
        expect(out !== undefined).assertTrue();
        if (out !== undefined) {
          expect(out.label).assertEqual('chosen name.bmbackup');
          await new FsByteChannel().write(out.fd, new TextEncoder().encode('new').buffer as ArrayBuffer);
          await out.close();
        }
        expect(fs.readFileSync(`${dir}/chosen%20name.bmbackup`, 'utf8')).assertEqual('new');
        hostPicker.nextSelect = `${dir}/chosen%20name.bmbackup`;
        const back = await docs.open();
        expect(back !== undefined).assertTrue();
        if (back !== undefined) {
          expect(new TextDecoder().decode(await new FsByteChannel().read(back.fd, 10))).assertEqual('new');
          await back.close();
        }
        expect(hostPicker.calls).assertDeepEquals(['save(a.bmbackup)', 'save(a.bmbackup)', 'select(1)']);
      } finally {
        hostPicker.reset();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('mapsPathsToPercentEncodedUrisUnderTheRoot', 0, async () => {
      const s = new FileAccessFileStore(fileAccess.createFileAccessHelper({}), `${HOST_ROOT_URI}/`, async () => 1);
      expect(s.uriOf('/')).assertEqual(HOST_ROOT_URI);
      expect(s.uriOf('/a b/c%d/e')).assertEqual(`${HOST_ROOT_URI}/a%20b/c%25d/e`);
      const dir = scratch('names');
      try {
        await s.writeTextAtomic(`${dir}/a b#1.json`, 'x');
        expect(fs.readdirSync(dir)).assertDeepEquals(['a b#1.json']);
        expect(await s.list(dir)).assertDeepEquals(['a b#1.json']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('aRepositoryMirroredOntoAVolumeSurvivesItBeingPulledOutAndResumes', 0, async () => {
      const dir = scratch('mirror');
      try {
        const node = new NodeFileStore();
        const ids = await sourceRepo(path.join(dir, 'src'), node, 3);
        const volume = store();
        const target = `${dir}/usb/backups`;
        fs.mkdirSync(`${dir}/usb`);
        // Pulled out after a number of calls: somewhere inside the second set.
        hostFileAccess.goneAfter(PULL_AFTER_CALLS);
        const err = await rejectionOf(new Mirror(new SilentLogger()).run(repoOn(node, path.join(dir, 'src')), node,
          repoOn(volume, target), volume));
        expect(err instanceof SetStoreError).assertTrue();
        expect((err as SetStoreError).kind).assertEqual('NOT_FOUND');
        expect(err.message).assertContain('the volume is gone');
        hostFileAccess.back();
        const partial = (await repoOn(node, target).listSets()).sets.map((r) => r.summary.id);
        expect(partial.length >= 1 && partial.length < 3).assertTrue();
        expect(partial.every((id) => ids.includes(id))).assertTrue();
        expect((await repoOn(node, target).verify(verifyFull())).ok).assertTrue();
        // Back in: the rest comes over; read through either store the target is whole.
        const rest = await new Mirror(new SilentLogger()).run(repoOn(node, path.join(dir, 'src')), node,
          repoOn(volume, target), volume);
        expect(rest.setsCopied.length).assertEqual(3 - partial.length);
        expect((await repoOn(volume, target).verify(verifyFull())).ok).assertTrue();
        expect((await repoOn(node, target).listSets()).sets.length).assertEqual(3);
      } finally {
        hostFileAccess.reset();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('anArchiveSplitForFatIsWrittenOnTheVolumeAndReadsBack', 0, async () => {
      const dir = scratch('archive');
      try {
        const node = new NodeFileStore();
        const ids = await sourceRepo(path.join(dir, 'src'), node, 2);
        const volume = store();
        const channel = new FsByteChannel();
        const o = new ArchiveWriteOptions();
        o.maxFileBytes = 8192;
        o.partBytes = 2048;
        const selection = new ArchiveSelection();
        selection.setIds = ids;
        // The repository is read through Node; the archive is written through fileAccess.
        const written = await new ArchiveWriter(volume, channel, new SilentLogger()).write(
          repoOn(volume, path.join(dir, 'src')), selection, `${dir}/backup.bmbackup`, o);
        expect(written.files.length > 1).assertTrue();
        for (const f of written.files) {
          expect(fs.statSync(f).size <= 8192).assertTrue();
        }
        const contents = await new ArchiveReader(node, new NodeByteChannel()).scan(`${dir}/backup.bmbackup`, '');
        expect(contents.manifests.map((m) => m.id)).assertDeepEquals(ids);
        expect(contents.segments).assertEqual(written.files.length);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('aFullVolumeFailsWithNoSpaceAndLeavesNoPartialFile', 0, async () => {
      const dir = scratch('full');
      try {
        const full = new FileAccessFileStore(fileAccess.createFileAccessHelper({}), HOST_ROOT_URI, async () => 0, {
          read: (fd: number, n: number) => new FsByteChannel().read(fd, n),
          write: async (): Promise<void> => {
            throw new FileStoreError(StoreErrorKind.NO_SPACE, 'write: injected ENOSPC', 13900025);
          },
          sync: (fd: number) => new FsByteChannel().sync(fd),
          sha256: () => new FsByteChannel().sha256(),
        });
        fs.writeFileSync(`${dir}/src`, 'data');
        const fd = fs.openSync(`${dir}/src`, 'r');
        try {
          const err = await rejectionOf(full.copyFromFd(fd, `${dir}/copy`));
          expect((err as FileStoreError).kind).assertEqual(StoreErrorKind.NO_SPACE);
        } finally {
          fs.closeSync(fd);
        }
        expect(fs.existsSync(`${dir}/copy`)).assertFalse();
        expect((await rejectionOf(full.writeTextAtomic(`${dir}/t`, 'x')) as FileStoreError).kind)
          .assertEqual(StoreErrorKind.NO_SPACE);
        expect(fs.readdirSync(dir)).assertDeepEquals(['src']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
