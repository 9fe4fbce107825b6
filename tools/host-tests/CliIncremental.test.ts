/*
 * Host-only tests of the CLI's incremental backups (issue 12): a device kept with --device across runs,
 * changed with `device DIR --change`, backed up incrementally (per app full/incremental and bytes in
 * --json), `apps` showing the chain, `restore` replaying it (the simulated device checks every byte), and
 * --full.
 */
import { describe, expect, it } from '@ohos/hypium';
import * as path from 'node:path';
import { cliIn, withTempDir } from './CliKit';

type Doc = Record<string, unknown>;

function bundles(doc: Doc): Doc[] {
  return doc.bundles as Doc[];
}

function byId(list: Doc[], id: string): Doc {
  const d = list.find((b) => b.id === id);
  if (d === undefined) {
    throw new Error(`no ${id}`);
  }
  return d;
}

export default function cliIncrementalTests(): void {
  describe('CliIncremental', () => {
    it('aKeptDeviceIsBackedUpIncrementallyAndRestoredThroughItsChain', 0, async () => {
      await withTempDir('incr', async (dir: string) => {
        const repo = path.join(dir, 'repo');
        const dev = path.join(dir, 'dev');
        const first = await cliIn(['backup', '--to', repo, '--device', dev, '--bundles',
          'com.example.notes,com.example.mail', '--json']);
        expect(first.code).assertEqual(0);
        expect(bundles(first.json()).map((b) => b.copy)).assertDeepEquals(['full', 'full']);
        const change = await cliIn(['device', dev, '--change', 'com.example.notes:2', '--kind', 'change', '--json']);
        expect(change.code).assertEqual(0);
        expect((change.json().changed as string[]).length).assertEqual(2);
        const second = await cliIn(['backup', '--to', repo, '--device', dev, '--bundles',
          'com.example.notes,com.example.mail', '--json']);
        expect(second.code).assertEqual(0);
        const notes = byId(bundles(second.json()), 'com.example.notes');
        const mail = byId(bundles(second.json()), 'com.example.mail');
        expect(notes.copy).assertEqual('incremental');
        expect(mail.copy).assertEqual('incremental');
        // mail did not change: its index only; notes: its index and the changed files.
        expect(mail.files).assertEqual(1);
        expect((notes.files as number) > 1).assertTrue();
        expect((notes.bytes as number) < 60 * 1024).assertTrue();
        const apps = await cliIn(['apps', repo, '--json']);
        const newest = byId(apps.json().apps as Doc[], 'com.example.notes').newest as Doc;
        expect(newest.chainLength).assertEqual(2);
        expect(newest.copy).assertEqual('incremental');
        const text = await cliIn(['apps', repo]);
        expect(text.stdout).assertContain('CHAIN');
        const restore = await cliIn(['restore', '--from', repo, '--device', dev, '--json']);
        expect(restore.code).assertEqual(0);
        expect(restore.json().levels).assertEqual(2);
        expect(bundles(restore.json()).every((b) => b.state === 'done')).assertTrue();
        const restoreText = await cliIn(['restore', '--from', repo, '--device', dev]);
        expect(restoreText.stdout).assertContain('files deleted on the device after the base');
        const full = await cliIn(['backup', '--to', repo, '--device', dev, '--bundles', 'com.example.mail', '--full',
          '--json']);
        expect(byId(bundles(full.json()), 'com.example.mail').copy).assertEqual('full');
      });
    });

    it('deviceRefusesBadInput', 0, async () => {
      await withTempDir('incr-bad', async (dir: string) => {
        const dev = path.join(dir, 'dev');
        const kind = await cliIn(['device', dev, '--change', 'com.example.notes', '--kind', 'explode']);
        expect(kind.code).assertEqual(2);
        expect(kind.stderr).assertContain('same-second');
        const none = await cliIn(['device', dev, '--change', 'com.nothing:3']);
        expect(none.code).assertEqual(1);
        const list = await cliIn(['device', dev]);
        expect(list.code).assertEqual(0);
        expect(list.stdout).assertContain('com.example.notes');
      });
    });
  });
}
