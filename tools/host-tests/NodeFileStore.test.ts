/*
 * Host-only tests of the file stores and tools/host/ConsoleLogger.ts:
 * - NodeFileStore: what the FileStore contract suite (entry/src/test/store) cannot reach from ArkTS: the
 *   simulated full disk, tiny chunks, non-seekable fds, the errno mapping, the fd counter;
 * - platform/FsFileStore: the whole contract suite on the host stand-ins of @ohos.file.fs / file.hash /
 *   statvfs (tools/host/ohos/@kit.CoreFileKit.ts), which exercises its streaming, positions, cleanup and
 *   error-code mapping (not the device's own file system semantics);
 * - ConsoleLogger: the hilog rendering.
 */
import { describe, expect, it } from '@ohos/hypium';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { NodeFileStore, openFdCount, toStoreError } from '../host/NodeFileStore';
import { ConsoleLogger, renderHilog } from '../host/ConsoleLogger';
import { FileStoreError, StoreErrorKind } from '../../entry/src/main/ets/backup/port/FileStore';
import { FsFileStore } from '../../entry/src/main/ets/platform/FsFileStore';
import { fileStoreContract } from '../../entry/src/test/store/FileStoreContract.test';

function scratch(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `bm-nfs-${label}-`));
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

async function errorOf(work: Promise<unknown>): Promise<FileStoreError> {
  try {
    await work;
  } catch (e) {
    if (e instanceof FileStoreError) {
      return e;
    }
    throw new Error(`not a FileStoreError: ${String(e)}`);
  }
  throw new Error('expected a FileStoreError, the call succeeded');
}

function errnoError(code: string): Error {
  const e = new Error(`${code}: simulated`) as Error & { code: string; errno: number };
  e.code = code;
  e.errno = -(os.constants.errno as Record<string, number>)[code];
  return e;
}

