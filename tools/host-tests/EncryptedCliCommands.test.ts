/*
 * Every CLI command on an encrypted repository (tools/cli/repo.ts openUnlocked, tools/cli/repokey.ts): each
 * takes --key FILE or BACKUP_MANAGER_KEY; a missing, wrong or mistyped key is exit 2 saying which (never a
 * stack trace), and so is a key for a plain repository or for a repository not created yet (a writer would
 * create it plain). export writes plain text read through the repository (authenticated and decrypted);
 * import stores encrypted; a changed byte in a blob fails verify, restore and export for that file (exit 1),
 * and nothing unauthenticated is written. After a CLI backup and an import no bundle name, uri, device name
 * or file content is in the repository's files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from '@ohos/hypium';
import { cliIn, CliRun, withTempDir } from './CliKit';
import {
  damageEncryptedFile, encryptedRepo, MAIL, NOTES_V1, NOTES_V2, plainTextIn, T1, T2, toolFolder, tree, unlockedRepo,
} from './CliRepoKit';

const NO_KEY = { BACKUP_MANAGER_KEY: undefined };

function noStack(r: CliRun): boolean {
  return !r.stderr.includes('    at ') && !r.stdout.includes('    at ');
}

/** Two backup_tool folders (notes v1 + mail at T1, notes v2 + mail at T2) under dir. */
function toolFolders(dir: string): string[] {
  return [
    toolFolder(path.join(dir, 'tool1'), [
      { id: 'com.example.notes', files: { 'part.0.tar': NOTES_V1 } },
      { id: 'com.example.mail', files: { 'part.0.tar': MAIL } },
    ], T1),
    toolFolder(path.join(dir, 'tool2'), [
      { id: 'com.example.notes', files: { 'part.0.tar': NOTES_V2 } },
      { id: 'com.example.mail', files: { 'part.0.tar': MAIL } },
    ], T2),
  ];
}

/** An encrypted repository dir/repo (code in dir/key.txt) with the two tool folders imported: [repo, key, s1, s2]. */
async function encryptedTwoSets(dir: string): Promise<string[]> {
  const repo = path.join(dir, 'repo');
  const key = path.join(dir, 'key.txt');
  await encryptedRepo(repo, key);
  const ids: string[] = [];
  for (const folder of toolFolders(dir)) {
    const r = await cliIn(['--json', 'import', repo, '--from', folder, '--key', key], NO_KEY);
    if (r.code !== 0) {
      throw new Error(`import failed (exit ${r.code}): ${r.stderr}`);
    }
    ids.push(r.json().setId as string);
  }
  return [repo, key, ids[0], ids[1]];
}

