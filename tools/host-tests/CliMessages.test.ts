/*
 * Host-only: messages a person understands, naming the folder (issue 9, item 9). A restore onto a full
 * device says its storage is full (the service's 13900042 "system errno: 13900025"); a full, read-only or
 * vanishing store names the store folder and says which; a byte order mark or a control character in a
 * manifest is shown as <U+FEFF>; odd folders end with a clear message, never "internal error". The store
 * faults a test cannot make for real (a read-only or full disk) come from a FileStore that fails like
 * one, under the same engine the CLI runs.
 */
import { describe, expect, it } from '@ohos/hypium';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorKind } from '../../entry/src/main/ets/backup/model/Errors';
import { RunResult } from '../../entry/src/main/ets/backup/model/RunResult';
import { FileStoreError, StoreErrorKind } from '../../entry/src/main/ets/backup/port/FileStore';
import { SilentLogger } from '../../entry/src/main/ets/backup/port/Logger';
import { BackupRun } from '../../entry/src/main/ets/backup/session/BackupRun';
import { Repository } from '../../entry/src/main/ets/backup/repo/Repository';
import { SystemClock } from '../../entry/src/main/ets/backup/port/Clock';
import { MockBackupModule } from '../../entry/src/main/ets/mock/MockBackupModule';
import { SimulatedDevice } from '../../entry/src/main/ets/mock/SimulatedDevice';
import { NodeFileStore } from '../host/NodeFileStore';
import { errorText } from '../cli/output';
import { BundleJson, bundlesOf, cliIn, withTempDir } from './CliKit';

/**
 * A NodeFileStore whose mkdirs fails like a disk would, for folders whose path contains `where` (after the
 * first `allowed` of them).
 */
class FailingMkdirs extends NodeFileStore {
  private readonly where: string;
  private readonly kind: StoreErrorKind;
  private readonly errno: number;
  /** Matching folders made before the failures start. */
  private allowed: number;

  constructor(where: string, kind: StoreErrorKind, errno: number, allowed: number = 0) {
    super();
    this.where = where;
    this.kind = kind;
    this.errno = errno;
    this.allowed = allowed;
  }

  async mkdirs(p: string): Promise<void> {
    if (p.includes(this.where) && this.allowed-- <= 0) {
      throw new FileStoreError(this.kind, `mkdirs ${p}: simulated ${this.kind}`, this.errno);
    }
    return super.mkdirs(p);
  }
}

/** One backup of com.example.notes through the engine into root, the repository on files. */
async function backupWith(files: NodeFileStore, root: string, work: string): Promise<RunResult> {
  const module = new MockBackupModule({
    fileStore: new NodeFileStore(), workDir: work, device: SimulatedDevice.standard(), scenario: 'ok',
    timeScale: 0.001,
  });
  try {
    const repo = new Repository(files, root, new SilentLogger(), { clock: new SystemClock() });
    return await new BackupRun({ module, files, repo, logger: new SilentLogger() }, ['com.example.notes']).start();
  } finally {
    module.shutdown();
  }
}

function notesOf(doc: Record<string, unknown>): BundleJson {
  return bundlesOf(doc).find((b) => b.id === 'com.example.notes') as BundleJson;
}

