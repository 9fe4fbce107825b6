/*
 * Mirroring an encrypted repository (backup/repo/Mirror, `mirror --key`): the mirror is encrypted with the
 * same header and keyed names, its blobs are the source's ciphertext byte for byte, no app id is in plain
 * text there, the same recovery code opens it and it verifies in full; a damaged source blob (one flipped
 * byte of ciphertext) does not authenticate, so its set is skipped and named; encrypted into plain, plain
 * into encrypted and a missing key are refused (exit 2) with nothing copied.
 */
import { describe, expect, it } from '@ohos/hypium';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ManualClock } from '../../entry/src/main/ets/backup/port/Clock';
import { SilentLogger } from '../../entry/src/main/ets/backup/port/Logger';
import { BundleOutcome } from '../../entry/src/main/ets/backup/model/SetManifest';
import { RecoveryCode } from '../../entry/src/main/ets/backup/crypt/RecoveryCode';
import { Repository } from '../../entry/src/main/ets/backup/repo/Repository';
import { VerifyOptions } from '../../entry/src/main/ets/backup/repo/RepoVerifier';
import { WriterStart } from '../../entry/src/main/ets/backup/repo/RepoWriter';
import { AppEntry } from '../../entry/src/main/ets/backup/repo/SnapshotManifest';
import { NodeCrypto, NodeFdIo } from '../host/NodeCrypto';
import { NodeFileStore } from '../host/NodeFileStore';
import { cliIn, withTempDir } from './CliKit';
import { capsJson, tree } from './CliRepoKit';

const APP = 'com.example.secretnotes';

function repoAt(root: string, clock: ManualClock): Repository {
  return new Repository(new NodeFileStore(), root, new SilentLogger(), { clock });
}

/** A set of one app with the given files (uri -> text) in the unlocked repository; returns its id. */
async function addSet(repo: Repository, scratch: string, clock: ManualClock, files: Record<string, string>): Promise<string> {
  const session = await repo.lock('test');
  try {
    const start = new WriterStart();
    start.apps = [APP];
    const w = await session.openWriter(start);
    await w.storeCapabilitiesText(capsJson([APP]));
    for (const [uri, text] of Object.entries(files)) {
      const src = path.join(scratch, `src-${uri}`);
      fs.writeFileSync(src, text);
      const fd = fs.openSync(src, 'r');
      try {
        await w.storeFile(APP, uri, fd);
      } finally {
        fs.closeSync(fd);
      }
    }
    const e = new AppEntry();
    e.id = APP;
    e.name = APP;
    e.outcome = BundleOutcome.DONE;
    await w.finishApp(e);
    const done = await w.commit();
    await clock.advance(1000);
    return done.summary.id;
  } finally {
    await session.release();
  }
}

/** An encrypted repository at dir/src with two sets; returns [root, code text, set 1, set 2]. */
async function encryptedSource(dir: string, clock: ManualClock): Promise<string[]> {
  const root = path.join(dir, 'src');
  const repo = repoAt(root, clock);
  const code: RecoveryCode = await repo.createEncrypted(new NodeCrypto(), new NodeFdIo(), 4096);
  const big = 'x'.repeat(10000);
  const s1 = await addSet(repo, dir, clock, { 'a.tar': `first ${big}`, 'manage.json': '[{"fileName":"a.tar"}]' });
  const s2 = await addSet(repo, dir, clock, { 'a.tar': `second ${big}`, 'manage.json': '[{"fileName":"a.tar"}]' });
  return [root, code.format(), s1, s2];
}

function headerEncryption(root: string): string {
  return JSON.stringify((JSON.parse(fs.readFileSync(path.join(root, 'repository.json'), 'utf8')) as
    Record<string, unknown>).encryption);
}

function blobFiles(root: string): string[] {
  return tree(path.join(root, 'blobs'));
}

