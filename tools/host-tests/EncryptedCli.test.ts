/*
 * The CLI's encrypted repositories (tools/cli/commands/init.ts, tools/cli/repokey.ts): init --encrypt writes
 * the recovery code to a new owner-only file and nothing else shows it; a key file is never overwritten;
 * rekey opens with --key FILE or BACKUP_MANAGER_KEY and the old code stops working; every key problem
 * (missing, mistyped, wrong) is exit 2 with a message saying which, never a stack trace.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from '@ohos/hypium';
import { cli, cliIn, withTempDir } from './CliKit';
import { RecoveryCode } from '../../entry/src/main/ets/backup/crypt/RecoveryCode';
import { Repository } from '../../entry/src/main/ets/backup/repo/Repository';
import { SilentLogger } from '../../entry/src/main/ets/backup/port/Logger';
import { SystemClock } from '../../entry/src/main/ets/backup/port/Clock';
import { NodeFileStore } from '../host/NodeFileStore';
import { parseCommandArgs } from '../cli/args';
import { REKEY_SPEC } from '../cli/commands/init';
import { unlockRepository } from '../cli/repokey';
import { rejectionOf } from './AdapterKit';

export default function encryptedCliTests(): void {
  describe('EncryptedCli', () => {
    it('initEncryptWritesTheCodeToAnOwnerOnlyFileAndNowhereElse', 0, async () => {
      await withTempDir('enc-cli-init', async (dir) => {
        const repo = path.join(dir, 'repo');
        const key = path.join(dir, 'key.txt');
        const r = await cli(['--json', 'init', repo, '--encrypt', '--key-out', key]);
        expect(r.code).assertEqual(0);
        expect(r.json().encrypted).assertEqual(true);
        expect(fs.statSync(key).mode & 0o777).assertEqual(0o600);
        const code = fs.readFileSync(key, 'utf8').trim();
        expect(RecoveryCode.parse(code).format()).assertEqual(code);
        expect(r.stdout.includes(code) || r.stderr.includes(code)).assertFalse();
        const header = JSON.parse(fs.readFileSync(path.join(repo, 'repository.json'), 'utf8')) as Record<string, unknown>;
        expect(header.encryption !== null).assertTrue();
      });
    });

    it('neverOverwritesAKeyFileNorCreatesWithoutOne', 0, async () => {
      await withTempDir('enc-cli-exists', async (dir) => {
        const key = path.join(dir, 'key.txt');
        fs.writeFileSync(key, 'precious');
        const r = await cliIn(['init', path.join(dir, 'repo'), '--encrypt', '--key-out', key]);
        expect(r.code).assertEqual(2);
        expect(r.stderr).assertContain('never overwritten');
        expect(fs.readFileSync(key, 'utf8')).assertEqual('precious');
        expect(fs.existsSync(path.join(dir, 'repo'))).assertFalse();
        const none = await cliIn(['init', path.join(dir, 'repo'), '--encrypt']);
        expect(none.code).assertEqual(2);
        expect(none.stderr).assertContain('--encrypt needs --key-out');
      });
    });

    it('rekeyTakesTheKeyFromAFileOrTheEnvironmentAndRetiresTheOldCode', 0, async () => {
      await withTempDir('enc-cli-rekey', async (dir) => {
        const repo = path.join(dir, 'repo');
        const key = path.join(dir, 'key.txt');
        expect((await cliIn(['init', repo, '--encrypt', '--key-out', key])).code).assertEqual(0);
        const next = path.join(dir, 'next.txt');
        expect((await cliIn(['rekey', repo, '--key', key, '--key-out', next], { BACKUP_MANAGER_KEY: undefined })).code)
          .assertEqual(0);
        const old = await cliIn(['rekey', repo, '--key', key, '--key-out', path.join(dir, 'x.txt')]);
        expect(old.code).assertEqual(2);
        expect(old.stderr).assertContain('does not open');
        expect(old.stderr).assertContain('cannot be recovered');
        expect(fs.existsSync(path.join(dir, 'x.txt'))).assertFalse();
        const viaEnv = await cliIn(['rekey', repo, '--key-out', path.join(dir, 'y.txt')],
          { BACKUP_MANAGER_KEY: fs.readFileSync(next, 'utf8') });
        expect(viaEnv.code).assertEqual(0);
      });
    });

    it('saysWhichKeyProblemItIsWithExit2', 0, async () => {
      await withTempDir('enc-cli-problems', async (dir) => {
        const repo = path.join(dir, 'repo');
        const key = path.join(dir, 'key.txt');
        expect((await cliIn(['init', repo, '--encrypt', '--key-out', key])).code).assertEqual(0);
        const missing = await cliIn(['rekey', repo, '--key-out', path.join(dir, 'n.txt')], { BACKUP_MANAGER_KEY: undefined });
        expect(missing.code).assertEqual(2);
        expect(missing.stderr).assertContain('give its recovery code with --key FILE or BACKUP_MANAGER_KEY');
        const groups = fs.readFileSync(key, 'utf8').trim().split('-');
        groups[2] = groups[2].charAt(0) === 'A' ? `B${groups[2].substring(1)}` : `A${groups[2].substring(1)}`;
        const typo = path.join(dir, 'typo.txt');
        fs.writeFileSync(typo, groups.join('-'));
        const mistyped = await cliIn(['rekey', repo, '--key', typo, '--key-out', path.join(dir, 'n.txt')]);
        expect(mistyped.code).assertEqual(2);
        expect(mistyped.stderr).assertContain('group 3 is mistyped');
        const unreadable = await cliIn(['rekey', repo, '--key', path.join(dir, 'nope.txt'), '--key-out', path.join(dir, 'n.txt')]);
        expect(unreadable.code).assertEqual(2);
        expect(unreadable.stderr).assertContain('cannot read it (ENOENT)');
        const plain = path.join(dir, 'plain');
        expect((await cliIn(['init', plain])).code).assertEqual(0);
        const notEncrypted = await cliIn(['rekey', plain, '--key', key, '--key-out', path.join(dir, 'n.txt')]);
        expect(notEncrypted.code).assertEqual(2);
        expect(notEncrypted.stderr).assertContain('not encrypted');
        for (const r of [missing, mistyped, unreadable, notEncrypted]) {
          expect(r.stderr.includes('    at ')).assertFalse();
        }
      });
    });

    it('refusesAKeyForAPlainRepositoryWhichMayHaveBeenSwapped', 0, async () => {
      await withTempDir('enc-cli-swapped', async (dir) => {
        const plain = path.join(dir, 'plain');
        const key = path.join(dir, 'key.txt');
        expect((await cliIn(['init', plain])).code).assertEqual(0);
        expect((await cliIn(['init', path.join(dir, 'enc'), '--encrypt', '--key-out', key])).code).assertEqual(0);
        const repo = new Repository(new NodeFileStore(), plain, new SilentLogger(), { clock: new SystemClock() });
        const withKey = parseCommandArgs(REKEY_SPEC, [plain, '--key', key, '--key-out', path.join(dir, 'n.txt')]);
        const e = await rejectionOf(unlockRepository(repo, withKey, plain, {}));
        expect(e.message).assertContain('is not encrypted');
        const without = parseCommandArgs(REKEY_SPEC, [plain, '--key-out', path.join(dir, 'n.txt')]);
        await unlockRepository(repo, without, plain, {});
        expect(repo.isUnlocked()).assertFalse();
      });
    });
  });
}
