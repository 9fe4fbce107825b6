/*
 * Encrypted one-file archives (archive format version 2, docs/archive-format.md): `export --to X.bmbackup`
 * of an encrypted repository carries its files as stored (plain header, sealed manifests, ciphertext blobs
 * under keyed names), so no bundle name, uri, device name or content appears in the archive's bytes; every
 * read command reads it with --key (and refuses it without, exit 2); a byte flipped anywhere in it is caught
 * by verify and import imports nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from '@ohos/hypium';
import { cliIn, withTempDir } from './CliKit';
import {
  blobOf, blobPath, encryptedRepo, MAIL, NOTES_V1, NOTES_V2, plainTextIn, toolFolder, T1, twoSets, unlockedRepo,
} from './CliRepoKit';

const NO_KEY = { BACKUP_MANAGER_KEY: undefined };

/** An encrypted repository with a mock-device backup and a backup_tool import: [repo, key, backup set, import set]. */
async function encryptedSets(dir: string): Promise<string[]> {
  const repo = path.join(dir, 'repo');
  const key = path.join(dir, 'key.txt');
  await encryptedRepo(repo, key);
  const b = await cliIn(['--json', 'backup', '--to', repo, '--key', key], NO_KEY);
  if (b.code !== 0) {
    throw new Error(`backup failed (exit ${b.code}): ${b.stderr}`);
  }
  const tool = toolFolder(path.join(dir, 'tool1'), [
    { id: 'com.example.notes', files: { 'part.0.tar': NOTES_V1 } },
    { id: 'com.example.mail', files: { 'part.0.tar': MAIL } },
  ], T1);
  const i = await cliIn(['--json', 'import', repo, '--from', tool, '--key', key], NO_KEY);
  if (i.code !== 0) {
    throw new Error(`import failed (exit ${i.code}): ${i.stderr}`);
  }
  return [repo, key, b.json().setId as string, i.json().setId as string];
}

/** Every bundle name and uri the set holds, and the names any backup here carries. */
async function needlesOf(repo: string, key: string, setId: string): Promise<string[]> {
  const m = await (await unlockedRepo(repo, key)).getSet(setId);
  const out = new Set<string>(['OpenHarmony', 'com.example', 'part.0.tar', NOTES_V1, MAIL]);
  const device = (m as unknown as Record<string, unknown>).device;
  if (typeof device === 'string' && device !== '') {
    out.add(device);
  }
  m.apps.forEach((a) => {
    out.add(a.id);
    a.files.forEach((f) => out.add(f.uri));
  });
  return [...out];
}

export { encryptedSets, needlesOf, NO_KEY };

