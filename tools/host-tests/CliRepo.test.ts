/*
 * Host-only tests of the CLI's repository commands: sets, apps, verify (quick and --full, one set) and
 * prune (per app), each with --json and its exit codes, on repositories made with `import` (CliRepoKit),
 * and the bad input each refuses (a missing repository, an unknown or malformed set id, --keep 0).
 */
import { describe, expect, it } from '@ohos/hypium';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SystemClock } from '../../entry/src/main/ets/backup/port/Clock';
import { SilentLogger } from '../../entry/src/main/ets/backup/port/Logger';
import { BundleOutcome } from '../../entry/src/main/ets/backup/model/SetManifest';
import { Repository } from '../../entry/src/main/ets/backup/repo/Repository';
import { WriterStart } from '../../entry/src/main/ets/backup/repo/RepoWriter';
import { AppEntry } from '../../entry/src/main/ets/backup/repo/SnapshotManifest';
import { NodeFileStore } from '../host/NodeFileStore';
import { cli, cliIn, CliRun, withTempDir } from './CliKit';
import { blobOf, blobPath, importSet, MAIL, NOTES_V1, NOTES_V2, T2, toolFolder, twoSets } from './CliRepoKit';

type Doc = Record<string, unknown>;

/**
 * The repository as a run killed after notes was saved leaves it: a copy of repo's tree (without the lock,
 * whose holder is this live process) taken at crashed while the run's writer is open.
 */
async function killedRun(repo: string, crashed: string): Promise<void> {
  const files = new NodeFileStore();
  const r = new Repository(files, repo, new SilentLogger(), { clock: new SystemClock() });
  const session = await r.lock('backup');
  try {
    const start = new WriterStart();
    start.apps = ['com.example.notes', 'com.example.mail'];
    const w = await session.openWriter(start);
    await w.storeCapabilitiesText('{}');
    const src = path.join(path.dirname(crashed), 'notes.tar');
    fs.writeFileSync(src, 'notes in a killed run');
    const fd = await files.openRead(src);
    try {
      await w.storeFile('com.example.notes', 'part.0.tar', fd);
    } finally {
      files.closeQuietly(fd);
    }
    const e = new AppEntry();
    e.id = 'com.example.notes';
    e.name = e.id;
    e.outcome = BundleOutcome.DONE;
    await w.finishApp(e);
    fs.cpSync(repo, crashed, { recursive: true, filter: (p: string) => path.basename(p) !== 'lock' });
  } finally {
    await session.release();
  }
}

function oneErrorLine(r: CliRun): boolean {
  const lines = r.errLines();
  return lines.length === 1 && lines[0].startsWith('backup-manager: ');
}

