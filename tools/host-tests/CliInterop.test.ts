/*
 * Host-only tests of `export` and `import` (backup_tool's layout): a set exported is the source folder again
 * and imports back without new content; the destination must be new or empty; a damaged blob fails the
 * export and leaves nothing; an import of a folder with a symbolic link or a hostile name imports nothing;
 * --json and the exit codes of each.
 */
import { describe, expect, it } from '@ohos/hypium';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { cli, cliIn, CliRun, withTempDir } from './CliKit';
import { blobOf, blobPath, capsJson, importSet, NOTES_V2, T1, toolFolder, tree, twoSets } from './CliRepoKit';

type Doc = Record<string, unknown>;

function oneErrorLine(r: CliRun): boolean {
  const lines = r.errLines();
  return lines.length === 1 && lines[0].startsWith('backup-manager: ');
}

/** This process's open fds (every command here runs in this process: none may leak). */
function openFds(): number {
  return fs.readdirSync('/proc/self/fd').length;
}

function snapshots(repo: string): string[] {
  return fs.existsSync(path.join(repo, 'snapshots')) ? fs.readdirSync(path.join(repo, 'snapshots')) : [];
}

function blobCount(repo: string): number {
  const blobs = path.join(repo, 'blobs');
  if (!fs.existsSync(blobs)) {
    return 0;
  }
  return fs.readdirSync(blobs).reduce((n, d) => n + fs.readdirSync(path.join(blobs, d)).length, 0);
}

