/*
 * Host-only: symbolic links and FIFOs inside sets of the old layout (ArkTS tests cannot make them), read and
 * migrated through the Repository. Nothing is read through a link or from a FIFO (and nothing waits on one):
 * filePath refuses them, verify reports them, and the migration records the app as failed instead of
 * storing what the link points at; what is outside the root is never changed.
 */
import { afterAll, describe, expect, it } from '@ohos/hypium';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { NodeFileStore } from '../host/NodeFileStore';
import { SilentLogger } from '../../entry/src/main/ets/backup/port/Logger';
import { ManualClock } from '../../entry/src/main/ets/backup/port/Clock';
import {
  BundleOutcome,
  BundleRecord,
  DeviceInfo,
  SetStoreError,
  SetStoreErrorKind
} from '../../entry/src/main/ets/backup/model/SetManifest';
import { BackupSetStore } from '../../entry/src/main/ets/backup/store/BackupSetStore';
import { Repository } from '../../entry/src/main/ets/backup/repo/Repository';
import { VerifyOptions } from '../../entry/src/main/ets/backup/repo/RepoVerifier';

const APP = 'com.example.a';
const CONTENT = 'the data of com.example.a';
const CAPS = '{"bundleInfos": [{"allToBackup": true, "extensionName": "ext", "name": "com.example.a", ' +
  '"spaceOccupied": 0, "versionCode": 1, "versionName": "1"}], "deviceType": "default", "systemFullName": "x"}';
const MANAGE = '[{"fileName": "part.0.tar"}]';
const T = Date.UTC(2026, 6, 1);
const dirs: string[] = [];

function scratch(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'bm-legacy-links-'));
  dirs.push(d);
  return d;
}

function repoAt(root: string): Repository {
  return new Repository(new NodeFileStore(), root, new SilentLogger(), { clock: new ManualClock(T) });
}

function full(): VerifyOptions {
  const o = new VerifyOptions();
  o.full = true;
  return o;
}

function sha(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

async function kindOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'none';
  } catch (e) {
    return e instanceof SetStoreError ? e.kind : `not a SetStoreError: ${(e as Error).message}`;
  }
}

/** Blob ids under root/blobs. */
function blobIds(root: string): string[] {
  const blobs = path.join(root, 'blobs');
  if (!fs.existsSync(blobs)) {
    return [];
  }
  return fs.readdirSync(blobs).flatMap((p) => fs.readdirSync(path.join(blobs, p))).sort();
}

/** A set of APP written by today's store under root; returns its id. */
async function oldSet(root: string, src: string): Promise<string> {
  const files = new NodeFileStore();
  const store = new BackupSetStore(files, root, new SilentLogger(), { now: () => T, clock: new ManualClock(Date.now()) });
  const staging = await store.createStaging([APP]);
  await staging.saveCapabilitiesText(CAPS);
  for (const [uri, text] of [['part.0.tar', CONTENT], ['manage.json', MANAGE]]) {
    fs.writeFileSync(src, text);
    const fd = fs.openSync(src, 'r');
    try {
      const target = await staging.prepareFile(APP, uri);
      staging.recordFile(APP, uri, await files.copyFromFd(fd, target));
    } finally {
      fs.closeSync(fd);
    }
  }
  const r = new BundleRecord();
  r.id = APP;
  r.name = APP;
  r.outcome = BundleOutcome.DONE;
  staging.setBundle(r);
  return (await staging.commit(T, new DeviceInfo())).id;
}

/** Migrates under a session; returns the app's outcome and error message afterwards. */
async function migrateAndRead(repo: Repository, setId: string): Promise<string> {
  const session = await repo.lock('first writer');
  await session.release();
  const a = (await repo.getSet(setId)).apps[0];
  return `${a.outcome} ${a.errorMessage}`;
}

