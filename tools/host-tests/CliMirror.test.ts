/*
 * backup-manager mirror: a repository copied into another folder, then only what is new; --json reports
 * blobs and bytes copied; what it refuses (no repository, a target with other things in it, a target
 * inside the source) with exit 2; a damaged set skipped with exit 1.
 */
import { describe, expect, it } from '@ohos/hypium';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ManualClock } from '../../entry/src/main/ets/backup/port/Clock';
import { SilentLogger } from '../../entry/src/main/ets/backup/port/Logger';
import { BundleOutcome } from '../../entry/src/main/ets/backup/model/SetManifest';
import { Repository } from '../../entry/src/main/ets/backup/repo/Repository';
import { WriterStart } from '../../entry/src/main/ets/backup/repo/RepoWriter';
import { AppEntry } from '../../entry/src/main/ets/backup/repo/SnapshotManifest';
import { NodeFileStore } from '../host/NodeFileStore';
import { cliIn, withTempDir } from './CliKit';

/** A set in the repository at root with one app and the given files (uri -> text); returns its id. */
async function addSet(root: string, clock: ManualClock, appId: string, files: Record<string, string>): Promise<string> {
  const store = new NodeFileStore();
  const repo = new Repository(store, root, new SilentLogger(), { clock });
  const session = await repo.lock('test');
  try {
    const start = new WriterStart();
    start.apps = [appId];
    const w = await session.openWriter(start);
    await w.storeCapabilitiesText('{"bundleInfos": []}');
    for (const [uri, text] of Object.entries(files)) {
      const src = path.join(root, '..', `src-${uri}`);
      fs.writeFileSync(src, text);
      const fd = fs.openSync(src, 'r');
      try {
        await w.storeFile(appId, uri, fd);
      } finally {
        fs.closeSync(fd);
      }
    }
    const e = new AppEntry();
    e.id = appId;
    e.name = appId;
    e.outcome = BundleOutcome.DONE;
    await w.finishApp(e);
    const done = await w.commit();
    await clock.advance(1000);
    return done.summary.id;
  } finally {
    await session.release();
  }
}

export default function cliMirrorTests(): void {
  describe('CliMirror', () => {
    it('copiesARepositoryThenOnlyWhatIsNewAndReportsBlobsAndBytes', 0, async () => {
      await withTempDir('mirror', async (dir: string) => {
        const clock = new ManualClock(Date.UTC(2026, 6, 1));
        const src = path.join(dir, 'repo');
        const dst = path.join(dir, 'usb', 'backups');
        const first = await addSet(src, clock, 'com.example.notes', { 'a.tar': 'notes data', 'manage.json': '{}' });
        const run1 = await cliIn(['mirror', src, '--to', dst, '--json']);
        expect(run1.code).assertEqual(0);
        const doc1 = run1.json();
        expect(doc1.command).assertEqual('mirror');
        expect(doc1.setsCopied).assertDeepEquals([first]);
        expect(doc1.blobsCopied).assertEqual(3);
        expect(doc1.bytesCopied).assertEqual('notes data'.length + 2 + '{"bundleInfos": []}'.length);
        expect(fs.existsSync(path.join(dst, 'snapshots', `${first}.json`))).assertTrue();

        const second = await addSet(src, clock, 'com.example.maps', { 'm.tar': 'maps data', 'manage.json': '{}' });
        const run2 = await cliIn(['mirror', src, '--to', dst, '--json']);
        const doc2 = run2.json();
        expect(doc2.setsCopied).assertDeepEquals([second]);
        expect(doc2.setsPresent).assertEqual(1);
        expect(doc2.blobsCopied).assertEqual(1);
        expect(doc2.bytesCopied).assertEqual('maps data'.length);
        expect(doc2.blobsPresent).assertEqual(2);

        const text = await cliIn(['mirror', src, '--to', dst]);
        expect(text.code).assertEqual(0);
        expect(text.stdout).assertContain('0 sets copied');
        expect(text.stdout).assertContain('2 sets already there');
      });
    });

    it('refusesWhatIsNotARepositoryOrNotATargetWithExit2', 0, async () => {
      await withTempDir('mirror-bad', async (dir: string) => {
        const clock = new ManualClock(Date.UTC(2026, 6, 1));
        const src = path.join(dir, 'repo');
        await addSet(src, clock, 'com.example.notes', { 'a.tar': 'x' });
        const notRepo = await cliIn(['mirror', dir, '--to', path.join(dir, 'out')]);
        expect(notRepo.code).assertEqual(2);
        expect(notRepo.stderr).assertContain('not a repository');
        const busy = path.join(dir, 'busy');
        fs.mkdirSync(busy);
        fs.writeFileSync(path.join(busy, 'photo.jpg'), 'x');
        const other = await cliIn(['mirror', src, '--to', busy]);
        expect(other.code).assertEqual(2);
        expect(other.stderr).assertContain('other things in it');
        expect(fs.readdirSync(busy)).assertDeepEquals(['photo.jpg']);
        const inside = await cliIn(['mirror', src, '--to', path.join(src, 'copy')]);
        expect(inside.code).assertEqual(2);
        const missing = await cliIn(['mirror', src]);
        expect(missing.code).assertEqual(2);
      });
    });

    it('skipsADamagedSetNamesItAndExits1', 0, async () => {
      await withTempDir('mirror-damaged', async (dir: string) => {
        const clock = new ManualClock(Date.UTC(2026, 6, 1));
        const src = path.join(dir, 'repo');
        const good = await addSet(src, clock, 'com.example.notes', { 'a.tar': 'good' });
        const bad = await addSet(src, clock, 'com.example.maps', { 'm.tar': 'will be damaged' });
        const manifest = JSON.parse(fs.readFileSync(path.join(src, 'snapshots', `${bad}.json`), 'utf8')) as
          { apps: { files: { blob: string }[] }[] };
        const blob = manifest.apps[0].files[0].blob;
        fs.writeFileSync(path.join(src, 'blobs', blob.slice(0, 2), blob), 'WILL BE DAMAGED');
        const run = await cliIn(['mirror', src, '--to', path.join(dir, 'out'), '--json']);
        expect(run.code).assertEqual(1);
        const doc = run.json();
        expect(doc.setsCopied).assertDeepEquals([good]);
        const failed = doc.failed as { setId: string; reason: string }[];
        expect(failed.length).assertEqual(1);
        expect(failed[0].setId).assertEqual(bad);
        expect(failed[0].reason).assertContain('does not match its id');
      });
    });
  });
}
