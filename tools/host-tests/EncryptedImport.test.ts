/*
 * Encrypted archives on the command line, the rest of issue 14: `export --newest` of an encrypted repository
 * (each app's newest copy, each set's manifest reduced and sealed anew with the same key: no plain name in the
 * archive, and every read command reads it with --key giving the right bytes), and `import DIR --from
 * X.bmbackup --key F` into an EXISTING plain repository (stored plain) or one encrypted with another key
 * (--dir-key: re-encrypted with its own), with the exit codes of a missing, mistyped or wrong code and of a
 * damaged archive (nothing imported), and a second import that skips what came in before.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from '@ohos/hypium';
import { cliIn, withTempDir } from './CliKit';
import { Repository } from '../../entry/src/main/ets/backup/repo/Repository';
import { BundleOutcome } from '../../entry/src/main/ets/backup/model/SetManifest';
import { SilentLogger } from '../../entry/src/main/ets/backup/port/Logger';
import { SystemClock } from '../../entry/src/main/ets/backup/port/Clock';
import { NodeFileStore } from '../host/NodeFileStore';
import { encryptedRepo, MAIL, NOTES_V1, NOTES_V2, plainTextIn, toolFolder, twoSets } from './CliRepoKit';
import { encryptedSets, needlesOf, NO_KEY } from './EncryptedArchive.test';

interface AppJson {
  id: string;
  newest: { setId: string } | null;
}

/** "app@set of its newest copy" for every app with a good copy, sorted. */
function newestOf(apps: AppJson[]): string {
  return apps.filter((a) => a.newest !== null).map((a) => `${a.id}@${a.newest?.setId}`).sort().join(',');
}

/** A few apps of the simulated device (small ones: the suites run on a loaded machine). */
const SOME_APPS = 'com.example.notes,com.example.mail,com.example.fitness';

function setsIn(repo: string): number {
  const snaps = path.join(repo, 'snapshots');
  return fs.existsSync(snaps) ? fs.readdirSync(snaps).length : 0;
}

