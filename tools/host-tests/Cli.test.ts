/*
 * Host-only tests of the backup-manager CLI (tools/cli). A few cases spawn the real launcher, as a user or
 * a script runs it (the process's exit code, one JSON document on stdout); the rest call the same run()
 * in this process (CliKit.cliIn), so that no case needs more than two processes and a loaded 2-core
 * machine stays inside hypium's 5 s per case. Exit codes (0 success, 1 something failed, 2 bad usage or
 * input), the field path of an invalid capability file, a damaged set named file by file, and a
 * backup -> verify -> restore round trip through the simulated device. The suites about arguments, big
 * outputs and messages are in CliInput.test.ts and CliMessages.test.ts.
 */
import { describe, expect, it } from '@ohos/hypium';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SilentLogger } from '../../entry/src/main/ets/backup/port/Logger';
import { BackupSetStore } from '../../entry/src/main/ets/backup/store/BackupSetStore';
import { NodeFileStore } from '../host/NodeFileStore';
import { BundleJson, bundlesOf, cli, cliIn, CliRun, withTempDir } from './CliKit';
import { twoSets } from './CliRepoKit';
import cliInputTests from './CliInput.test';
import cliMessageTests from './CliMessages.test';
import cliRepoTests from './CliRepo.test';
import cliInteropTests from './CliInterop.test';