export default function legacyLinkTests(): void {
  describe('LegacyLinks', () => {
    afterAll(() => {
      for (const d of dirs) {
        fs.rmSync(d, { recursive: true, force: true });
      }
    });

    it('anOldFileThatIsALinkIsNeverReadNorMigrated', 0, async () => {
      const dir = scratch();
      const root = path.join(dir, 'root');
      const id = await oldSet(root, path.join(dir, 'src'));
      const file = path.join(root, 'sets', id, APP, 'part.0.tar');
      // The same bytes outside the root, and the old file replaced by a link to them.
      const outside = path.join(dir, 'outside');
      fs.writeFileSync(outside, CONTENT);
      fs.rmSync(file);
      fs.symlinkSync(outside, file);
      const repo = repoAt(root);
      const m = await repo.getSet(id);
      expect(await kindOf(repo.filePath(id, APP, m.apps[0].files[0]))).assertEqual(SetStoreErrorKind.MALFORMED);
      for (const o of [new VerifyOptions(), full()]) {
        expect((await repo.verify(o)).ok).assertFalse();
      }
      const after = await migrateAndRead(repo, id);
      expect(after).assertContain('failed migration: ');
      expect(after).assertContain('part.0.tar cannot be read as a regular file');
      expect(blobIds(root).indexOf(sha(CONTENT))).assertEqual(-1);
      expect(fs.readFileSync(outside, 'utf8')).assertEqual(CONTENT);
    });

    it('anOldAppFolderThatIsALinkIsNeverGoneThrough', 0, async () => {
      const dir = scratch();
      const root = path.join(dir, 'root');
      const id = await oldSet(root, path.join(dir, 'src'));
      const folder = path.join(root, 'sets', id, APP);
      const outside = path.join(dir, 'outside-folder');
      fs.renameSync(folder, outside);
      fs.symlinkSync(outside, folder);
      const repo = repoAt(root);
      const m = await repo.getSet(id);
      expect(await kindOf(repo.filePath(id, APP, m.apps[0].files[0]))).assertEqual(SetStoreErrorKind.MALFORMED);
      expect((await repo.verify(full())).ok).assertFalse();
      expect(await migrateAndRead(repo, id)).assertContain('failed migration: ');
      expect(blobIds(root).indexOf(sha(CONTENT))).assertEqual(-1);
      // The migrated set's old folder went; the link's target outside did not.
      expect(fs.existsSync(path.join(root, 'sets'))).assertFalse();
      expect(fs.readdirSync(outside).sort()).assertDeepEquals(['manage.json', 'part.0.tar']);
    });

    it('anOldSetThatIsALinkIsDamagedAndLeftAlone', 0, async () => {
      const dir = scratch();
      const root = path.join(dir, 'root');
      const id = await oldSet(root, path.join(dir, 'src'));
      const setDir = path.join(root, 'sets', id);
      const outside = path.join(dir, 'outside-set');
      fs.renameSync(setDir, outside);
      fs.symlinkSync(outside, setDir);
      const repo = repoAt(root);
      const listing = await repo.listSets();
      expect(listing.sets.length).assertEqual(0);
      expect(listing.damaged.map((d) => `${d.setId} ${d.kind}`)).assertDeepEquals([`${id} MALFORMED`]);
      const session = await repo.lock('first writer');
      expect(session.migration.damaged.map((d) => d.setId)).assertDeepEquals([id]);
      await session.release();
      expect(fs.lstatSync(setDir).isSymbolicLink()).assertTrue();
      expect(fs.readdirSync(outside).sort()).assertDeepEquals(['capabilities.json', 'com.example.a', 'set.json']);
    });

    it('anOldFileThatIsAFifoIsReportedNotWaitedFor', 0, async () => {
      const dir = scratch();
      const root = path.join(dir, 'root');
      const id = await oldSet(root, path.join(dir, 'src'));
      const file = path.join(root, 'sets', id, APP, 'part.0.tar');
      fs.rmSync(file);
      execFileSync('mkfifo', [file]);
      const repo = repoAt(root);
      const m = await repo.getSet(id);
      expect(await kindOf(repo.filePath(id, APP, m.apps[0].files[0]))).assertEqual(SetStoreErrorKind.MALFORMED);
      expect((await repo.verify()).ok).assertFalse();
      expect(await migrateAndRead(repo, id)).assertContain('part.0.tar cannot be read as a regular file');
    });

    it('anOldSetsFolderThatIsALinkIsNeitherListedNorMigrated', 0, async () => {
      const dir = scratch();
      const root = path.join(dir, 'root');
      await oldSet(root, path.join(dir, 'src'));
      const sets = path.join(root, 'sets');
      const outside = path.join(dir, 'outside-sets');
      fs.renameSync(sets, outside);
      fs.symlinkSync(outside, sets);
      const before = fs.readdirSync(outside);
      const repo = repoAt(root);
      expect((await repo.listSets()).sets.length).assertEqual(0);
      const session = await repo.lock('first writer');
      expect(session.migration.problem).assertContain('not a folder');
      expect(session.migration.migrated.length).assertEqual(0);
      await session.release();
      expect(fs.lstatSync(sets).isSymbolicLink()).assertTrue();
      expect(fs.readdirSync(outside)).assertDeepEquals(before);
    });
  });
}