export default function encryptedImportTests(): void {
  describe('EncryptedImport', () => {
    it('exportNewestOfAnEncryptedRepositoryIsReadWithTheKeyAndHoldsNoPlainName', 0, async () => {
      await withTempDir('enc-newest', async (dir) => {
        // a backup of the simulated device, then a newer copy of notes alone: the backup set is reduced
        const repo = path.join(dir, 'repo');
        const key = path.join(dir, 'key.txt');
        await encryptedRepo(repo, key);
        const bk = await cliIn(['--json', 'backup', '--to', repo, '--key', key, '--bundles', SOME_APPS], NO_KEY);
        expect(bk.code).assertEqual(0);
        const sb = bk.json().setId as string;
        const tool = toolFolder(path.join(dir, 'tool'), [{ id: 'com.example.notes', files: { 'part.0.tar': NOTES_V2 } }],
          Date.now() + 24 * 3600 * 1000);
        const im = await cliIn(['--json', 'import', repo, '--from', tool, '--key', key], NO_KEY);
        expect(im.code).assertEqual(0);
        const si = im.json().setId as string;
        const archive = path.join(dir, 'n.bmbackup');
        const ex = await cliIn(['--json', 'export', repo, '--newest', '--to', archive, '--key', key], NO_KEY);
        expect(ex.code).assertEqual(0);
        expect(ex.json().encrypted).assertEqual(true);
        expect(JSON.stringify(ex.json().sets)).assertEqual(JSON.stringify([sb, si]));
        const bytes = fs.readFileSync(archive);
        const needles = [...await needlesOf(repo, key, sb), ...await needlesOf(repo, key, si), NOTES_V2];
        expect(needles.filter((n) => bytes.includes(Buffer.from(n, 'utf8'))).join('; ')).assertEqual('');
        // every app's newest copy, from the set it is in, as the repository lists them
        const inRepo = await cliIn(['--json', 'apps', repo, '--key', key], NO_KEY);
        const inArchive = await cliIn(['--json', 'apps', archive, '--key', key], NO_KEY);
        expect(inArchive.code).assertEqual(0);
        const want = newestOf(inRepo.json().apps as unknown as AppJson[]);
        expect(want).assertContain(`com.example.notes@${si}`);
        expect(want).assertContain(`com.example.mail@${sb}`);
        expect(newestOf(inArchive.json().apps as unknown as AppJson[])).assertEqual(want);
        const full = await cliIn(['--json', 'verify', archive, '--full', '--key', key], NO_KEY);
        expect(full.code).assertEqual(0);
        expect(full.json().ok).assertEqual(true);
        // the right bytes: the newer notes, and the backup set reduced to the apps whose newest copy it holds
        const folder = path.join(dir, 'out-si');
        expect((await cliIn(['export', archive, '--set', si, '--to', folder, '--key', key], NO_KEY)).code).assertEqual(0);
        expect(fs.readFileSync(path.join(folder, 'com.example.notes', 'part.0.tar'), 'utf8')).assertEqual(NOTES_V2);
        const fromArchive = path.join(dir, 'out-sb');
        const fromRepo = path.join(dir, 'out-sb-repo');
        expect((await cliIn(['export', archive, '--set', sb, '--to', fromArchive, '--key', key], NO_KEY)).code)
          .assertEqual(0);
        expect((await cliIn(['export', repo, '--set', sb, '--to', fromRepo, '--key', key], NO_KEY)).code).assertEqual(0);
        expect(fs.existsSync(path.join(fromRepo, 'com.example.notes'))).assertTrue();
        expect(fs.existsSync(path.join(fromArchive, 'com.example.notes'))).assertFalse();
        const kept = fs.readdirSync(fromArchive).filter((n) => n !== 'capabilities.json');
        expect(kept.length > 1).assertTrue();
        for (const app of kept) {
          for (const f of fs.readdirSync(path.join(fromArchive, app))) {
            expect(fs.readFileSync(path.join(fromArchive, app, f)).equals(fs.readFileSync(path.join(fromRepo, app, f))))
              .assertTrue();
          }
        }
        // without the key: exit 2
        expect((await cliIn(['apps', archive], NO_KEY)).code).assertEqual(2);
      });
    });

    it('anArchiveOfADeviceBackupCarriesEachAppsRpManifestAndVerifiesWhole', 0, async () => {
      await withTempDir('arch-rp', async (dir) => {
        // a backup of the simulated device keeps each app's all.rp: the archive must carry it too
        const plain = path.join(dir, 'plain');
        const bp = await cliIn(['--json', 'backup', '--to', plain, '--bundles', SOME_APPS], NO_KEY);
        expect(bp.code).assertEqual(0);
        const pa = path.join(dir, 'p.bmbackup');
        expect((await cliIn(['export', plain, '--set', bp.json().setId as string, '--to', pa], NO_KEY)).code).assertEqual(0);
        const pv = await cliIn(['--json', 'verify', pa, '--full'], NO_KEY);
        expect(pv.stdout.includes('missing') ? pv.stdout : '').assertEqual('');
        expect(pv.code).assertEqual(0);
        const enc = path.join(dir, 'enc');
        const key = path.join(dir, 'key.txt');
        await encryptedRepo(enc, key);
        const be = await cliIn(['--json', 'backup', '--to', enc, '--key', key, '--bundles', SOME_APPS], NO_KEY);
        expect(be.code).assertEqual(0);
        const ea = path.join(dir, 'e.bmbackup');
        expect((await cliIn(['export', enc, '--set', be.json().setId as string, '--to', ea, '--key', key], NO_KEY)).code)
          .assertEqual(0);
        expect((await cliIn(['verify', ea, '--full', '--key', key], NO_KEY)).code).assertEqual(0);
        // imported (a plain archive into a new repository; the encrypted one into the plain repository, stored
        // plain), no app keeps an .rp manifest: an imported copy (maybe of another device) is never the base of
        // an incremental backup here, the next one is full
        const fresh = path.join(dir, 'fresh');
        const ip = await cliIn(['--json', 'import', fresh, '--from', pa], NO_KEY);
        expect(ip.code).assertEqual(0);
        const imp = await cliIn(['--json', 'import', plain, '--from', ea, '--key', key], NO_KEY);
        expect(imp.code).assertEqual(0);
        expect((await cliIn(['verify', plain, '--full'], NO_KEY)).code).assertEqual(0);
        for (const [root, id] of [[fresh, (ip.json().sets as { setId: string }[])[0].setId],
          [plain, (imp.json().sets as { setId: string }[])[0].setId]]) {
          const m = await new Repository(new NodeFileStore(), root, new SilentLogger(), { clock: new SystemClock() })
            .getSet(id);
          const done = m.apps.filter((a) => a.outcome === BundleOutcome.DONE);
          expect(done.length > 1).assertTrue();
          expect(done.filter((a) => a.manifest !== null).map((a) => a.id).join(',')).assertEqual('');
        }
      });
    });

    it('copiesOfAnIncrementalChainKeepItWhole', 0, async () => {
      await withTempDir('chain-copy', async (dir) => {
        // two backups of the simulated device: the second is incremental on the first
        const plain = path.join(dir, 'plain');
        const b1 = await cliIn(['--json', 'backup', '--to', plain, '--bundles', SOME_APPS], NO_KEY);
        const b2 = await cliIn(['--json', 'backup', '--to', plain, '--bundles', SOME_APPS], NO_KEY);
        expect(b1.code === 0 && b2.code === 0).assertTrue();
        expect(JSON.stringify(b2.json())).assertContain('incremental');
        // an encrypted copy gives its sets new ids: each increment's base names its copy there
        const enc = path.join(dir, 'enc');
        const key = path.join(dir, 'key.txt');
        expect((await cliIn(['mirror', plain, '--to', enc, '--encrypt', '--key-out', key], NO_KEY)).code).assertEqual(0);
        const ve = await cliIn(['--json', 'verify', enc, '--full', '--key', key], NO_KEY);
        expect(JSON.stringify(ve.json().problems)).assertEqual('[]');
        expect(ve.code).assertEqual(0);
        // each set in its own encrypted archive, imported one after the other into a plain repository: the
        // second's base is the set the first import made
        const ids = ((await cliIn(['--json', 'sets', enc, '--key', key], NO_KEY)).json().sets as { id: string }[])
          .map((x) => x.id).reverse();
        const into = path.join(dir, 'into');
        expect((await cliIn(['init', into], NO_KEY)).code).assertEqual(0);
        for (const id of ids) {
          const a = path.join(dir, `${id}.bmbackup`);
          expect((await cliIn(['export', enc, '--set', id, '--to', a, '--key', key], NO_KEY)).code).assertEqual(0);
          expect((await cliIn(['import', into, '--from', a, '--key', key], NO_KEY)).code).assertEqual(0);
        }
        const vi = await cliIn(['--json', 'verify', into, '--full'], NO_KEY);
        expect(JSON.stringify(vi.json().problems)).assertEqual('[]');
        expect(vi.code).assertEqual(0);
        expect((await cliIn(['restore', '--from', into], NO_KEY)).code).assertEqual(0);
        // the same with plain archives of the plain repository's sets
        const into2 = path.join(dir, 'into2');
        for (const id of [b1.json().setId as string, b2.json().setId as string]) {
          const a = path.join(dir, `plain-${id}.bmbackup`);
          expect((await cliIn(['export', plain, '--set', id, '--to', a], NO_KEY)).code).assertEqual(0);
          expect((await cliIn(['import', into2, '--from', a], NO_KEY)).code).assertEqual(0);
        }
        const vp = await cliIn(['--json', 'verify', into2, '--full'], NO_KEY);
        expect(JSON.stringify(vp.json().problems)).assertEqual('[]');
      });
    });

    it('eachAppsNewestCopyGoesWithTheChainItBuildsOn', 0, async () => {
      await withTempDir('newest-chain', async (dir) => {
        // plain and encrypted repositories with two backups each: the second is incremental on the first
        const plain = path.join(dir, 'plain');
        expect((await cliIn(['backup', '--to', plain, '--bundles', SOME_APPS], NO_KEY)).code).assertEqual(0);
        expect((await cliIn(['backup', '--to', plain, '--bundles', SOME_APPS], NO_KEY)).code).assertEqual(0);
        const enc = path.join(dir, 'enc');
        const key = path.join(dir, 'key.txt');
        await encryptedRepo(enc, key);
        expect((await cliIn(['backup', '--to', enc, '--key', key, '--bundles', SOME_APPS], NO_KEY)).code).assertEqual(0);
        expect((await cliIn(['backup', '--to', enc, '--key', key, '--bundles', SOME_APPS], NO_KEY)).code).assertEqual(0);
        const newCode = path.join(dir, 'new-key.txt');
        const cases: string[][] = [
          ['export', plain, '--newest', '--to', path.join(dir, 'p.bmbackup')],
          ['export', plain, '--newest', '--to', path.join(dir, 'pe.bmbackup'), '--encrypt', '--key-out', newCode],
          ['export', enc, '--newest', '--to', path.join(dir, 'e.bmbackup'), '--key', key],
        ];
        const keys = ['', newCode, key];
        for (let i = 0; i < cases.length; i++) {
          const ex = await cliIn(['--json', ...cases[i]], NO_KEY);
          expect(ex.code).assertEqual(0);
          expect((ex.json().sets as string[]).length).assertEqual(2);
          const archive = cases[i][4];
          const v = await cliIn(['--json', 'verify', archive, '--full', ...(keys[i] === '' ? [] : ['--key', keys[i]])],
            NO_KEY);
          expect(JSON.stringify(v.json().problems)).assertEqual('[]');
        }
        // brought in elsewhere, each app's newest copy restores (its chain replayed base first)
        const into = path.join(dir, 'into');
        expect((await cliIn(['import', into, '--from', path.join(dir, 'p.bmbackup')], NO_KEY)).code).assertEqual(0);
        expect((await cliIn(['restore', '--from', into], NO_KEY)).code).assertEqual(0);
      });
    });

    it('importsAnEncryptedArchiveIntoAnExistingPlainRepositoryWithItsKey', 0, async () => {
      await withTempDir('enc-imp-plain', async (dir) => {
        const [repo, key, , si] = await encryptedSets(dir);
        const archive = path.join(dir, 'e.bmbackup');
        expect((await cliIn(['export', repo, '--set', si, '--to', archive, '--key', key], NO_KEY)).code).assertEqual(0);
        const [plain] = await twoSets(path.join(dir, 'plain'));
        // no code, a mistyped one, another repository's: exit 2, nothing imported
        expect((await cliIn(['import', plain, '--from', archive], NO_KEY)).code).assertEqual(2);
        const typo = path.join(dir, 'typo.txt');
        const text = fs.readFileSync(key, 'utf8').trim();
        fs.writeFileSync(typo, `${text.substring(0, 3)}${text.charAt(3) === '0' ? '1' : '0'}${text.substring(4)}`);
        const mistyped = await cliIn(['import', plain, '--from', archive, '--key', typo], NO_KEY);
        expect(mistyped.code).assertEqual(2);
        expect(mistyped.stderr).assertContain('not valid');
        const otherKey = path.join(dir, 'other-key.txt');
        await encryptedRepo(path.join(dir, 'other'), otherKey);
        const wrong = await cliIn(['import', plain, '--from', archive, '--key', otherKey], NO_KEY);
        expect(wrong.code).assertEqual(2);
        expect(wrong.stderr).assertContain('does not open');
        expect(wrong.stderr).assertContain('cannot be recovered');
        expect(wrong.stderr.includes('    at ')).assertFalse();
        expect(setsIn(plain)).assertEqual(2);
        // a damaged archive: exit 2, nothing imported
        const bad = path.join(dir, 'bad.bmbackup');
        const b = fs.readFileSync(archive);
        b[Math.floor(b.length / 2)] ^= 0x01;
        fs.writeFileSync(bad, b);
        expect((await cliIn(['import', plain, '--from', bad, '--key', key], NO_KEY)).code).assertEqual(2);
        expect(setsIn(plain)).assertEqual(2);
        // the right code: the set is stored plain, as the repository is (no key opens it, none is needed)
        const imp = await cliIn(['--json', 'import', plain, '--from', archive, '--key', key], NO_KEY);
        expect(imp.code).assertEqual(0);
        expect(imp.json().storedAs).assertEqual('plain');
        const newIds = (imp.json().sets as { setId: string }[]).map((x) => x.setId);
        expect(newIds.length).assertEqual(1);
        expect(setsIn(plain)).assertEqual(3);
        expect((await cliIn(['--json', 'verify', plain, '--full'], NO_KEY)).code).assertEqual(0);
        const folder = path.join(dir, 'out');
        expect((await cliIn(['export', plain, '--set', newIds[0], '--to', folder], NO_KEY)).code).assertEqual(0);
        expect(fs.readFileSync(path.join(folder, 'com.example.notes', 'part.0.tar'), 'utf8')).assertEqual(NOTES_V1);
        expect(fs.readFileSync(path.join(folder, 'com.example.mail', 'part.0.tar'), 'utf8')).assertEqual(MAIL);
        // again: nothing new
        const again = await cliIn(['--json', 'import', plain, '--from', archive, '--key', key], NO_KEY);
        expect(again.code).assertEqual(0);
        expect((again.json().sets as unknown[]).length).assertEqual(0);
        expect(JSON.stringify(again.json().skipped)).assertEqual(JSON.stringify([si]));
        expect(setsIn(plain)).assertEqual(3);
      });
    });

    it('importsAnEncryptedArchiveIntoARepositoryWithAnotherKeyReEncrypted', 0, async () => {
      await withTempDir('enc-imp-other', async (dir) => {
        const [repo, key, , si] = await encryptedSets(dir);
        const archive = path.join(dir, 'e.bmbackup');
        expect((await cliIn(['export', repo, '--set', si, '--to', archive, '--key', key], NO_KEY)).code).assertEqual(0);
        const other = path.join(dir, 'other');
        const otherKey = path.join(dir, 'other-key.txt');
        await encryptedRepo(other, otherKey);
        // its own code is needed too, and must be its own
        const noDirKey = await cliIn(['import', other, '--from', archive, '--key', key], NO_KEY);
        expect(noDirKey.code).assertEqual(2);
        expect(noDirKey.stderr).assertContain('--dir-key');
        const wrongDirKey = await cliIn(['import', other, '--from', archive, '--key', key, '--dir-key', key], NO_KEY);
        expect(wrongDirKey.code).assertEqual(2);
        expect(setsIn(other)).assertEqual(0);
        const imp = await cliIn(['--json', 'import', other, '--from', archive, '--key', key, '--dir-key', otherKey],
          NO_KEY);
        expect(imp.code).assertEqual(0);
        expect(imp.json().storedAs).assertEqual('encrypted');
        const newId = (imp.json().sets as { setId: string }[])[0].setId;
        expect(plainTextIn(other, ['com.example', 'part.0.tar', NOTES_V1, MAIL]).join('; ')).assertEqual('');
        // its own code opens it, the archive's does not
        expect((await cliIn(['sets', other, '--key', key], NO_KEY)).code).assertEqual(2);
        expect((await cliIn(['--json', 'verify', other, '--full', '--key', otherKey], NO_KEY)).code).assertEqual(0);
        const folder = path.join(dir, 'out');
        expect((await cliIn(['export', other, '--set', newId, '--to', folder, '--key', otherKey], NO_KEY)).code)
          .assertEqual(0);
        expect(fs.readFileSync(path.join(folder, 'com.example.notes', 'part.0.tar'), 'utf8')).assertEqual(NOTES_V1);
        // --dir-key where it has no use
        const [plain] = await twoSets(path.join(dir, 'plain'));
        expect((await cliIn(['import', plain, '--from', archive, '--key', key, '--dir-key', otherKey], NO_KEY)).code)
          .assertEqual(2);
      });
    });
  });
}