export default function cliInteropTests(): void {
  describe('CliExport', () => {
    it('exportWritesTheToolLayoutThatImportsBackWithNothingNew', 0, async () => {
      await withTempDir('export', async (dir: string) => {
        const ids = await twoSets(dir);
        const repo = ids[0];
        const out = path.join(dir, 'out');
        const fds = openFds();
        const r = await cliIn(['export', repo, '--set', ids[2], '--to', out, '--json']);
        expect(r.code).assertEqual(0);
        expect(openFds()).assertEqual(fds);
        const doc = r.json();
        expect(doc.setId).assertEqual(ids[2]);
        expect(doc.files).assertEqual(4);
        expect(doc.capabilities).assertEqual(true);
        // The same files as the folder set 2 was imported from, byte for byte.
        const src = path.join(dir, 'tool2');
        expect(tree(out)).assertDeepEquals(tree(src));
        for (const f of tree(src)) {
          expect(fs.readFileSync(path.join(out, f)).equals(fs.readFileSync(path.join(src, f)))).assertTrue();
        }
        const text = await cliIn(['export', repo, '--set', ids[2], '--to', path.join(dir, 'out2'),
          '--bundles', 'com.example.notes']);
        expect(text.code).assertEqual(0);
        expect(text.stdout).assertContain('1 app');
        expect(tree(path.join(dir, 'out2'))).assertDeepEquals(['capabilities.json', 'com.example.notes/manage.json',
          'com.example.notes/part.0.tar']);
        // Imported back: a new set, and the repository does not grow.
        const before = blobCount(repo);
        const back = await cliIn(['import', repo, '--from', out, '--json']);
        expect(back.code).assertEqual(0);
        expect(back.json().newBlobs).assertEqual(0);
        expect(blobCount(repo)).assertEqual(before);
        expect(snapshots(repo).length).assertEqual(3);
      });
    });

    it('exportRefusesADestinationThatIsNotNewOrEmpty', 0, async () => {
      await withTempDir('export-dest', async (dir: string) => {
        const ids = await twoSets(dir);
        const repo = ids[0];
        const full = path.join(dir, 'full');
        fs.mkdirSync(full);
        fs.writeFileSync(path.join(full, 'mine.txt'), 'the user\'s');
        const cases: string[][] = [
          ['export', repo, '--set', ids[2], '--to', full],
          ['export', repo, '--set', ids[2], '--to', path.join(full, 'mine.txt')],
          ['export', repo, '--set', ids[2], '--to', path.join(repo, 'inside')],
          ['export', repo, '--set', '20200101-000000-abcd', '--to', path.join(dir, 'a')],
          ['export', repo, '--set', 'nope', '--to', path.join(dir, 'b')],
          ['export', repo, '--set', ids[2], '--to', path.join(dir, 'c'), '--bundles', 'com.example.none'],
          ['export', path.join(dir, 'missing'), '--set', ids[2], '--to', path.join(dir, 'd')],
          ['export', repo, '--to', path.join(dir, 'e')],
          ['export', path.join(dir, 'link'), '--set', ids[2], '--to', path.join(repo, 'inside')],
        ];
        fs.symlinkSync(repo, path.join(dir, 'link'));
        for (const c of cases) {
          const r = await cliIn(c);
          expect(`${c.join(' ')} -> ${r.code}`).assertEqual(`${c.join(' ')} -> 2`);
          expect(oneErrorLine(r)).assertTrue();
        }
        expect(fs.readdirSync(full)).assertDeepEquals(['mine.txt']);
        expect(fs.readFileSync(path.join(full, 'mine.txt'), 'utf8')).assertEqual('the user\'s');
        expect(fs.existsSync(path.join(repo, 'inside'))).assertFalse();
        for (const name of ['a', 'b', 'c', 'd', 'e']) {
          expect(fs.existsSync(path.join(dir, name))).assertFalse();
        }
        const r = await cliIn(['export', repo, '--set', ids[2], '--to', full, '--json']);
        expect(r.json().ok).assertEqual(false);
        expect((r.json().error as Doc).message as string).assertContain('not empty');
      });
    });

    it('aDamagedBlobFailsTheExportWithExitOneAndLeavesNothing', 0, async () => {
      await withTempDir('export-damage', async (dir: string) => {
        const ids = await twoSets(dir);
        const repo = ids[0];
        const blob = blobOf(repo, ids[2], 'com.example.notes', 'part.0.tar');
        fs.writeFileSync(blobPath(repo, blob), NOTES_V2.toUpperCase());
        const out = path.join(dir, 'out');
        const fds = openFds();
        const r = await cliIn(['export', repo, '--set', ids[2], '--to', out, '--json']);
        expect(r.code).assertEqual(1);
        expect(openFds()).assertEqual(fds);
        const err = r.json().error as Doc;
        expect(err.message as string).assertContain('does not match its checksum');
        expect(err.appId).assertEqual('com.example.notes');
        expect(err.uri).assertEqual('part.0.tar');
        expect(err.blob).assertEqual(blob);
        expect(fs.existsSync(out)).assertFalse();
        // Set 1 does not use that blob: it still exports.
        expect((await cliIn(['export', repo, '--set', ids[1], '--to', out])).code).assertEqual(0);
      });
    });
  });

  describe('CliImport', () => {
    it('importMakesOneSetAndSaysWhichAppsAreNotDone', 0, async () => {
      await withTempDir('import', async (dir: string) => {
        const repo = path.join(dir, 'repo');
        const src = toolFolder(path.join(dir, 'tool'), [
          { id: 'com.example.notes', files: { 'part.0.tar': 'notes' } },
          { id: 'com.example.mail', files: { 'part.0.tar': 'mail' }, noManage: true },
        ], T1);
        const r = await cli(['import', repo, '--from', src, '--json']);
        expect(r.code).assertEqual(1);
        const doc = r.json();
        expect(doc.status).assertEqual('partial');
        const apps = doc.apps as Doc[];
        expect(apps.map((a) => `${a.id}:${a.outcome}`).sort())
          .assertDeepEquals(['com.example.mail:failed', 'com.example.notes:done']);
        expect((apps.find((a) => a.id === 'com.example.mail') as Doc).error as string)
          .assertContain('manage.json is missing');
        const sets = (await cliIn(['sets', repo, '--json'])).json().sets as Doc[];
        expect(sets.map((s) => s.id)).assertDeepEquals([doc.setId]);
        expect(sets[0].createdAtMs).assertEqual(T1);
        // A separate capability file.
        const caps = path.join(dir, 'caps.json');
        fs.writeFileSync(caps, capsJson(['com.example.notes']));
        fs.rmSync(path.join(src, 'capabilities.json'));
        fs.rmSync(path.join(src, 'com.example.mail'), { recursive: true });
        const text = await cliIn(['import', repo, '--from', src, '--caps', caps]);
        expect(text.code).assertEqual(0);
        expect(text.stdout).assertContain('1 of 1 app done');
      });
    });

    it('aFolderWithALinkOrAHostileNameImportsNothing', 0, async () => {
      await withTempDir('import-bad', async (dir: string) => {
        const repo = path.join(dir, 'repo');
        await importSet(repo, toolFolder(path.join(dir, 'good'), [
          { id: 'com.example.notes', files: { 'part.0.tar': 'notes' } }], T1));
        const blobsBefore = blobCount(repo);
        const secret = path.join(dir, 'secret.txt');
        fs.writeFileSync(secret, 'not for the backup');
        const make = (name: string, extra: (src: string) => void): string => {
          const src = toolFolder(path.join(dir, name), [
            { id: 'com.example.mail', files: { 'part.0.tar': 'mail' } }], T1);
          extra(src);
          return src;
        };
        const sources = [
          make('link-file', (s) => fs.symlinkSync(secret, path.join(s, 'com.example.mail', 'part.1.tar'))),
          make('link-bundle', (s) => fs.symlinkSync(path.join(dir, 'good', 'com.example.notes'),
            path.join(s, 'com.example.notes'))),
          make('link-caps', (s) => {
            fs.rmSync(path.join(s, 'capabilities.json'));
            fs.symlinkSync(secret, path.join(s, 'capabilities.json'));
          }),
          make('hostile-folder', (s) => fs.mkdirSync(path.join(s, '.hidden'))),
          make('hostile-file', (s) => fs.writeFileSync(path.join(s, 'com.example.mail', 'bad\u001bname'), 'x')),
          make('nested', (s) => fs.mkdirSync(path.join(s, 'com.example.mail', 'sub'))),
          // A FIFO looks like a file to the scan; the open refuses it without waiting, and the run is aborted.
          make('fifo', (s) => execFileSync('mkfifo', [path.join(s, 'com.example.mail', 'part.1.tar')])),
        ];
        const fds = openFds();
        for (const src of sources) {
          const r = await cliIn(['import', repo, '--from', src, '--json']);
          expect(`${path.basename(src)} -> ${r.code}`).assertEqual(`${path.basename(src)} -> 2`);
          expect(r.json().ok).assertEqual(false);
          expect(oneErrorLine(r)).assertTrue();
        }
        const hostile = await cliIn(['import', repo, '--from', sources[4]]);
        expect(hostile.stderr).assertContain('nothing was imported');
        expect(hostile.stderr).assertContain('bad\\u001bname');   // named, and the escape shown, not sent
        expect((await cliIn(['import', repo, '--from', sources[0]])).stderr).assertContain('a symbolic link');
        expect(openFds()).assertEqual(fds);
        // Nothing was imported: one set, the same blobs, no run or temporary file left.
        expect(snapshots(repo).length).assertEqual(1);
        expect(blobCount(repo)).assertEqual(blobsBefore);
        expect(fs.readdirSync(path.join(repo, 'tmp'))).assertDeepEquals([] as string[]);
        expect(fs.readdirSync(path.join(repo, 'runs'))).assertDeepEquals([] as string[]);
        // Missing pieces are bad input too.
        const none = path.join(dir, 'none');
        fs.mkdirSync(none);
        fs.writeFileSync(path.join(none, 'capabilities.json'), capsJson([]));
        const noCaps = toolFolder(path.join(dir, 'nocaps'), [{ id: 'com.example.a', files: { x: 'x' } }], T1);
        fs.rmSync(path.join(noCaps, 'capabilities.json'));
        const cases: string[][] = [
          ['import', repo, '--from', path.join(dir, 'missing')],
          ['import', repo, '--from', none],
          ['import', repo, '--from', noCaps],
          ['import', repo, '--from', repo],
          ['import', repo],
        ];
        for (const c of cases) {
          const r = await cliIn(c);
          expect(`${c.join(' ')} -> ${r.code}`).assertEqual(`${c.join(' ')} -> 2`);
          expect(oneErrorLine(r)).assertTrue();
        }
        expect(snapshots(repo).length).assertEqual(1);
      });
    });
  });
}