export default function cliTests(): void {
  describe('CliUsage', () => {
    it('helpExitsZeroAndListsEveryCommand', 0, async () => {
      const r = await cli(['--help']);
      expect(r.code).assertEqual(0);
      for (const name of ['caps', 'backup', 'restore', 'verify', 'sets', 'demo']) {
        expect(r.stdout).assertContain(`  ${name} `);
      }
      const sub = await cliIn(['backup', '--help']);
      expect(sub.code).assertEqual(0);
      expect(sub.stdout).assertContain('--to DIR');
      expect(sub.stdout).assertContain('store-full:<bytes>');
    });

    it('unknownCommandOptionOrScenarioIsExitTwoWithOneLine', 0, async () => {
      await withTempDir('usage', async (store: string) => {
        const cases: string[][] = [
          ['frobnicate'],
          ['backup', '--to', store, '--frob'],
          ['backup'],
          ['backup', '--to', store, '--scenario', 'no-such-scenario'],
          ['backup', '--to', store, '--scenario', 'store-full:lots'],
          ['verify', path.join(store, 'sets', '20250101-000000-abcd')],
          ['sets', path.join(store, 'missing')],
        ];
        const runs: CliRun[] = [];
        for (const c of cases) {
          runs.push(await cliIn(c));
        }
        for (let i = 0; i < runs.length; i++) {
          expect(`${cases[i].join(' ')} -> ${runs[i].code}`).assertEqual(`${cases[i].join(' ')} -> 2`);
          expect(runs[i].stdout).assertEqual('');
          const lines = runs[i].errLines();
          expect(lines.length).assertEqual(1);
          expect(lines[0].startsWith('backup-manager: ')).assertTrue();
        }
        expect(runs[3].stderr).assertContain('no-such-scenario');
        // Nothing was written for a run refused before it started.
        expect(fs.existsSync(path.join(store, 'sets'))).assertFalse();
      });
    });

    it('jsonErrorIsOneDocumentOnStdout', 0, async () => {
      const r = await cli(['sets', '/nonexistent/backup-manager-store', '--json']);
      expect(r.code).assertEqual(2);
      const doc = r.json();
      expect(doc.ok).assertEqual(false);
      expect(doc.exitCode).assertEqual(2);
      expect((doc.error as Record<string, unknown>).message as string).assertContain('no such folder');
    });
  });

  describe('CliCaps', () => {
    it('deviceCapsAsTableAndJson', 0, async () => {
      const text = await cliIn(['caps']);
      const json = await cliIn(['caps', '--json']);
      expect(text.code).assertEqual(0);
      expect(text.stdout).assertContain('com.example.gallery:1');
      expect(text.stdout).assertContain('clone 1');
      expect(text.stdout).assertContain('no: the app does not allow it');
      expect(text.stdout).assertContain('no: no backup extension');
      expect(json.code).assertEqual(0);
      const doc = json.json();
      const bank = bundlesOf(doc).find((b) => b.id === 'com.example.bank') as unknown as Record<string, unknown>;
      expect(bank.allowed).assertEqual(false);
      expect(bank.label).assertEqual('Bank');
      expect(doc.systemFullName).assertEqual('OpenHarmony-6.0.0.0');
    });

    it('invalidCapsFileIsExitTwoNamingTheField', 0, async () => {
      await withTempDir('caps', async (dir: string) => {
        const caps = {
          backupVersion: '26',
          bundleInfos: [
            { allToBackup: true, extensionName: 'BackupExtensionAbility', name: 'com.a', spaceOccupied: 10,
              versionCode: 1, versionName: '1.0' },
            { allToBackup: true, extensionName: 'BackupExtensionAbility', name: 'com.b', spaceOccupied: 10,
              versionCode: 'seven', versionName: '1.0' },
          ],
          deviceType: 'phone',
          systemFullName: 'OpenHarmony-5.1.0.0',
        };
        const bad = path.join(dir, 'bad.json');
        fs.writeFileSync(bad, JSON.stringify(caps));
        const r = await cliIn(['caps', '--file', bad]);
        expect(r.code).assertEqual(2);
        expect(r.stdout).assertEqual('');
        expect(r.errLines().length).assertEqual(1);
        expect(r.stderr).assertContain('bundleInfos[1].versionCode');
        const j = await cliIn(['caps', '--file', bad, '--json']);
        expect(j.code).assertEqual(2);
        expect((j.json().error as Record<string, unknown>).field).assertEqual('bundleInfos[1].versionCode');

        (caps.bundleInfos[1] as Record<string, unknown>).versionCode = 7;
        const fixed = path.join(dir, 'good.json');
        fs.writeFileSync(fixed, JSON.stringify(caps));
        const ok = await cliIn(['caps', '--file', fixed, '--json']);
        expect(ok.code).assertEqual(0);
        expect(ok.json().valid).assertEqual(true);
        expect(bundlesOf(ok.json()).length).assertEqual(2);
      });
    });
  });

  describe('CliRuns', () => {
    // In this process: the point is what the commands do with a set, not the process (CliUsage and
    // failingBundleIsExitOneWithReasonAndCode spawn the launcher). Seven processes in one case did not
    // fit hypium's 5 s on a loaded machine.
    it('backupVerifyRestoreRoundTrip', 0, async () => {
      await withTempDir('roundtrip', async (store: string) => {
        const backup = await cliIn(['backup', '--to', store, '--json']);
        expect(backup.code).assertEqual(0);
        const doc = backup.json();
        expect(doc.outcome).assertEqual('succeeded');
        const setId = doc.setId as string;
        const set = doc.set as Record<string, string>;
        expect(set.id).assertEqual(setId);
        expect(set.status).assertEqual('complete');
        expect(fs.existsSync(path.join(store, 'repository.json'))).assertTrue();
        expect(fs.existsSync(path.join(store, 'snapshots', `${setId}.json`))).assertTrue();
        const ids = bundlesOf(doc).map((b) => b.id);
        expect(ids.indexOf('com.example.gallery:1') >= 0).assertTrue();
        expect(ids.indexOf('com.example.bank')).assertEqual(-1);
        for (const b of bundlesOf(doc)) {
          expect(`${b.id}:${b.state}`).assertEqual(`${b.id}:done`);
          expect(b.bytes).assertLarger(0);
        }
        const text = await cliIn(['backup', '--to', store, '--bundles', 'com.example.notes']);
        expect(text.code).assertEqual(0);
        expect(text.stdout).assertContain('Backup set ');

        const verify = await cliIn(['verify', store, '--full', '--json']);
        expect(verify.code).assertEqual(0);
        expect(verify.json().ok).assertEqual(true);
        expect(verify.json().blobsChecked as number).assertLarger(ids.length);
        const sets = (await cliIn(['sets', store, '--json'])).json().sets as Record<string, unknown>[];
        expect(sets.length).assertEqual(2);
        expect(sets[1].id).assertEqual(setId);
        expect(sets[1].status).assertEqual('complete');
        // The second backup stored nothing new: notes' files were there already.
        expect(sets[0].uniqueBytes).assertEqual(0);
        const apps = (await cliIn(['apps', store, '--json'])).json().apps as Record<string, unknown>[];
        expect(apps.map((a) => `${a.id}:${a.copies}`).sort()).assertDeepEquals(
          ids.map((id) => `${id}:${id === 'com.example.notes' ? 2 : 1}`).sort());

        // Each app's newest good copy, across the two sets, in one run.
        const restore = await cliIn(['restore', '--from', store, '--json']);
        expect(restore.code).assertEqual(0);
        expect(restore.json().outcome).assertEqual('succeeded');
        expect(bundlesOf(restore.json()).map((b) => `${b.id}:${b.state}`).sort().join(' '))
          .assertEqual(ids.map((id) => `${id}:done`).sort().join(' '));
        expect((restore.json().sets as string[]).length).assertEqual(2);

        // A flipped byte in a blob of notes: verify --full names it (exit 1), restore fails that app alone.
        const manifest = JSON.parse(fs.readFileSync(path.join(store, 'snapshots', `${setId}.json`), 'utf8')) as
          { apps: { id: string; files: { uri: string; blob: string }[] }[] };
        const file = manifest.apps.filter((b) => b.id === 'com.example.notes')[0].files
          .filter((f) => f.uri !== 'manage.json')[0];
        const damaged = path.join(store, 'blobs', file.blob.substring(0, 2), file.blob);
        const bytes = fs.readFileSync(damaged);
        bytes[bytes.length - 1] = bytes[bytes.length - 1] ^ 0x01;
        fs.writeFileSync(damaged, bytes);
        const bad = await cliIn(['verify', store, '--full']);
        expect(bad.code).assertEqual(1);
        expect(bad.stdout).assertContain(`com.example.notes/${file.uri}`);
        expect(bad.stdout).assertContain('checksum');
        const partial = await cliIn(['restore', '--from', store, '--set', setId, '--bundles',
          'com.example.notes,com.example.mail', '--json']);
        expect(partial.code).assertEqual(1);
        const states = bundlesOf(partial.json()).map((b) => `${b.id}:${b.state}:${b.error === null ? '' : b.error.kind}`);
        expect(states.join(' ')).assertEqual('com.example.notes:failed:CHECKSUM_MISMATCH com.example.mail:done:');
      });
    });

    it('aSetFolderOfTheOldLayoutVerifiesAndRestoresAsBefore', 0, async () => {
      await withTempDir('oldlayout', async (dir: string) => {
        // An old-layout set of real device data: a backup exported and imported by the old set store.
        const repo = path.join(dir, 'repo');
        const backup = await cliIn(['backup', '--to', repo, '--bundles', 'com.example.notes,com.example.mail', '--json']);
        expect(backup.code).assertEqual(0);
        const tool = path.join(dir, 'tool');
        expect((await cliIn(['export', repo, '--set', backup.json().setId as string, '--to', tool])).code).assertEqual(0);
        const old = path.join(dir, 'old');
        const summary = await new BackupSetStore(new NodeFileStore(), old, new SilentLogger())
          .importFolder(tool, path.join(tool, 'capabilities.json'));
        const setDir = path.join(old, 'sets', summary.id);
        const verify = await cliIn(['verify', setDir, '--json']);
        expect(verify.code).assertEqual(0);
        expect(verify.json().filesChecked as number).assertLarger(2);
        expect((await cliIn(['verify', old])).code).assertEqual(0);
        const restore = await cliIn(['restore', '--from', setDir, '--json']);
        expect(restore.code).assertEqual(0);
        expect(bundlesOf(restore.json()).map((b) => `${b.id}:${b.state}`).sort().join(' '))
          .assertEqual('com.example.mail:done com.example.notes:done');
        // Listed, and exported from where it is (no migration: nothing is written into the old store).
        const listed = (await cliIn(['sets', old, '--json'])).json().sets as Record<string, unknown>[];
        expect(listed.map((r) => `${r.id}:${r.legacy}`)).assertDeepEquals([`${summary.id}:true`]);
        const out = path.join(dir, 'out');
        expect((await cliIn(['export', old, '--set', summary.id, '--to', out])).code).assertEqual(0);
        for (const name of ['capabilities.json', 'com.example.notes', 'com.example.mail']) {
          expect(fs.existsSync(path.join(out, name))).assertTrue();
        }
        for (const name of fs.readdirSync(path.join(setDir, 'com.example.notes'))) {
          expect(fs.readFileSync(path.join(out, 'com.example.notes', name))
            .equals(fs.readFileSync(path.join(setDir, 'com.example.notes', name)))).assertTrue();
        }
        // A flipped byte in the old set: verify names the file, the restore fails that app alone.
        const m = JSON.parse(fs.readFileSync(path.join(setDir, 'set.json'), 'utf8')) as
          { bundles: { id: string; files: { uri: string }[] }[] };
        const uri = m.bundles.filter((b) => b.id === 'com.example.notes')[0].files
          .filter((f) => f.uri !== 'manage.json')[0].uri;
        const damaged = path.join(setDir, 'com.example.notes', uri);
        const bytes = fs.readFileSync(damaged);
        bytes[0] = bytes[0] ^ 0x01;
        fs.writeFileSync(damaged, bytes);
        expect((await cliIn(['verify', setDir])).code).assertEqual(1);
        expect((await cliIn(['export', old, '--set', summary.id, '--to', path.join(dir, 'out2')])).code).assertEqual(1);
        expect(fs.existsSync(path.join(dir, 'out2'))).assertFalse();
        const partial = await cliIn(['restore', '--from', setDir, '--json']);
        expect(partial.code).assertEqual(1);
        expect(bundlesOf(partial.json()).map((b) => `${b.id}:${b.state}:${b.error === null ? '' : b.error.kind}`)
          .sort().join(' ')).assertEqual('com.example.mail:done: com.example.notes:failed:CHECKSUM_MISMATCH');
        // The old set is only read.
        expect(fs.readdirSync(path.join(old, 'sets'))).assertDeepEquals([summary.id]);
        expect(fs.existsSync(path.join(old, 'repository.json'))).assertFalse();
      });
    });

    it('failingBundleIsExitOneWithReasonAndCode', 0, async () => {
      await withTempDir('failing', async (store: string) => {
        const r = await cli(['backup', '--to', store, '--bundles', 'com.example.notes,com.example.mail',
          '--scenario', 'bundle-error:13500001:com.example.notes']);
        expect(r.code).assertEqual(1);
        expect(r.stdout).assertContain('(partial)');
        expect(r.stdout).assertContain('The app does not allow backup and restore (code 13500001)');
        expect(r.stdout).assertContain('1 of 2 apps backed up');
        const j = await cliIn(['backup', '--to', store, '--bundles', 'com.example.notes,com.example.mail',
          '--scenario', 'bundle-error:13500001:com.example.notes', '--json']);
        expect(j.code).assertEqual(1);
        const notes = bundlesOf(j.json()).find((b) => b.id === 'com.example.notes') as BundleJson;
        expect(notes.state).assertEqual('failed');
        expect((notes.error as Record<string, unknown>).code).assertEqual(13500001);
        expect((notes.error as Record<string, unknown>).kind).assertEqual('NOT_ALLOWED');
      });
    });

    it('fullLocalDiskFailsTheBundleNotTheStore', 0, async () => {
      await withTempDir('full', async (store: string) => {
        const r = await cliIn(['backup', '--to', store, '--bundles', 'com.example.gallery', '--scenario',
          'store-full:200000', '--json']);
        expect(r.code).assertEqual(1);
        const gallery = bundlesOf(r.json())[0];
        expect(gallery.state).assertEqual('failed');
        expect((gallery.error as Record<string, unknown>).kind).assertEqual('LOCAL_NO_SPACE');
        // Nothing half-written is left as a set.
        const sets = await cliIn(['sets', store, '--json']);
        expect((sets.json().sets as unknown[]).length).assertEqual(0);
      });
    });

    it('restoreOfAMissingSetIsExitTwo', 0, async () => {
      await withTempDir('missing', async (store: string) => {
        const r = await cliIn(['restore', '--from', path.join(store, 'sets', '20250101-000000-abcd')]);
        expect(r.code).assertEqual(2);
        expect(r.errLines().length).assertEqual(1);
        const notASet = await cliIn(['restore', '--from', store]);
        expect(notASet.code).assertEqual(2);
        // In a repository: an unknown or malformed set id is bad input; an app without a good copy fails.
        const ids = await twoSets(store);
        for (const set of ['20250101-000000-abcd', 'latest']) {
          const bad = await cliIn(['restore', '--from', ids[0], '--set', set]);
          expect(`${set} -> ${bad.code}`).assertEqual(`${set} -> 2`);
          expect(bad.errLines().length).assertEqual(1);
        }
        const none = await cliIn(['restore', '--from', ids[0], '--bundles', 'com.example.none', '--json']);
        expect(none.code).assertEqual(1);
        expect((none.json().error as Record<string, unknown>).message as string).assertContain('com.example.none');
      });
    });
  });

  cliInputTests();
  cliMessageTests();
  cliRepoTests();
  cliInteropTests();
}