export default function encryptedArchiveTests(): void {
  describe('EncryptedArchive', () => {
    it('anEncryptedArchiveHoldsNoPlainNameAndEveryReadCommandReadsItWithTheKey', 0, async () => {
      await withTempDir('enc-arch', async (dir) => {
        const [repo, key, sb, si] = await encryptedSets(dir);
        const archive = path.join(dir, 'out', 'e.bmbackup');
        fs.mkdirSync(path.dirname(archive));
        for (const setId of [sb, si]) {
          fs.rmSync(archive, { force: true });
          const ex = await cliIn(['--json', 'export', repo, '--set', setId, '--to', archive, '--key', key], NO_KEY);
          expect(ex.code).assertEqual(0);
          expect(ex.json().encrypted).assertEqual(true);
          const bytes = fs.readFileSync(archive);
          const needles = await needlesOf(repo, key, setId);
          expect(needles.length > 4).assertTrue();
          const found = needles.filter((n) => bytes.includes(Buffer.from(n, 'utf8')));
          expect(found.join('; ')).assertEqual('');
          expect(bytes.includes(Buffer.from('"formatVersion": 2'))).assertTrue();
        }
        // the archive of the import set: every read command with the key
        const sets = await cliIn(['--json', 'sets', archive, '--key', key], NO_KEY);
        expect(sets.code).assertEqual(0);
        expect((sets.json().sets as { id: string }[]).map((s) => s.id).join(',')).assertEqual(si);
        const apps = await cliIn(['apps', archive, '--key', key], NO_KEY);
        expect(apps.code).assertEqual(0);
        expect(apps.stdout).assertContain('com.example.notes');
        const full = await cliIn(['--json', 'verify', archive, '--full', '--key', key], NO_KEY);
        expect(full.code).assertEqual(0);
        expect(full.json().ok).assertEqual(true);
        const folder = path.join(dir, 'plain-out');
        const back = await cliIn(['export', archive, '--set', si, '--to', folder, '--key', key], NO_KEY);
        expect(back.code).assertEqual(0);
        expect(fs.readFileSync(path.join(folder, 'com.example.notes', 'part.0.tar'), 'utf8')).assertEqual(NOTES_V1);
        expect(fs.readFileSync(path.join(folder, 'com.example.mail', 'part.0.tar'), 'utf8')).assertEqual(MAIL);
        // without the key: exit 2 saying so, never a stack trace
        const noKey = await cliIn(['sets', archive], NO_KEY);
        expect(noKey.code).assertEqual(2);
        expect(noKey.stderr.includes('    at ')).assertFalse();
      });
    });

    it('importsAnEncryptedArchiveWithTheKey', 0, async () => {
      await withTempDir('enc-arch-imp', async (dir) => {
        const [repo, key, , si] = await encryptedSets(dir);
        const archive = path.join(dir, 'e.bmbackup');
        expect((await cliIn(['export', repo, '--set', si, '--to', archive, '--key', key], NO_KEY)).code).assertEqual(0);
        const target = path.join(dir, 'target');
        const imp = await cliIn(['--json', 'import', target, '--from', archive, '--key', key], NO_KEY);
        expect(imp.code).assertEqual(0);
        const folder = path.join(dir, 'plain-out');
        // the imported repository stays encrypted, with the same key
        expect((await cliIn(['sets', target], NO_KEY)).code).assertEqual(2);
        const sets = await cliIn(['--json', 'sets', target, '--key', key], NO_KEY);
        expect(sets.code).assertEqual(0);
        const ids = (sets.json().sets as { id: string }[]).map((s) => s.id);
        expect(ids.length).assertEqual(1);
        expect((await cliIn(['export', target, '--set', ids[0], '--to', folder, '--key', key], NO_KEY)).code)
          .assertEqual(0);
        expect(fs.readFileSync(path.join(folder, 'com.example.notes', 'part.0.tar'), 'utf8')).assertEqual(NOTES_V1);
        // without the key nothing is imported
        const other = path.join(dir, 'other');
        const refused = await cliIn(['import', other, '--from', archive], NO_KEY);
        expect(refused.code).assertEqual(2);
        const snaps = path.join(other, 'snapshots');
        expect(fs.existsSync(snaps) ? fs.readdirSync(snaps).length : 0).assertEqual(0);
      });
    });

    it('aByteFlippedAnywhereInAnEncryptedArchiveIsCaughtAndImportsNothing', 0, async () => {
      await withTempDir('enc-arch-flip', async (dir) => {
        const [repo, key, , si] = await encryptedSets(dir);
        const archive = path.join(dir, 'e.bmbackup');
        expect((await cliIn(['export', repo, '--set', si, '--to', archive, '--key', key], NO_KEY)).code).assertEqual(0);
        const bytes = fs.readFileSync(archive);
        // positions spread over the whole file: headers, the table of contents, the header entry, the
        // sealed manifest, the ciphertext blobs, the trailer, the padding and the end blocks
        const at: number[] = [];
        for (let i = 0; i < 12; i++) {
          at.push(Math.floor((bytes.length - 1) * i / 11));
        }
        at.push(600, 1100, bytes.length - 1100);
        for (const pos of at) {
          const bad = path.join(dir, `flip-${pos}.bmbackup`);
          const f = Buffer.from(bytes);
          f[pos] ^= 0x01;
          fs.writeFileSync(bad, f);
          const v = await cliIn(['verify', bad, '--full', '--key', key], NO_KEY);
          expect(v.code === 0 ? `verify passed a flip at ${pos}` : '').assertEqual('');
          const target = path.join(dir, `into-${pos}`);
          const imp = await cliIn(['import', target, '--from', bad, '--key', key], NO_KEY);
          expect(imp.code === 0 ? `import took a flip at ${pos}` : '').assertEqual('');
          const snaps = path.join(target, 'snapshots');
          expect(fs.existsSync(snaps) ? fs.readdirSync(snaps).length : 0).assertEqual(0);
          fs.rmSync(bad);
        }
      });
    });

    it('exportAndMirrorFromAPlainRepositoryCanEncrypt', 0, async () => {
      await withTempDir('enc-copy', async (dir) => {
        const [repo, s1, s2] = await twoSets(dir);
        const key = path.join(dir, 'new-key.txt');
        const archive = path.join(dir, 'e.bmbackup');
        const ex = await cliIn(['--json', 'export', repo, '--set', s1, '--to', archive, '--encrypt', '--key-out', key],
          NO_KEY);
        expect(ex.code).assertEqual(0);
        expect(ex.json().encrypted).assertEqual(true);
        expect(fs.statSync(key).mode & 0o777).assertEqual(0o600);
        const bytes = fs.readFileSync(archive);
        for (const n of ['com.example', 'part.0.tar', NOTES_V1, MAIL]) {
          expect(bytes.includes(Buffer.from(n, 'utf8')) ? n : '').assertEqual('');
        }
        expect((await cliIn(['verify', archive, '--full', '--key', key], NO_KEY)).code).assertEqual(0);
        const folder = path.join(dir, 'out');
        expect((await cliIn(['export', archive, '--set', s1, '--to', folder, '--key', key], NO_KEY)).code)
          .assertEqual(2);   // the encrypted copy's set has its own id: list it
        const sets = await cliIn(['--json', 'sets', archive, '--key', key], NO_KEY);
        const id = (sets.json().sets as { id: string }[])[0].id;
        expect((await cliIn(['export', archive, '--set', id, '--to', folder, '--key', key], NO_KEY)).code).assertEqual(0);
        expect(fs.readFileSync(path.join(folder, 'com.example.notes', 'part.0.tar'), 'utf8')).assertEqual(NOTES_V1);

        // mirror --encrypt reusing the code: every set, no plain name in the copy, a second run copies nothing
        const enc = path.join(dir, 'enc');
        const m = await cliIn(['--json', 'mirror', repo, '--to', enc, '--encrypt', '--key', key], NO_KEY);
        expect(m.code).assertEqual(0);
        expect(JSON.stringify(m.json().setsCopied)).assertEqual(JSON.stringify([s1, s2]));
        expect(plainTextIn(enc, ['com.example', 'part.0.tar', NOTES_V1, NOTES_V2, MAIL]).join('; ')).assertEqual('');
        expect((await cliIn(['--json', 'verify', enc, '--full', '--key', key], NO_KEY)).code).assertEqual(0);
        const again = await cliIn(['--json', 'mirror', repo, '--to', enc, '--encrypt', '--key', key], NO_KEY);
        expect(again.code).assertEqual(0);
        expect(again.json().setsPresent).assertEqual(2);
        expect((again.json().setsCopied as string[]).length).assertEqual(0);
        // --newest --encrypt: each app's newest copy (notes v2 and mail from set 2), encrypted
        const newest = path.join(dir, 'newest.bmbackup');
        const nx = await cliIn(['--json', 'export', repo, '--newest', '--to', newest, '--encrypt', '--key', key], NO_KEY);
        expect(nx.code).assertEqual(0);
        expect(fs.readFileSync(newest).includes(Buffer.from('com.example'))).assertFalse();
        const nsets = await cliIn(['--json', 'sets', newest, '--key', key], NO_KEY);
        const nid = (nsets.json().sets as { id: string }[])[0].id;
        const nfolder = path.join(dir, 'nout');
        expect((await cliIn(['export', newest, '--set', nid, '--to', nfolder, '--key', key], NO_KEY)).code).assertEqual(0);
        expect(fs.readFileSync(path.join(nfolder, 'com.example.notes', 'part.0.tar'), 'utf8')).assertEqual(NOTES_V2);
        // --encrypt needs a code, and a folder export stays plain
        expect((await cliIn(['export', repo, '--set', s1, '--to', path.join(dir, 'x.bmbackup'), '--encrypt'], NO_KEY))
          .code).assertEqual(2);
        expect((await cliIn(['export', repo, '--set', s1, '--to', path.join(dir, 'f'), '--encrypt', '--key', key],
          NO_KEY)).code).assertEqual(2);

        // a damaged blob in the source: exit 1, no archive, and the new code's file is removed again
        const blob = blobPath(repo, blobOf(repo, s2, 'com.example.notes', 'part.0.tar'));
        fs.chmodSync(blob, 0o644);
        fs.writeFileSync(blob, 'notes, second version, LONGER');
        const key2 = path.join(dir, 'key2.txt');
        const bad = path.join(dir, 'bad.bmbackup');
        const failed = await cliIn(['export', repo, '--set', s2, '--to', bad, '--encrypt', '--key-out', key2], NO_KEY);
        expect(failed.code).assertEqual(1);
        expect(fs.existsSync(bad)).assertFalse();
        expect(fs.existsSync(key2)).assertFalse();
      });
    });
  });
}
