/*
 * Archives on the PC side (tools/cli/archive.ts, export/import): export --to X.bmbackup writes the one-file
 * archive (a set, or --newest each app's newest copy); sets, apps, verify --full and export read an archive
 * as their PATH without writing next to it and leave no temporary folder; import --from takes an archive,
 * another repository or a backup_tool folder; a truncated or flipped-byte archive is refused (exit 2) with
 * a message and imports nothing; an encrypted repository's --newest is refused (EncryptedArchive.test: by set).
 */
import { describe, expect, it } from '@ohos/hypium';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliIn, withTempDir } from './CliKit';
import { importSet, MAIL, NOTES_V1, NOTES_V2, T2, toolFolder, twoSets } from './CliRepoKit';

/** This process's archive temp folders (the CLI runs in-process here: they carry our pid). */
function ourArchiveTemps(): string[] {
  return fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(`backup-manager-archive-${process.pid}-`));
}

interface SetRow {
  id: string;
}

function setIds(doc: Record<string, unknown>): string[] {
  return (doc.sets as SetRow[]).map((s) => s.id);
}

export default function cliArchiveTests(): void {
  describe('CliArchive', () => {
    it('exportsASetToAnArchiveThatEveryReadCommandReadsWithoutWritingNextToIt', 0, async () => {
      await withTempDir('arch-read', async (dir: string) => {
        const [repo, s1] = await twoSets(dir);
        const outDir = path.join(dir, 'pc');
        fs.mkdirSync(outDir);
        const archive = path.join(outDir, 'notes.bmbackup');
        const ex = await cliIn(['export', repo, '--set', s1, '--to', archive, '--json']);
        expect(ex.code).assertEqual(0);
        expect(ex.json().format).assertEqual('archive');
        // a plain tar: its first entry is the table of contents
        expect(fs.readFileSync(archive).subarray(0, 27).toString('latin1')).assertEqual('backup-manager-archive.json');

        const sets = await cliIn(['sets', archive, '--json']);
        expect(sets.code).assertEqual(0);
        expect(JSON.stringify(setIds(sets.json()))).assertEqual(JSON.stringify([s1]));
        expect(sets.json().store).assertEqual(archive);
        const apps = await cliIn(['apps', archive]);
        expect(apps.code).assertEqual(0);
        expect(apps.stdout).assertContain('com.example.notes');
        expect(apps.stdout).assertContain('com.example.mail');
        const verify = await cliIn(['verify', archive, '--full', '--json']);
        expect(verify.code).assertEqual(0);
        expect(verify.json().ok).assertTrue();
        const folder = path.join(dir, 'tool-out');
        const back = await cliIn(['export', archive, '--set', s1, '--to', folder]);
        expect(back.code).assertEqual(0);
        expect(fs.readFileSync(path.join(folder, 'com.example.notes', 'part.0.tar'), 'utf8')).assertEqual(NOTES_V1);
        expect(fs.readFileSync(path.join(folder, 'com.example.mail', 'part.0.tar'), 'utf8')).assertEqual(MAIL);
        expect(fs.existsSync(path.join(folder, 'capabilities.json'))).assertTrue();

        // nothing was written next to the archive, and no temporary folder is left
        expect(JSON.stringify(fs.readdirSync(outDir))).assertEqual(JSON.stringify(['notes.bmbackup']));
        expect(ourArchiveTemps().length).assertEqual(0);
      });
    });

    it('exportsEachAppsNewestCopyWithNewest', 0, async () => {
      await withTempDir('arch-newest', async (dir: string) => {
        const [repo, , s2] = await twoSets(dir);
        const s3 = await importSet(repo, toolFolder(path.join(dir, 'tool3'), [
          { id: 'com.example.notes', files: { 'part.0.tar': 'notes, third' } },
        ], T2 + 3600 * 1000));
        const archive = path.join(dir, 'newest.bmbackup');
        const ex = await cliIn(['export', repo, '--newest', '--to', archive, '--json']);
        expect(ex.code).assertEqual(0);
        // mail's newest copy is in set 2, notes' in set 3 (set 2 reduced to mail)
        expect(JSON.stringify(ex.json().sets)).assertEqual(JSON.stringify([s2, s3]));
        const folder = path.join(dir, 'out2');
        expect((await cliIn(['export', archive, '--set', s2, '--to', folder])).code).assertEqual(0);
        expect(JSON.stringify(fs.readdirSync(folder).sort())).assertEqual(JSON.stringify(['capabilities.json', 'com.example.mail']));
        // --newest is for an archive, and --set or --newest is needed
        expect((await cliIn(['export', repo, '--newest', '--to', path.join(dir, 'f')])).code).assertEqual(2);
        expect((await cliIn(['export', repo, '--to', path.join(dir, 'g.bmbackup')])).code).assertEqual(2);
        // an archive is never overwritten
        const again = await cliIn(['export', repo, '--newest', '--to', archive]);
        expect(again.code).assertEqual(2);
        expect(again.stderr).assertContain('exists already');
      });
    });

    it('importTakesAnArchiveAnotherRepositoryOrABackupToolFolder', 0, async () => {
      await withTempDir('arch-import', async (dir: string) => {
        const [repo, s1, s2] = await twoSets(dir);
        const archive = path.join(dir, 'x.bmbackup');
        expect((await cliIn(['export', repo, '--set', s2, '--to', archive])).code).assertEqual(0);
        const target = path.join(dir, 'other');
        const first = await cliIn(['import', target, '--from', archive, '--json']);
        expect(first.code).assertEqual(0);
        const made = first.json().sets as { archiveSetId: string; setId: string }[];
        expect(made.length).assertEqual(1);
        expect(made[0].archiveSetId).assertEqual(s2);
        const again = await cliIn(['import', target, '--from', archive, '--json']);
        expect(again.code).assertEqual(0);
        expect(JSON.stringify(again.json().skipped)).assertEqual(JSON.stringify([s2]));
        const out = path.join(dir, 'o1');
        expect((await cliIn(['export', target, '--set', made[0].setId, '--to', out])).code).assertEqual(0);
        expect(fs.readFileSync(path.join(out, 'com.example.notes', 'part.0.tar'), 'utf8')).assertEqual(NOTES_V2);

        // another repository: its sets, same ids
        const copy = path.join(dir, 'copy');
        const fromRepo = await cliIn(['import', copy, '--from', repo, '--json']);
        expect(fromRepo.code).assertEqual(0);
        expect(fromRepo.json().format).assertEqual('repository');
        const listed = setIds((await cliIn(['sets', copy, '--json'])).json()).sort();
        expect(JSON.stringify(listed)).assertEqual(JSON.stringify([s1, s2].sort()));
        // a backup_tool folder, as before
        const tool = await cliIn(['import', copy, '--from', path.join(dir, 'tool1'), '--json']);
        expect(tool.code).assertEqual(0);
        expect(setIds((await cliIn(['sets', copy, '--json'])).json()).length).assertEqual(3);
      });
    });

    it('refusesATruncatedOrFlippedArchiveAndImportsNothing', 0, async () => {
      await withTempDir('arch-bad', async (dir: string) => {
        const [repo, s1] = await twoSets(dir);
        const good = path.join(dir, 'good.bmbackup');
        expect((await cliIn(['export', repo, '--set', s1, '--to', good])).code).assertEqual(0);
        const bytes = fs.readFileSync(good);
        const truncated = path.join(dir, 'truncated.bmbackup');
        fs.writeFileSync(truncated, bytes.subarray(0, bytes.length - 2048));
        const flipped = path.join(dir, 'flipped.bmbackup');
        const f = Buffer.from(bytes);
        // a byte of the last blob's content (the entry before the trailer): only its SHA-256 catches it
        const at = f.lastIndexOf(Buffer.from(NOTES_V1)) >= 0 ? f.lastIndexOf(Buffer.from(NOTES_V1)) : f.lastIndexOf(Buffer.from(MAIL));
        expect(at > 0).assertTrue();
        f[at + 2] ^= 0x01;
        fs.writeFileSync(flipped, f);
        const cases: [string, string][] = [[truncated, 'truncated'], [flipped, 'does not match its SHA-256']];
        for (const [bad, why] of cases) {
          const target = path.join(dir, `into-${path.basename(bad)}`);
          const imp = await cliIn(['import', target, '--from', bad]);
          expect(imp.code).assertEqual(2);
          expect(imp.stderr).assertContain(why);
          expect(imp.stderr).assertContain('nothing was imported');
          const snaps = path.join(target, 'snapshots');
          expect(fs.existsSync(snaps) ? fs.readdirSync(snaps).length : 0).assertEqual(0);
          for (const cmd of [['sets', bad], ['apps', bad], ['verify', bad, '--full']]) {
            const r = await cliIn(cmd);
            expect(r.code).assertEqual(2);
            expect(r.stderr).assertContain(why);
          }
        }
        expect(ourArchiveTemps().length).assertEqual(0);
      });
    });

    // (--newest of an encrypted repository holding sets: EncryptedImport.test.ts; the archive stays encrypted)
    it('anEncryptedRepositoryWithNoGoodCopyExportsNothing', 0, async () => {
      await withTempDir('arch-enc', async (dir: string) => {
        const repo = path.join(dir, 'enc');
        const key = path.join(dir, 'key.txt');
        expect((await cliIn(['init', repo, '--encrypt', '--key-out', key])).code).assertEqual(0);
        const archive = path.join(dir, 'e.bmbackup');
        const r = await cliIn(['export', repo, '--newest', '--to', archive], { BACKUP_MANAGER_KEY: fs.readFileSync(key, 'utf8') });
        expect(r.code).assertEqual(2);
        expect(r.stderr).assertContain('no app has a good copy');
        expect(fs.existsSync(archive)).assertFalse();
        expect(fs.existsSync(`${archive}.partial`)).assertFalse();
      });
    });
  });
}