export default function cliMessageTests(): void {
  describe('CliMessages', () => {
    it('restoreOntoAFullDeviceSaysItsStorageIsFull', 0, async () => {
      await withTempDir('devicefull', async (store: string) => {
        const backup = await cliIn(['backup', '--to', store, '--bundles', 'com.example.notes,com.example.mail']);
        expect(backup.code).assertEqual(0);
        // The simulated device cannot create the restored file: onFileReady(13900042, "system errno: 13900025"),
        // as the real service reports it (spec 3.3).
        const r = await cliIn(['restore', '--from', store, '--scenario', 'enospc:com.example.notes', '--json']);
        expect(r.code).assertEqual(1);
        const notes = notesOf(r.json());
        expect(notes.state).assertEqual('failed');
        const error = notes.error as Record<string, unknown>;
        expect(error.kind).assertEqual('DEVICE_NO_SPACE');
        expect(error.code).assertEqual(13900042);
        expect(error.message as string).assertContain('storage is full');
        const text = await cliIn(['restore', '--from', store, '--scenario', 'enospc:com.example.notes']);
        expect(text.stdout).assertContain('The device\'s storage is full');
        expect(text.stdout.includes('unknown error')).assertFalse();
      });
    });

    it('aFullStoreNamesTheFolder', 0, async () => {
      await withTempDir('storefull', async (store: string) => {
        const copy = await cliIn(['backup', '--to', store, '--bundles', 'com.example.notes', '--scenario',
          'store-full:2000', '--json']);
        expect(copy.code).assertEqual(1);
        const notes = notesOf(copy.json());
        expect((notes.error as Record<string, unknown>).kind).assertEqual('LOCAL_NO_SPACE');
        expect((notes.error as Record<string, unknown>).message as string).assertContain(`No space left in ${store}`);
        const first = await cliIn(['backup', '--to', store, '--bundles', 'com.example.notes', '--scenario',
          'store-full:0']);
        expect(first.code).assertEqual(1);
        expect(first.stdout).assertContain(`No space left in ${store} to `);
      });
    });

    it('aReadOnlyStoreSaysSoNamingTheFolder', 0, async () => {
      await withTempDir('readonly', async (dir: string) => {
        const root = path.join(dir, 'store');
        const r = await backupWith(new FailingMkdirs('/snapshots', StoreErrorKind.READ_ONLY, 30), root,
          path.join(dir, 'device'));
        const e = r.error;
        expect(e !== undefined).assertTrue();
        if (e !== undefined) {
          expect(e.message).assertEqual(`Could not open the backup repository: ${root} is on a read-only disk`);
          expect(errorText(e).includes('not found')).assertFalse();
        }
      });
    });

    it('aStoreOutOfSpaceOrLosingAFolderIsNotAMissingFileOfTheSet', 0, async () => {
      await withTempDir('inodes', async (dir: string) => {
        const root = path.join(dir, 'store');
        // Out of inodes is ENOSPC: the repository says NO_SPACE for a blob's folder (the capability file's is made).
        const full = await backupWith(new FailingMkdirs('/blobs/', StoreErrorKind.NO_SPACE, 28, 1), root,
          path.join(dir, 'device1'));
        const noSpace = full.bundles[0].error;
        expect(noSpace?.kind).assertEqual(ErrorKind.LOCAL_NO_SPACE);
        expect(noSpace?.message ?? '').assertContain(`No space left in ${root} while storing`);
        // A blob folder that is gone while writing is not "a file of the backup set is missing".
        const gone = await backupWith(new FailingMkdirs('/blobs/', StoreErrorKind.NOT_FOUND, 2, 1), root,
          path.join(dir, 'device2'));
        const lost = gone.bundles[0].error;
        expect(lost !== undefined).assertTrue();
        expect((lost?.message ?? '').includes('A file of the backup set is missing')).assertFalse();
        expect(lost?.message ?? '').assertContain(root);
      });
    });

    it('aByteOrderMarkInAManifestIsShownAsUFEFF', 0, async () => {
      await withTempDir('bom', async (store: string) => {
        expect((await cliIn(['backup', '--to', store, '--bundles', 'com.example.notes'])).code).assertEqual(0);
        const setId = fs.readdirSync(path.join(store, 'snapshots'))[0].replace(/\.json$/, '');
        const manifest = path.join(store, 'snapshots', `${setId}.json`);
        fs.writeFileSync(manifest, ` \ufeff${fs.readFileSync(manifest, 'utf8')}`);
        const r = await cliIn(['export', store, '--set', setId, '--to', path.join(store, '..', `${path.basename(store)}-out`)]);
        expect(r.code).assertEqual(2);
        expect(r.stderr).assertContain('<U+FEFF>');
        expect(r.stderr).assertContain('byte order mark');
        expect(r.stderr.includes('\ufeff')).assertFalse();
        // A capability file with a second one, and a control character in a bundle name.
        const caps = path.join(store, 'caps.json');
        fs.writeFileSync(caps, '\ufeff\ufeff{"bundleInfos":[]}');
        const c = await cliIn(['caps', '--file', caps]);
        expect(c.code).assertEqual(2);
        expect(c.stderr).assertContain('<U+FEFF>');
        expect(c.stderr.includes('\ufeff')).assertFalse();
        fs.writeFileSync(caps, '{"bundleInfos":[{"name":"com.a\\u001b[2J","allToBackup":true,' +
          '"extensionName":"x","spaceOccupied":1,"versionCode":1,"versionName":"1"}],"deviceType":"d",' +
          '"systemFullName":"s","backupVersion":"26"}');
        const esc = await cliIn(['caps', '--file', caps]);
        expect(esc.stdout.includes('\u001b')).assertFalse();
        expect(esc.stderr.includes('\u001b')).assertFalse();
      });
    });

    it('anOddStoreFolderEndsWithAClearMessage', 0, async () => {
      // /proc/self takes no new folders (Node's recursive mkdir spun there forever).
      const r = await cliIn(['backup', '--to', '/proc/self', '--bundles', 'com.example.notes']);
      expect(r.code === 1 || r.code === 2).assertTrue();
      expect(r.stdout + r.stderr).assertContain('/proc/self');
      expect((r.stdout + r.stderr).includes('internal error')).assertFalse();
    });
  });
}