export default function encryptedMirrorTests(): void {
  describe('EncryptedMirror', () => {
    it('mirrorsAnEncryptedRepositoryAsItsCiphertextUnderTheSameHeader', 0, async () => {
      await withTempDir('enc-mirror', async (dir: string) => {
        const clock = new ManualClock(Date.UTC(2026, 6, 1));
        const [src, code, s1, s2] = await encryptedSource(dir, clock);
        const dst = path.join(dir, 'usb', 'mirror');
        const r = await cliIn(['mirror', src, '--to', dst, '--json'], { BACKUP_MANAGER_KEY: code });
        expect(r.code).assertEqual(0);
        expect(JSON.stringify(r.json().setsCopied)).assertEqual(JSON.stringify([s1, s2]));
        // the same header section, the same keyed names, the source's ciphertext byte for byte
        expect(headerEncryption(dst)).assertEqual(headerEncryption(src));
        const names = blobFiles(src);
        expect(names.length > 0).assertTrue();
        expect(JSON.stringify(blobFiles(dst))).assertEqual(JSON.stringify(names));
        for (const n of names) {
          expect(fs.readFileSync(path.join(dst, 'blobs', n)).equals(fs.readFileSync(path.join(src, 'blobs', n)))).assertTrue();
        }
        // nothing in plain text: no app id, no content
        for (const f of tree(dst)) {
          const text = fs.readFileSync(path.join(dst, f), 'latin1');
          expect(text.includes(APP) || text.includes('first x')).assertFalse();
        }
        // the same code opens the mirror; it verifies in full (every segment authenticated)
        const mirror = repoAt(dst, clock);
        await mirror.unlock(new NodeCrypto(), new NodeFdIo(), RecoveryCode.parse(code));
        const o = new VerifyOptions();
        o.full = true;
        const report = await mirror.verify(o);
        expect(report.ok).assertTrue();
        expect(report.setIds.length).assertEqual(2);
        // again: nothing to copy
        const again = await cliIn(['mirror', src, '--to', dst, '--json'], { BACKUP_MANAGER_KEY: code });
        expect(again.code).assertEqual(0);
        expect(again.json().blobsCopied).assertEqual(0);
        expect(again.json().setsPresent).assertEqual(2);
      });
    });

    it('skipsASetWhoseCiphertextDoesNotAuthenticate', 0, async () => {
      await withTempDir('enc-mirror-bad', async (dir: string) => {
        const clock = new ManualClock(Date.UTC(2026, 6, 1));
        const [src, code, s1, s2] = await encryptedSource(dir, clock);
        // the biggest blob file is a set's a.tar (the two differ): flip one byte of its ciphertext
        const files = blobFiles(src).map((n) => path.join(src, 'blobs', n));
        files.sort((a, b) => fs.statSync(b).size - fs.statSync(a).size);
        const victim = files[0];
        const bytes = fs.readFileSync(victim);
        bytes[Math.floor(bytes.length / 2)] ^= 0x40;
        fs.writeFileSync(victim, bytes);
        const dst = path.join(dir, 'mirror');
        const r = await cliIn(['mirror', src, '--to', dst, '--json'], { BACKUP_MANAGER_KEY: code });
        expect(r.code).assertEqual(1);
        const failed = r.json().failed as { setId: string; reason: string }[];
        expect(failed.length).assertEqual(1);
        expect(failed[0].reason).assertContain('does not authenticate');
        const copied = r.json().setsCopied as string[];
        expect(copied.length).assertEqual(1);
        expect([s1, s2].includes(copied[0])).assertTrue();
        expect(fs.existsSync(path.join(dst, 'blobs', path.relative(path.join(src, 'blobs'), victim)))).assertFalse();
        expect(fs.readdirSync(path.join(dst, 'tmp')).length).assertEqual(0);
      });
    });

    it('refusesEncryptedIntoPlainPlainIntoEncryptedAndAMissingKey', 0, async () => {
      await withTempDir('enc-mirror-refuse', async (dir: string) => {
        const clock = new ManualClock(Date.UTC(2026, 6, 1));
        const [src, code] = await encryptedSource(dir, clock);
        const noKey = await cliIn(['mirror', src, '--to', path.join(dir, 'm0')], { BACKUP_MANAGER_KEY: undefined });
        expect(noKey.code).assertEqual(2);
        expect(noKey.stderr).assertContain('recovery code');
        expect(fs.existsSync(path.join(dir, 'm0'))).assertFalse();

        const plain = path.join(dir, 'plain');
        expect((await cliIn(['init', plain])).code).assertEqual(0);
        const intoPlain = await cliIn(['mirror', src, '--to', plain], { BACKUP_MANAGER_KEY: code });
        expect(intoPlain.code).assertEqual(2);
        expect(intoPlain.stderr).assertContain('plain repository');
        expect(fs.readdirSync(path.join(plain, 'snapshots')).length).assertEqual(0);

        const other = path.join(dir, 'other');
        const otherRepo = repoAt(other, clock);
        await otherRepo.createEncrypted(new NodeCrypto(), new NodeFdIo(), 4096);
        const plainIntoEnc = await cliIn(['mirror', plain, '--to', other], { BACKUP_MANAGER_KEY: undefined });
        expect(plainIntoEnc.code).assertEqual(2);
        expect(plainIntoEnc.stderr).assertContain('not mirrored into an encrypted one');
        const anotherKey = await cliIn(['mirror', src, '--to', other], { BACKUP_MANAGER_KEY: code });
        expect(anotherKey.code).assertEqual(2);
        expect(anotherKey.stderr).assertContain('another key');
        expect(fs.readdirSync(path.join(other, 'snapshots')).length).assertEqual(0);
      });
    });
  });
}