export default function encryptedCliCommandsTests(): void {
  describe('EncryptedCliCommands', () => {
    it('everyReaderAndWriterWorksWithTheKeyFromAFileOrTheEnvironment', 0, async () => {
      await withTempDir('enc-cmds', async (dir) => {
        const [repo, key, s1, s2] = await encryptedTwoSets(dir);
        const code = fs.readFileSync(key, 'utf8');
        const sets = await cliIn(['--json', 'sets', repo, '--key', key], NO_KEY);
        expect(sets.code).assertEqual(0);
        expect((sets.json().sets as { id: string }[]).map((s) => s.id).join(',')).assertEqual(`${s2},${s1}`);
        const apps = await cliIn(['--json', 'apps', repo], { BACKUP_MANAGER_KEY: code });
        expect(apps.code).assertEqual(0);
        const notes = (apps.json().apps as { id: string; copies: number }[]).find((a) => a.id === 'com.example.notes');
        expect(notes?.copies).assertEqual(2);
        const full = await cliIn(['--json', 'verify', repo, '--full', '--key', key], NO_KEY);
        expect(full.code).assertEqual(0);
        expect(full.json().ok).assertEqual(true);
        expect((await cliIn(['verify', repo, '--set', s1, '--key', key], NO_KEY)).code).assertEqual(0);
        const out = path.join(dir, 'out');
        const exported = await cliIn(['--json', 'export', repo, '--set', s1, '--to', out, '--key', key], NO_KEY);
        expect(exported.code).assertEqual(0);
        expect(exported.json().decrypted).assertEqual(true);
        // the export is the plain layout again: the same files with the same bytes as the folder imported
        expect(tree(out).join(',')).assertEqual(tree(path.join(dir, 'tool1')).join(','));
        expect(fs.readFileSync(path.join(out, 'com.example.notes', 'part.0.tar'), 'utf8')).assertEqual(NOTES_V1);
        expect(fs.readFileSync(path.join(out, 'capabilities.json'), 'utf8'))
          .assertEqual(fs.readFileSync(path.join(dir, 'tool1', 'capabilities.json'), 'utf8'));
        const dry = await cliIn(['--json', 'prune', repo, '--keep', '1', '--dry-run', '--key', key], NO_KEY);
        expect(dry.code).assertEqual(0);
        const pruned = await cliIn(['--json', 'prune', repo, '--keep', '1', '--key', key], NO_KEY);
        expect(pruned.code).assertEqual(0);
        expect((pruned.json().deleted as string[]).join(',')).assertEqual(s1);
        expect((await cliIn(['verify', repo, '--full', '--key', key], NO_KEY)).code).assertEqual(0);
      });
    });

    it('backupAndRestoreRunOnAnEncryptedRepository', 0, async () => {
      await withTempDir('enc-run', async (dir) => {
        const repo = path.join(dir, 'repo');
        const key = path.join(dir, 'key.txt');
        await encryptedRepo(repo, key);
        const b = await cliIn(['--json', 'backup', '--to', repo, '--bundles', 'com.example.notes,com.example.mail',
          '--key', key], NO_KEY);
        expect(b.code).assertEqual(0);
        const setId = b.json().setId as string;
        const m = await (await unlockedRepo(repo, key)).getSet(setId);
        expect(m.apps.length).assertEqual(2);
        // every file the mock handed over is checked byte for byte by the mock when it is restored
        const r = await cliIn(['--json', 'restore', '--from', repo, '--key', key], NO_KEY);
        expect(r.code).assertEqual(0);
        expect((r.json().sets as string[]).join(',')).assertEqual(setId);
      });
    });

    it('eachCommandSaysWhichKeyProblemItIsWithExit2', 0, async () => {
      await withTempDir('enc-keys', async (dir) => {
        const [repo, key, s1] = await encryptedTwoSets(dir);
        const other = path.join(dir, 'other.txt');
        await encryptedRepo(path.join(dir, 'other'), other);
        const typo = path.join(dir, 'typo.txt');
        const groups = fs.readFileSync(key, 'utf8').trim().split('-');
        groups[1] = groups[1].charAt(0) === 'A' ? `B${groups[1].substring(1)}` : `A${groups[1].substring(1)}`;
        fs.writeFileSync(typo, groups.join('-'));
        const tool = path.join(dir, 'tool1');
        const commands: string[][] = [
          ['sets', repo], ['apps', repo], ['verify', repo], ['verify', repo, '--full'], ['prune', repo, '--keep', '1'],
          ['export', repo, '--set', s1, '--to', path.join(dir, 'x')], ['import', repo, '--from', tool],
          ['backup', '--to', repo, '--bundles', 'com.example.notes'], ['restore', '--from', repo],
        ];
        const before = tree(repo).join(',');
        for (const c of commands) {
          const what = c.join(' ');
          const missing = await cliIn(c, NO_KEY);
          expect(`${what}: ${missing.code}`).assertEqual(`${what}: 2`);
          expect(missing.stderr).assertContain('is an encrypted repository: give its recovery code with --key FILE or BACKUP_MANAGER_KEY');
          const wrong = await cliIn([...c, '--key', other], NO_KEY);
          expect(`${what}: ${wrong.code}`).assertEqual(`${what}: 2`);
          expect(wrong.stderr).assertContain('does not open');
          const mistyped = await cliIn(c, { BACKUP_MANAGER_KEY: fs.readFileSync(typo, 'utf8') });
          expect(`${what}: ${mistyped.code}`).assertEqual(`${what}: 2`);
          expect(mistyped.stderr).assertContain('group 2 is mistyped');
          const unreadable = await cliIn([...c, '--key', path.join(dir, 'nope.txt')], NO_KEY);
          expect(`${what}: ${unreadable.code}`).assertEqual(`${what}: 2`);
          expect(unreadable.stderr).assertContain('cannot read it (ENOENT)');
          for (const r of [missing, wrong, mistyped, unreadable]) {
            expect(noStack(r)).assertTrue();
          }
          const json = await cliIn(['--json', ...c], NO_KEY);
          expect(json.json().exitCode).assertEqual(2);
        }
        expect(fs.existsSync(path.join(dir, 'x'))).assertFalse();
        expect(tree(repo).join(',')).assertEqual(before);
      });
    });

    it('refusesAKeyForAPlainRepositoryOrOneNotCreatedYet', 0, async () => {
      await withTempDir('enc-plainkey', async (dir) => {
        const key = path.join(dir, 'key.txt');
        await encryptedRepo(path.join(dir, 'enc'), key);
        const plain = path.join(dir, 'plain');
        const [tool] = toolFolders(dir);
        const imported = await cliIn(['--json', 'import', plain, '--from', tool], NO_KEY);
        expect(imported.code).assertEqual(0);
        const s1 = imported.json().setId as string;
        const commands: string[][] = [
          ['sets', plain], ['apps', plain], ['verify', plain], ['prune', plain, '--keep', '1'],
          ['export', plain, '--set', s1, '--to', path.join(dir, 'x')], ['import', plain, '--from', tool],
          ['backup', '--to', plain, '--bundles', 'com.example.notes'], ['restore', '--from', plain],
        ];
        const before = tree(plain).join(',');
        for (const c of commands) {
          const r = await cliIn([...c, '--key', key], NO_KEY);
          expect(`${c.join(' ')}: ${r.code}`).assertEqual(`${c.join(' ')}: 2`);
          expect(r.stderr).assertContain('is not encrypted');
          expect(noStack(r)).assertTrue();
        }
        expect(tree(plain).join(',')).assertEqual(before);
        // a writer that would create the repository refuses a key: it would create a plain one
        for (const c of [['import', path.join(dir, 'new1'), '--from', tool], ['backup', '--to', path.join(dir, 'new2')]]) {
          const r = await cliIn([...c, '--key', key], NO_KEY);
          expect(r.code).assertEqual(2);
          expect(r.stderr).assertContain('holds no repository yet');
          expect(r.stderr).assertContain('init DIR --encrypt');
        }
        expect(fs.existsSync(path.join(dir, 'new1'))).assertFalse();
        expect(fs.existsSync(path.join(dir, 'new2'))).assertFalse();
        // the old layout (sets/<id>, no repository.json) is never encrypted: a key for it is refused as well
        const old = path.join(dir, 'old');
        const oldSet = path.join(old, 'sets', '20260701-100000-abcd');
        fs.mkdirSync(oldSet, { recursive: true });
        for (const c of [['sets', old], ['apps', old], ['verify', oldSet], ['restore', '--from', oldSet]]) {
          const r = await cliIn([...c, '--key', key], NO_KEY);
          expect(`${c.join(' ')}: ${r.code}`).assertEqual(`${c.join(' ')}: 2`);
          expect(r.stderr).assertContain('not encrypted');
          expect(noStack(r)).assertTrue();
        }
        expect(tree(old).length).assertEqual(0);
      });
    });

    it('aChangedByteFailsVerifyRestoreAndExportOfThatFile', 0, async () => {
      await withTempDir('enc-damage', async (dir) => {
        const repo = path.join(dir, 'repo');
        const key = path.join(dir, 'key.txt');
        await encryptedRepo(repo, key);
        const b = await cliIn(['--json', 'backup', '--to', repo, '--bundles', 'com.example.notes,com.example.mail',
          '--key', key], NO_KEY);
        expect(b.code).assertEqual(0);
        const setId = b.json().setId as string;
        const m = await (await unlockedRepo(repo, key)).getSet(setId);
        const notes = m.apps.find((a) => a.id === 'com.example.notes');
        const uri = notes !== undefined ? notes.files[0].uri : '';
        await damageEncryptedFile(repo, key, setId, 'com.example.notes', uri);
        const v = await cliIn(['--json', 'verify', repo, '--full', '--key', key], NO_KEY);
        expect(v.code).assertEqual(1);
        expect(JSON.stringify(v.json().problems)).assertContain('failed authentication');
        expect(JSON.stringify(v.json().problems)).assertContain(`com.example.notes`);
        const out = path.join(dir, 'out');
        const e = await cliIn(['--json', 'export', repo, '--set', setId, '--to', out, '--key', key], NO_KEY);
        expect(e.code).assertEqual(1);
        expect(e.stderr).assertContain(`com.example.notes/${uri}`);
        expect(e.stderr).assertContain('cannot be authenticated');
        expect(noStack(e)).assertTrue();
        expect(fs.existsSync(out)).assertFalse();
        // the other app alone exports
        const mail = await cliIn(['export', repo, '--set', setId, '--to', out, '--bundles', 'com.example.mail',
          '--key', key], NO_KEY);
        expect(mail.code).assertEqual(0);
        const r = await cliIn(['--json', 'restore', '--from', repo, '--key', key], NO_KEY);
        expect(r.code).assertEqual(1);
        const states = (r.json().bundles as { id: string; state: string }[]).map((x) => `${x.id}=${x.state}`).sort();
        expect(states.join(',')).assertEqual('com.example.mail=done,com.example.notes=failed');
      });
    });

    it('setsRecoversWhatAKilledRunLeftInAnEncryptedRepository', 0, async () => {
      await withTempDir('enc-recover', async (dir) => {
        const [repo, key] = await encryptedTwoSets(dir);
        // a killed run's temporary file: sets (no other writer) recovers the repository, which needs its key
        const junk = path.join(repo, 'tmp', 'left-by-a-killed-run');
        fs.writeFileSync(junk, 'partial');
        const r = await cliIn(['--verbose', 'sets', repo, '--key', key], NO_KEY);
        expect(r.code).assertEqual(0);
        expect(r.stderr.includes('was not recovered')).assertFalse();
        expect(fs.existsSync(junk)).assertFalse();
      });
    });

    it('demoEncryptRunsOnAnEncryptedRepositoryButNeverKeepsOneNobodyCanOpen', 0, async () => {
      const r = await cliIn(['--json', 'demo', '--encrypt'], NO_KEY);
      expect(r.code).assertEqual(0);
      expect(r.json().encrypted).assertEqual(true);
      expect(r.json().ok).assertEqual(true);
      const kept = await cliIn(['demo', '--encrypt', '--keep'], NO_KEY);
      expect(kept.code).assertEqual(2);
      expect(kept.stderr).assertContain('nobody can open');
    });

    it('leavesNoPlainTextInTheRepositoryAfterABackupAndAnImport', 0, async () => {
      await withTempDir('enc-plaintext', async (dir) => {
        const repo = path.join(dir, 'repo');
        const key = path.join(dir, 'key.txt');
        await encryptedRepo(repo, key);
        const b = await cliIn(['--json', 'backup', '--to', repo, '--key', key], NO_KEY);
        expect(b.code).assertEqual(0);
        const [tool] = toolFolders(dir);
        const i = await cliIn(['--json', 'import', repo, '--from', tool, '--key', key], NO_KEY);
        expect(i.code).assertEqual(0);
        const unlocked = await unlockedRepo(repo, key);
        const needles = new Set<string>(['OpenHarmony', 'com.example', 'part.0.tar', 'manage.json', NOTES_V1, MAIL]);
        for (const id of [b.json().setId as string, i.json().setId as string]) {
          const m = await unlocked.getSet(id);
          m.apps.forEach((a) => {
            needles.add(a.id);
            a.files.forEach((f) => needles.add(f.uri));
          });
        }
        expect(needles.size > 8).assertTrue();
        expect(plainTextIn(repo, [...needles]).join('; ')).assertEqual('');
        // the scan finds them when they are there: the same backup into a plain repository
        const plain = path.join(dir, 'plain');
        expect((await cliIn(['backup', '--to', plain], NO_KEY)).code).assertEqual(0);
        expect(plainTextIn(plain, ['com.example', 'OpenHarmony']).length > 0).assertTrue();
      });
    });
  });
}