export default function cliRepoTests(): void {
  describe('CliRepoRead', () => {
    it('setsListsEachSetWithWhatOnlyItHolds', 0, async () => {
      await withTempDir('repo-sets', async (dir: string) => {
        const ids = await twoSets(dir);
        const text = await cliIn(['sets', ids[0]]);
        expect(text.code).assertEqual(0);
        expect(text.stdout).assertContain('2 backup sets');
        expect(text.stdout.indexOf(ids[2])).assertLess(text.stdout.indexOf(ids[1]));   // newest first
        const json = await cliIn(['sets', ids[0], '--json']);
        expect(json.code).assertEqual(0);
        const doc = json.json();
        expect(doc.layout).assertEqual('repository');
        const sets = doc.sets as Doc[];
        expect(sets.map((s) => s.id)).assertDeepEquals([ids[2], ids[1]]);
        // Each set's own bytes: its notes version (the capability file, manage.json and mail are shared).
        expect(sets[0].uniqueBytes).assertEqual(NOTES_V2.length);
        expect(sets[1].uniqueBytes).assertEqual(NOTES_V1.length);
        expect(sets[0].sharedBytes as number).assertLarger(MAIL.length);
        expect(sets[0].status).assertEqual('complete');
        expect(sets[0].bundlesDone).assertEqual(2);
        expect(doc.damaged).assertDeepEquals([]);
      });
    });

    it('appsShowsEachAppsNewestGoodCopyAndHowManyThereAre', 0, async () => {
      await withTempDir('repo-apps', async (dir: string) => {
        const ids = await twoSets(dir);
        const text = await cliIn(['apps', ids[0]]);
        expect(text.code).assertEqual(0);
        expect(text.stdout).assertContain('2 apps');
        expect(text.stdout).assertContain('com.example.notes');
        const doc = (await cliIn(['apps', ids[0], '--json'])).json();
        const apps = doc.apps as Doc[];
        expect(apps.map((a) => a.id)).assertDeepEquals(['com.example.mail', 'com.example.notes']);
        const notes = apps[1];
        expect(notes.copies).assertEqual(2);
        const newest = notes.newest as Doc;
        expect(newest.setId).assertEqual(ids[2]);
        expect(newest.files).assertEqual(2);   // part.0.tar and manage.json
        expect((notes.history as Doc[]).map((c) => c.setId)).assertDeepEquals([ids[2], ids[1]]);
        expect((notes.latest as Doc).outcome).assertEqual('done');
      });
    });

    it('verifyQuickAndFullWithTheSetsABadBlobAffects', 0, async () => {
      await withTempDir('repo-verify', async (dir: string) => {
        const ids = await twoSets(dir);
        const repo = ids[0];
        const intact = await cliIn(['verify', repo, '--full', '--json']);
        expect(intact.code).assertEqual(0);
        expect(intact.json().ok).assertEqual(true);
        expect(intact.json().sets).assertDeepEquals([ids[2], ids[1]]);
        // Mail's blob is shared by both sets: a flipped byte (same size) is seen by --full only.
        const mail = blobPath(repo, blobOf(repo, ids[1], 'com.example.mail', 'part.0.tar'));
        fs.writeFileSync(mail, MAIL.toUpperCase());
        expect((await cliIn(['verify', repo])).code).assertEqual(0);
        const bad = await cliIn(['verify', repo, '--full', '--set', ids[2], '--json']);
        expect(bad.code).assertEqual(1);
        const doc = bad.json();
        expect(doc.ok).assertEqual(false);
        expect(doc.setId).assertEqual(ids[2]);
        const problems = doc.problems as Doc[];
        expect(problems.length).assertEqual(1);
        expect(problems[0].kind).assertEqual('checksum');
        // Reported with every set using it, not only the one verified.
        expect(doc.affectedSets).assertDeepEquals([ids[2], ids[1]].sort());
        const text = await cliIn(['verify', repo, '--full']);
        expect(text.code).assertEqual(1);
        expect(text.stdout).assertContain('com.example.mail/part.0.tar');
        // A missing blob: quick verify finds it.
        fs.rmSync(mail);
        const missing = await cliIn(['verify', repo, '--json']);
        expect(missing.code).assertEqual(1);
        expect((missing.json().problems as Doc[])[0].kind).assertEqual('missing');
      });
    });

    it('badInputIsExitTwoWithOneLine', 0, async () => {
      await withTempDir('repo-bad', async (dir: string) => {
        const ids = await twoSets(dir);
        const repo = ids[0];
        const empty = path.join(dir, 'empty');
        fs.mkdirSync(empty);
        const missing = path.join(dir, 'missing');
        const cases: string[][] = [
          ['sets', missing],
          ['apps', missing],
          ['verify', missing],
          ['verify', empty],
          ['verify', repo, '--set', '20200101-000000-abcd'],
          ['verify', repo, '--set', 'not-a-set'],
          ['prune', missing, '--keep', '1'],
          ['prune', empty, '--keep', '1'],
          ['prune', repo, '--keep', '0'],
          ['prune', repo, '--keep', '-1'],
          ['prune', repo, '--keep', 'all'],
          ['prune', repo],
        ];
        for (const c of cases) {
          const r = await cliIn(c);
          expect(`${c.join(' ')} -> ${r.code}`).assertEqual(`${c.join(' ')} -> 2`);
          expect(r.stdout).assertEqual('');
          expect(oneErrorLine(r)).assertTrue();
        }
        // Nothing was deleted by a refused prune, and a read created nothing.
        expect(fs.readdirSync(path.join(repo, 'snapshots')).length).assertEqual(2);
        expect(fs.readdirSync(empty)).assertDeepEquals([] as string[]);
        expect(fs.existsSync(missing)).assertFalse();
        // As a process, with --json: one document on stdout, the exit code the process's.
        const r = await cli(['apps', missing, '--json']);
        expect(r.code).assertEqual(2);
        expect(r.json().ok).assertEqual(false);
        expect((r.json().error as Doc).message as string).assertContain('no such folder');
      });
    });
  });

  describe('CliRepoInterrupted', () => {
    it('aKilledRunIsRecoveredByTheNextSetsAndShownUntilDismissed', 0, async () => {
      await withTempDir('repo-killed', async (dir: string) => {
        const ids = await twoSets(dir);
        const crashed = path.join(dir, 'crashed');
        await killedRun(ids[0], crashed);
        expect(fs.readdirSync(path.join(crashed, 'runs')).length).assertEqual(1);
        const listed = await cliIn(['sets', crashed, '--json']);
        expect(listed.code).assertEqual(0);
        const notices = listed.json().interrupted as Doc[];
        expect(notices.length).assertEqual(1);
        expect(notices[0].saved).assertDeepEquals(['com.example.notes']);
        expect(notices[0].notSaved).assertDeepEquals(['com.example.mail']);
        // What it saved is a set of its own, marked interrupted; its journal is gone.
        const sets = listed.json().sets as Doc[];
        expect(sets.length).assertEqual(3);
        expect(sets.filter((s) => s.interrupted === true).map((s) => s.id)).assertDeepEquals([notices[0].setId]);
        expect(fs.readdirSync(path.join(crashed, 'runs'))).assertDeepEquals([] as string[]);
        const text = await cliIn(['sets', crashed]);
        expect(text.stdout).assertContain('was cut short');
        expect(text.stdout).assertContain('--dismiss');
        const dismissed = await cliIn(['sets', crashed, '--dismiss', '--json']);
        expect(dismissed.json().dismissed).assertEqual(1);
        expect(((await cliIn(['sets', crashed, '--json'])).json().interrupted as Doc[]).length).assertEqual(0);
        // The original repository (whose run was aborted) has no such set.
        expect(((await cliIn(['sets', ids[0], '--json'])).json().sets as Doc[]).length).assertEqual(2);
      });
    });
  });

  describe('CliPrune', () => {
    it('pruneKeepsTheNewestCopiesOfEachAppAndSaysWhatItFreed', 0, async () => {
      await withTempDir('repo-prune', async (dir: string) => {
        const ids = await twoSets(dir);
        const repo = ids[0];
        const dry = await cliIn(['prune', repo, '--keep', '1', '--dry-run', '--json']);
        expect(dry.code).assertEqual(0);
        expect((dry.json().sets as Doc[]).map((s) => s.id)).assertDeepEquals([ids[1]]);
        expect(dry.json().deleted).assertDeepEquals([]);
        expect(dry.json().bytesFreed).assertEqual(NOTES_V1.length);
        expect(fs.readdirSync(path.join(repo, 'snapshots')).length).assertEqual(2);
        const text = await cliIn(['prune', repo, '--keep', '1']);
        expect(text.code).assertEqual(0);
        expect(text.stdout).assertContain(`Deleted 1 set`);
        expect(text.stdout).assertContain(ids[1]);
        expect(text.stdout).assertContain(`Freed ${NOTES_V1.length} B`);
        const sets = (await cliIn(['sets', repo, '--json'])).json().sets as Doc[];
        expect(sets.map((s) => s.id)).assertDeepEquals([ids[2]]);
        // The old notes content is gone; mail (also in the kept set) is not.
        expect(fs.existsSync(blobPath(repo, blobOf(repo, ids[2], 'com.example.mail', 'part.0.tar')))).assertTrue();
        expect((await cliIn(['verify', repo, '--full'])).code).assertEqual(0);
        // Nothing left to prune: every set holds an app's newest copy.
        const again = await cliIn(['prune', repo, '--keep', '1', '--json']);
        expect(again.code).assertEqual(0);
        expect(again.json().deleted).assertDeepEquals([]);
        expect(again.json().bytesFreed).assertEqual(0);
      });
    });

    it('pruneNeverTakesAnAppsOnlyCopy', 0, async () => {
      await withTempDir('repo-prune-only', async (dir: string) => {
        const ids = await twoSets(dir);
        const repo = ids[0];
        // A third, newer set of mail alone: set 2 still holds notes' newest copy and stays.
        const s3 = await importSet(repo, toolFolder(path.join(dir, 'tool3'), [
          { id: 'com.example.mail', files: { 'part.0.tar': 'mail, newer' } },
        ], T2 + 1000));
        const r = await cliIn(['prune', repo, '--keep', '1', '--json']);
        expect(r.code).assertEqual(0);
        expect(r.json().deleted).assertDeepEquals([ids[1]]);
        const apps = (await cliIn(['apps', repo, '--json'])).json().apps as Doc[];
        expect(apps.map((a) => `${a.id}:${(a.newest as Doc).setId}`))
          .assertDeepEquals([`com.example.mail:${s3}`, `com.example.notes:${ids[2]}`]);
      });
    });
  });
}