export default function nodeFileStoreTest(): void {
  const fsFileStore = new FsFileStore();
  fileStoreContract('FsFileStoreContractOnHost', () => fsFileStore);

  describe('NodeFileStore', () => {
    it('failsWithNoSpaceOnceFailAfterBytesAreWritten', 0, async () => {
      const dir = scratch('full');
      try {
        const store = new NodeFileStore({ failAfterBytes: 100 });
        await store.writeTextAtomic(`${dir}/a`, 'x'.repeat(60));
        expect(store.bytesWritten()).assertEqual(60);
        expect(await store.freeBytes(dir)).assertEqual(40);
        fs.writeFileSync(`${dir}/src`, 'y'.repeat(65));   // written around the store: not counted
        const fd = await store.openRead(`${dir}/src`);
        try {
          const err = await errorOf(store.copyFromFd(fd, `${dir}/copy`));
          expect(err.kind).assertEqual(StoreErrorKind.NO_SPACE);
          expect(err.rawCode).assertEqual(os.constants.errno.ENOSPC);
        } finally {
          await store.close(fd);
        }
        // The crossing write went in partly, as on a real disk; the partial copy is gone.
        expect(store.bytesWritten()).assertEqual(100);
        expect(fs.existsSync(`${dir}/copy`)).assertFalse();
        expect(await store.freeBytes(dir)).assertEqual(0);
        expect((await errorOf(store.writeTextAtomic(`${dir}/b`, 'z'))).kind).assertEqual(StoreErrorKind.NO_SPACE);
        expect(fs.readdirSync(dir).sort()).assertDeepEquals(['a', 'src']);
        // Reading and sending to someone else's fd still work.
        const out = fs.openSync(`${dir}/out`, 'w');
        try {
          expect((await store.copyToFd(`${dir}/src`, out)).size).assertEqual(65);
        } finally {
          fs.closeSync(out);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('streamsCorrectlyInTinyChunks', 0, async () => {
      const dir = scratch('tiny');
      try {
        const store = new NodeFileStore({ chunkBytes: 7 });
        const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
        fs.writeFileSync(`${dir}/src`, data);
        const fd = await store.openRead(`${dir}/src`);
        try {
          const facts = await store.copyFromFd(fd, `${dir}/copy`);
          expect(facts.size).assertEqual(1000);
          expect(facts.sha256).assertEqual(sha256(data));
        } finally {
          await store.close(fd);
        }
        expect(fs.readFileSync(`${dir}/copy`).equals(data)).assertTrue();
        for (const max of [0, 6, 7, 8, 999]) {
          const again = await store.openRead(`${dir}/src`);
          try {
            expect((await errorOf(store.copyFromFd(again, `${dir}/limited`, { maxBytes: max }))).kind)
              .assertEqual(StoreErrorKind.LIMIT);
          } finally {
            await store.close(again);
          }
        }
        const exact = await store.openRead(`${dir}/src`);
        try {
          expect((await store.copyFromFd(exact, `${dir}/limited`, { maxBytes: 1000 })).size).assertEqual(1000);
        } finally {
          await store.close(exact);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('copiesFromANonSeekableFdUntilEof', 0, async () => {
      const dir = scratch('fifo');
      try {
        execFileSync('mkfifo', [`${dir}/pipe`]);
        const store = new NodeFileStore({ chunkBytes: 4096 });
        const data = Buffer.alloc(100000, 'q');
        // Opening a FIFO waits for the other end: open both ends together.
        const ends = await Promise.all([store.openRead(`${dir}/pipe`), store.openWrite(`${dir}/pipe`)]);
        const reader = ends[0];
        const writer = ends[1];
        try {
          const copying = store.copyFromFd(reader, `${dir}/copy`);
          const writing = new Promise<void>((resolve, reject) => {
            fs.write(writer, data, (err, written) => {
              fs.close(writer, (closeErr) => {
                const failure = err ?? closeErr;
                if (failure) {
                  reject(failure);
                } else if (written !== data.length) {
                  reject(new Error(`short write to the FIFO: ${written}`));
                } else {
                  resolve();
                }
              });
            });
          });
          await writing;
          const facts = await copying;
          expect(facts.size).assertEqual(data.length);
          expect(facts.sha256).assertEqual(sha256(data));
        } finally {
          await store.close(reader);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('mapsErrnoCodesToKinds', 0, () => {
      const cases: [string, StoreErrorKind][] = [
        ['ENOSPC', StoreErrorKind.NO_SPACE], ['ENOENT', StoreErrorKind.NOT_FOUND],
        ['EEXIST', StoreErrorKind.ALREADY_EXISTS], ['ENOTEMPTY', StoreErrorKind.ALREADY_EXISTS],
        ['EBADF', StoreErrorKind.BAD_FD], ['EACCES', StoreErrorKind.PERMISSION], ['EPERM', StoreErrorKind.PERMISSION],
        ['EIO', StoreErrorKind.IO], ['EXDEV', StoreErrorKind.OTHER],
      ];
      for (const c of cases) {
        const mapped = toStoreError(errnoError(c[0]), 'op');
        expect(`${c[0]}=${mapped.kind}`).assertEqual(`${c[0]}=${c[1]}`);
        expect(mapped.rawCode).assertEqual((os.constants.errno as Record<string, number>)[c[0]]);
        expect(mapped.message).assertContain('op: ');
      }
      const plain = toStoreError(new TypeError('odd'), 'op');
      expect(plain.kind).assertEqual(StoreErrorKind.OTHER);
      expect(plain.rawCode).assertEqual(0);
      const own = new FileStoreError(StoreErrorKind.LIMIT, 'kept');
      expect(toStoreError(own, 'op') === own).assertTrue();
    });

    it('countsOpenFds', 0, () => {
      const before = openFdCount();
      expect(before).assertLarger(2);
      const fd = fs.openSync(os.tmpdir(), 'r');
      try {
        expect(openFdCount()).assertEqual(before + 1);
      } finally {
        fs.closeSync(fd);
      }
      expect(openFdCount()).assertEqual(before);
    });
  });

  describe('ConsoleLogger', () => {
    it('rendersPublicValuesAndHidesTheRest', 0, () => {
      expect(renderHilog('%{public}s has %{public}d files, %{private}s, %s, %d, 100%%', ['app', 3.9, 'secret', 'bare', 7], false))
        .assertEqual('app has 3 files, <private>, <private>, <private>, 100%');
      expect(renderHilog('%{private}s %s %{public}x %{public}.2f', ['a', 'b', 255, 1.005], true)).assertEqual('a b ff 1.00');
      expect(renderHilog('%{public}s and %{public}s', ['one'], false)).assertEqual('one and <missing>');
    });

    it('writesHilogStyleLinesAtOrAboveTheLevel', 0, () => {
      const lines: string[] = [];
      const logger = new ConsoleLogger({ minLevel: 'warn', write: (line: string) => lines.push(line) });
      logger.debug('d');
      logger.info('i');
      logger.warn('w %{public}d', 1);
      logger.error('e %s', 'hidden');
      expect(lines.length).assertEqual(2);
      expect(/^\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} +\d+ +\d+ W A00B00\/BackupManager: w 1$/.test(lines[0])).assertTrue();
      expect(lines[1].endsWith(' E A00B00/BackupManager: e <private>')).assertTrue();
      const debug: string[] = [];
      new ConsoleLogger({ minLevel: 'debug', tag: 'T', domain: 0x3200, write: (l: string) => debug.push(l) }).debug('x');
      expect(debug.length === 1 && debug[0].endsWith(' D A03200/T: x')).assertTrue();
    });
  });
}
