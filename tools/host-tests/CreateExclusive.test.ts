/*
 * Host-only tests of FileStore.createExclusive (the store lock's primitive): the contract suite against
 * platform/FsFileStore on the @ohos.file.fs stand-in (createStream(path, 'wx') as fopen's O_EXCL), and what
 * ArkTS cannot set up: a symbolic link (also a dangling one) in the way, and a disk that fills up while the
 * text is written (nothing may be left behind, or the lock would read as held by nobody forever).
 */
import { describe, expect, it } from '@ohos/hypium';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileStore, FileStoreError } from '../../entry/src/main/ets/backup/port/FileStore';
import { FsFileStore } from '../../entry/src/main/ets/platform/FsFileStore';
import { createExclusiveContract } from '../../entry/src/test/store/CreateExclusiveContract.test';
import { textFdContract } from '../../entry/src/test/store/TextFdContract.test';
import { NodeFileStore, openFdCount } from '../host/NodeFileStore';

async function kindOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'none';
  } catch (e) {
    return e instanceof FileStoreError ? e.kind : `not a FileStoreError: ${String(e)}`;
  }
}

async function withDir(label: string, body: (dir: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bm-excl-${label}-`));
  try {
    await body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export default function createExclusiveTests(): void {
  const fsFileStore = new FsFileStore();
  createExclusiveContract('FsFileStoreCreateExclusiveOnHost', () => fsFileStore);
  textFdContract('FsFileStoreTextFdOnHost', () => fsFileStore);

  describe('CreateExclusiveHost', () => {
    it('aLinkInTheWayCountsAsSomethingThereEvenDangling', 0, async () => {
      await withDir('link', async (dir: string) => {
        const stores: FileStore[] = [new NodeFileStore(), fsFileStore];
        fs.writeFileSync(path.join(dir, 'target'), 'outside');
        for (let i = 0; i < stores.length; i++) {
          fs.symlinkSync(path.join(dir, 'target'), path.join(dir, `link${i}`));
          fs.symlinkSync(path.join(dir, 'nothing-here'), path.join(dir, `dangling${i}`));
          expect(await kindOf(stores[i].createExclusive(`${dir}/link${i}`, 'x'))).assertEqual('ALREADY_EXISTS');
          expect(await kindOf(stores[i].createExclusive(`${dir}/dangling${i}`, 'x'))).assertEqual('ALREADY_EXISTS');
          // Nothing was written through either link.
          expect(fs.readFileSync(path.join(dir, 'target'), 'utf8')).assertEqual('outside');
          expect(fs.existsSync(path.join(dir, 'nothing-here'))).assertFalse();
        }
      });
    });

    it('aDiskThatFillsWhileWritingLeavesNothing', 0, async () => {
      await withDir('full', async (dir: string) => {
        const fds = openFdCount();
        const store = new NodeFileStore({ failAfterBytes: 10 });
        expect(await kindOf(store.createExclusive(`${dir}/lock`, 'x'.repeat(64)))).assertEqual('NO_SPACE');
        expect(fs.existsSync(path.join(dir, 'lock'))).assertFalse();
        expect(store.bytesInUse()).assertEqual(0);
        // What fits is written and counted as in use.
        await store.createExclusive(`${dir}/lock`, '0123456789');
        expect(fs.readFileSync(path.join(dir, 'lock'), 'utf8')).assertEqual('0123456789');
        expect(store.bytesInUse()).assertEqual(10);
        expect(openFdCount()).assertEqual(fds);
      });
    });
  });
}
