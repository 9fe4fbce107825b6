/*
 * Host-only part of the FileStore contract: reads by path on real special files, which ArkTS tests cannot
 * make (the port has no mkfifo, symlink or socket call). Every read by path (openRead, readText, hashFile,
 * copyToFd) must refuse a symbolic link (to a file, a folder or a device), a FIFO, a character device and a
 * socket with NOT_A_FILE naming what it is, promptly (no open or read may wait on a FIFO, none may stream
 * /dev/zero or /dev/urandom), and leave no fd open. Registered by NodeFileStore.test.ts for NodeFileStore and
 * for FsFileStore on the host stand-in of @ohos.file.fs.
 */
import { afterAll, beforeAll, describe, expect, it } from '@ohos/hypium';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { FileStore, FileStoreError, StoreErrorKind } from '../../entry/src/main/ets/backup/port/FileStore';
import { openFdCount } from '../host/NodeFileStore';

/** Opens and closes the writing end of a FIFO, so a reader stuck opening it (a regression) is let go. */
function releaseFifo(fifo: string): void {
  try {
    fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
  } catch {
    // ENXIO: nobody is opening it for reading, which is what should be the case.
  }
}

/** What a read fails with: the kind and message of its FileStoreError; throws when it succeeds. */
async function refusal(work: () => Promise<unknown>): Promise<FileStoreError> {
  try {
    await work();
  } catch (e) {
    if (e instanceof FileStoreError) {
      return e;
    }
    throw new Error(`not a FileStoreError: ${String(e)}`);
  }
  throw new Error('expected a refusal, the read succeeded');
}

interface Case {
  label: string;
  path: string;
  /** A word the message must contain. */
  says: string;
}

export function specialFileContract(suiteName: string, storeOf: () => FileStore): void {
  describe(suiteName, () => {
    let dir = '';
    let fifo = '';
    let server: net.Server | undefined;
    let fdsAtStart = -1;
    // A safety valve only: should a regression block on the FIFO, it is released after a while, so the test
    // fails instead of hanging the run. Nothing here waits for it.
    let valve: NodeJS.Timeout | undefined;

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bm-special-'));
      fifo = path.join(dir, 'fifo');
      execFileSync('mkfifo', [fifo]);
      fs.writeFileSync(path.join(dir, 'plain'), 'plain data');
      fs.mkdirSync(path.join(dir, 'folder'));
      fs.symlinkSync(path.join(dir, 'plain'), path.join(dir, 'link-to-file'));
      fs.symlinkSync('/dev/urandom', path.join(dir, 'link-to-urandom'));
      fs.symlinkSync(path.join(dir, 'folder'), path.join(dir, 'link-to-folder'));
      fs.symlinkSync(fifo, path.join(dir, 'link-to-fifo'));
      fs.symlinkSync(path.join(dir, 'nothing'), path.join(dir, 'dangling'));
      const listening = net.createServer();
      server = listening;
      await new Promise<void>((resolve, reject) => {
        listening.once('error', reject);
        listening.listen(path.join(dir, 'socket'), () => resolve());
      });
      valve = setInterval(() => releaseFifo(fifo), 2000);
      fdsAtStart = openFdCount();
    });

    afterAll(async () => {
      if (valve !== undefined) {
        clearInterval(valve);
      }
      releaseFifo(fifo);
      const listening = server;
      if (listening !== undefined) {
        await new Promise<void>((resolve) => listening.close(() => resolve()));
      }
      fs.rmSync(dir, { recursive: true, force: true });
    });

    function cases(): Case[] {
      return [
        { label: 'FIFO', path: fifo, says: 'FIFO' },
        { label: '/dev/zero', path: '/dev/zero', says: 'character device' },
        { label: '/dev/urandom', path: '/dev/urandom', says: 'character device' },
        { label: 'socket', path: path.join(dir, 'socket'), says: 'socket' },
        { label: 'link to a file', path: path.join(dir, 'link-to-file'), says: 'symbolic link' },
        { label: 'link to /dev/urandom', path: path.join(dir, 'link-to-urandom'), says: 'symbolic link' },
        { label: 'link to a folder', path: path.join(dir, 'link-to-folder'), says: 'symbolic link' },
        { label: 'link to a FIFO', path: path.join(dir, 'link-to-fifo'), says: 'symbolic link' },
        { label: 'dangling link', path: path.join(dir, 'dangling'), says: 'symbolic link' },
      ];
    }

    async function expectRefused(c: Case, work: () => Promise<unknown>, op: string): Promise<void> {
      const err = await refusal(work);
      expect(`${op} ${c.label}: ${err.kind}`).assertEqual(`${op} ${c.label}: ${StoreErrorKind.NOT_A_FILE}`);
      expect(err.message).assertContain(c.says);
      expect(err.message).assertContain(c.path);
    }

    it('openReadRefusesEverythingButARegularFile', 0, async () => {
      const store = storeOf();
      for (const c of cases()) {
        await expectRefused(c, () => store.openRead(c.path), 'openRead');
      }
      const fd = await store.openRead(path.join(dir, 'plain'));
      await store.close(fd);
    });

    it('readTextRefusesEverythingButARegularFile', 0, async () => {
      const store = storeOf();
      for (const c of cases()) {
        await expectRefused(c, () => store.readText(c.path, 1024), 'readText');
        await expectRefused(c, () => store.readText(c.path), 'readText (no limit)');
      }
      expect(await store.readText(path.join(dir, 'plain'), 1024)).assertEqual('plain data');
    });

    it('hashFileAndCopyToFdRefuseEverythingButARegularFile', 0, async () => {
      const store = storeOf();
      const out = await store.openWrite(path.join(dir, 'out'));
      try {
        for (const c of cases()) {
          await expectRefused(c, () => store.hashFile(c.path), 'hashFile');
          await expectRefused(c, () => store.copyToFd(c.path, out), 'copyToFd');
        }
      } finally {
        await store.close(out);
      }
      expect(fs.statSync(path.join(dir, 'out')).size).assertEqual(0);
    });

    it('readTextBoundsAFileThatIsLongerThanItsSize', 0, async () => {
      // procfs files report size 0 and then read longer: the bound holds while reading, not only on the size.
      if (!fs.existsSync('/proc/self/status')) {
        return;   // not Linux
      }
      const store = storeOf();
      const err = await refusal(() => store.readText('/proc/self/status', 16));
      expect(err.kind).assertEqual(StoreErrorKind.LIMIT);
      expect(err.message).assertContain('/proc/self/status');
      expect((await store.readText('/proc/self/status', 1024 * 1024)).length).assertLarger(16);
    });

    it('leavesNoFdOpen', 0, () => {
      expect(openFdCount()).assertEqual(fdsAtStart);
    });
  });
}
