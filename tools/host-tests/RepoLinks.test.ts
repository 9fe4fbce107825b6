/*
 * Host-only: symbolic links and FIFOs inside a repository (ArkTS tests cannot make them). The repository
 * never reads, writes or removes anything through a link, and a FIFO never makes it wait.
 */
import { afterAll, describe, expect, it } from '@ohos/hypium';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { NodeFileStore } from '../host/NodeFileStore';
import { SilentLogger } from '../../entry/src/main/ets/backup/port/Logger';
import { ManualClock } from '../../entry/src/main/ets/backup/port/Clock';
import { BundleOutcome, SetStoreError, SetStoreErrorKind } from '../../entry/src/main/ets/backup/model/SetManifest';
import { AppEntry } from '../../entry/src/main/ets/backup/repo/SnapshotManifest';
import { Repository } from '../../entry/src/main/ets/backup/repo/Repository';
import { WriterStart } from '../../entry/src/main/ets/backup/repo/RepoWriter';
import { RepoProblemKind, VerifyOptions } from '../../entry/src/main/ets/backup/repo/RepoVerifier';

const CONTENT = 'the data of com.example.a';
const CAPS = '{"bundleInfos": [{"allToBackup": true, "extensionName": "ext", "name": "com.example.a", ' +
  '"spaceOccupied": 0, "versionCode": 1, "versionName": "1"}], "deviceType": "default", "systemFullName": "x"}';
const MANAGE = '[{"fileName": "part.0.tar"}]';
const dirs: string[] = [];

function scratch(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'bm-repo-links-'));
  dirs.push(d);
  return d;
}

function repoAt(root: string): Repository {
  return new Repository(new NodeFileStore(), root, new SilentLogger(), { clock: new ManualClock(Date.UTC(2026, 6, 1)) });
}

function full(): VerifyOptions {
  const o = new VerifyOptions();
  o.full = true;
  return o;
}

async function kindOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'none';
  } catch (e) {
    return e instanceof SetStoreError ? e.kind : `not a SetStoreError: ${(e as Error).message}`;
  }
}

/** Stores CONTENT as com.example.a's part.0.tar in a new set; returns the set id and the blob id. */
async function backup(repo: Repository, src: string): Promise<{ setId: string; blob: string }> {
  fs.writeFileSync(src, CONTENT);
  const session = await repo.lock('test');
  try {
    const start = new WriterStart();
    start.startedAt = Date.UTC(2026, 6, 1);
    start.apps = ['com.example.a'];
    const w = await session.openWriter(start);
    await w.storeCapabilitiesText(CAPS);
    const fd = fs.openSync(src, 'r');
    let blob = '';
    try {
      blob = (await w.storeFile('com.example.a', 'part.0.tar', fd)).blob;
    } finally {
      fs.closeSync(fd);
    }
    fs.writeFileSync(`${src}.manage`, MANAGE);
    const manageFd = fs.openSync(`${src}.manage`, 'r');
    try {
      await w.storeFile('com.example.a', 'manage.json', manageFd);
    } finally {
      fs.closeSync(manageFd);
    }
    const e = new AppEntry();
    e.id = 'com.example.a';
    e.name = 'com.example.a';
    e.outcome = BundleOutcome.DONE;
    await w.finishApp(e);
    return { setId: (await w.commit()).summary.id, blob };
  } finally {
    await session.release();
  }
}

export default function repoLinkTests(): void {
  describe('RepoLinks', () => {
    afterAll(() => {
      for (const d of dirs) {
        fs.rmSync(d, { recursive: true, force: true });
      }
    });

    it('aBlobThatIsALinkIsNeverRead', 0, async () => {
      const dir = scratch();
      const root = path.join(dir, 'repo');
      const repo = repoAt(root);
      const made = await backup(repo, path.join(dir, 'src'));
      const blobPath = path.join(root, 'blobs', made.blob.substring(0, 2), made.blob);
      // The same bytes outside the repository, and the blob replaced by a link to them.
      const outside = path.join(dir, 'outside');
      fs.writeFileSync(outside, CONTENT);
      fs.rmSync(blobPath);
      fs.symlinkSync(outside, blobPath);
      for (const o of [new VerifyOptions(), full()]) {
        const report = await repo.verify(o);
        expect(report.problems.map((p) => p.kind).join(',')).assertEqual(RepoProblemKind.NOT_A_FILE);
      }
      expect(await kindOf(repo.readBlobText(made.blob, 1000))).assertEqual(SetStoreErrorKind.MALFORMED);
      // The next backup of the same content replaces the link with the content itself.
      await backup(repo, path.join(dir, 'src'));
      expect(fs.lstatSync(blobPath).isSymbolicLink()).assertFalse();
      expect((await repo.verify(full())).ok).assertTrue();
      expect(fs.readFileSync(outside, 'utf8')).assertEqual(CONTENT);
    });

    it('aBlobFolderThatIsALinkIsNeverGoneThrough', 0, async () => {
      const dir = scratch();
      const root = path.join(dir, 'repo');
      const repo = repoAt(root);
      const made = await backup(repo, path.join(dir, 'src'));
      const fanOut = path.join(root, 'blobs', made.blob.substring(0, 2));
      // The fan-out folder moved outside and linked back: everything is still "there" through the link.
      const outside = path.join(dir, 'outside-folder');
      fs.renameSync(fanOut, outside);
      fs.symlinkSync(outside, fanOut);
      const report = await repo.verify(full());
      expect(report.problems.map((p) => p.kind).join(',')).assertEqual(RepoProblemKind.NOT_A_FILE);
      expect(report.problems[0].blob).assertEqual(made.blob);
      expect(await kindOf(repo.readBlobText(made.blob, 1000))).assertEqual(SetStoreErrorKind.MALFORMED);
      // Storing that content again does not write through the link; deleting the set removes nothing outside.
      expect(await kindOf(backup(repo, path.join(dir, 'src')))).assertEqual(SetStoreErrorKind.MALFORMED);
      const session = await repo.lock('test');
      await session.deleteSets([made.setId]);
      await session.release();
      expect(fs.readdirSync(outside)).assertDeepEquals([made.blob]);
      expect(fs.readFileSync(path.join(outside, made.blob), 'utf8')).assertEqual(CONTENT);
    });

    it('aManifestThatIsALinkOrAFifoIsListedAsDamagedAtOnce', 0, async () => {
      const dir = scratch();
      const root = path.join(dir, 'repo');
      const repo = repoAt(root);
      const made = await backup(repo, path.join(dir, 'src'));
      const snapshots = path.join(root, 'snapshots');
      const manifest = path.join(snapshots, `${made.setId}.json`);
      const outside = path.join(dir, 'outside.json');
      fs.copyFileSync(manifest, outside);
      fs.rmSync(manifest);
      fs.symlinkSync(outside, manifest);
      execFileSync('mkfifo', [path.join(snapshots, '20260101-000000-0001.json')]);
      const listing = await repo.listSets();
      expect(listing.sets.length).assertEqual(0);
      expect(listing.damaged.map((d) => d.setId).sort()).assertDeepEquals(['20260101-000000-0001', made.setId].sort());
      // Nothing is swept while a manifest cannot be read: the blob the FIFO's name might stand for stays.
      const session = await repo.lock('test');
      const gc = await session.collectGarbage();
      await session.release();
      expect(gc.swept).assertFalse();
      expect(fs.existsSync(path.join(root, 'blobs', made.blob.substring(0, 2), made.blob))).assertTrue();
    });

    it('aBlobThatIsAFifoIsReportedNotWaitedFor', 0, async () => {
      const dir = scratch();
      const root = path.join(dir, 'repo');
      const repo = repoAt(root);
      const made = await backup(repo, path.join(dir, 'src'));
      const blobPath = path.join(root, 'blobs', made.blob.substring(0, 2), made.blob);
      fs.rmSync(blobPath);
      execFileSync('mkfifo', [blobPath]);
      const report = await repo.verify(full());
      expect(report.ok).assertFalse();
      expect(report.problems[0].blob).assertEqual(made.blob);
      expect(await kindOf(repo.readBlobText(made.blob, 1000))).assertEqual(SetStoreErrorKind.MALFORMED);
    });
  });
}
