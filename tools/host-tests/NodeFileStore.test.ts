/*
 * Host-only tests of the file stores and tools/host/ConsoleLogger.ts:
 * - NodeFileStore: what the FileStore contract suite (entry/src/test/store) cannot reach from ArkTS: the
 *   simulated full disk, tiny chunks, non-seekable fds, the errno mapping, the fd counter;
 * - platform/FsFileStore: the whole contract suite on the host stand-ins of @ohos.file.fs / file.hash /
 *   statvfs (tools/host/ohos/@kit.CoreFileKit.ts), which exercises its streaming, positions, cleanup and
 *   error-code mapping (not the device's own file system semantics);
 * - ConsoleLogger: the hilog rendering;
 * - platform/PlatformBackupModule: forwarding (callbacks, arity, values, synchronous throws) and the API 18
 *   gates, against a recording fake of '@ohos.file.backup' installed into the host stand-in.
 */
import { describe, expect, it } from '@ohos/hypium';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { NodeFileStore, openFdCount, toStoreError } from '../host/NodeFileStore';
import { ConsoleLogger, renderHilog } from '../host/ConsoleLogger';
import { hash as hostHash, installHostBackup } from '@kit.CoreFileKit';
import { NotSupportedError, PlatformBackupModule } from '../../entry/src/main/ets/platform/PlatformBackupModule';
import type {
  File, FileData, GeneralCallbacks, IncrementalBackupData, IncrementalBackupTime
} from '../../entry/src/main/ets/backup/port/BackupModule';
import type { BusinessError } from '@ohos.base';
import { CopyOptions, FileStoreError, StoreErrorKind } from '../../entry/src/main/ets/backup/port/FileStore';
import { FsFileStore, toStoreError as toFsStoreError } from '../../entry/src/main/ets/platform/FsFileStore';
import { fileStoreContract } from '../../entry/src/test/store/FileStoreContract.test';
import { specialFileContract } from './SpecialFiles.test';
import { compareCopyContract } from '../../entry/src/test/store/CompareCopyContract.test';
import { errorOf } from './StoreKit';

function scratch(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `bm-nfs-${label}-`));
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A BusinessError-shaped failure of @ohos.file.fs. */
function platformError(code: number, message: string): Error {
  const e = new Error(message) as Error & { code: number };
  e.code = code;
  return e;
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
  compareCopyContract('FsFileStoreCompareCopyOnHost', () => fsFileStore);
  // The in-thread code of NodeFileStore (no copy workers; a simulated disk also copies on this thread).
  const inThread = new NodeFileStore({ copyThreads: 0 });
  compareCopyContract('NodeFileStoreCompareCopyInThread', () => inThread);
  const smallChunks = new NodeFileStore({ copyThreads: 0, chunkBytes: 4096, failAfterBytes: 1024 * 1024 * 1024 });
  compareCopyContract('NodeFileStoreCompareCopyInThreadSmallChunks', () => smallChunks);
  specialFileContract('NodeFileStoreSpecialFiles', () => new NodeFileStore());
  specialFileContract('FsFileStoreSpecialFilesOnHost', () => fsFileStore);

  describe('NodeFileStore', () => {
    it('failsWithNoSpaceOnceTheFilesInUseFillFailAfterBytes', 0, async () => {
      const dir = scratch('full');
      try {
        const store = new NodeFileStore({ failAfterBytes: 100 });
        await store.writeTextAtomic(`${dir}/a`, 'x'.repeat(60));
        expect(store.bytesInUse()).assertEqual(60);
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
        // The crossing write went in partly, as on a real disk; the partial copy is gone, and its space back.
        expect(store.bytesWritten()).assertEqual(100);
        expect(fs.existsSync(`${dir}/copy`)).assertFalse();
        expect(store.bytesInUse()).assertEqual(60);
        expect(await store.freeBytes(dir)).assertEqual(40);
        expect((await errorOf(store.writeTextAtomic(`${dir}/b`, 'z'.repeat(41)))).kind)
          .assertEqual(StoreErrorKind.NO_SPACE);
        expect(fs.readdirSync(dir).sort()).assertDeepEquals(['a', 'src']);
        expect(store.bytesInUse()).assertEqual(60);
        await store.writeTextAtomic(`${dir}/b`, 'z'.repeat(40));
        expect(await store.freeBytes(dir)).assertEqual(0);
        expect((await errorOf(store.writeTextAtomic(`${dir}/c`, 'z'))).kind).assertEqual(StoreErrorKind.NO_SPACE);
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

    it('removingFilesGivesTheirSpaceBackForLaterWrites', 0, async () => {
      const dir = scratch('free');
      try {
        const store = new NodeFileStore({ failAfterBytes: 1000, chunkBytes: 64 });
        fs.writeFileSync(`${dir}/src`, Buffer.alloc(300, 's'));
        const copy = async (to: string): Promise<void> => {
          const fd = await store.openRead(`${dir}/src`);
          try {
            await store.copyFromFd(fd, to);
          } finally {
            await store.close(fd);
          }
        };
        await store.mkdirs(`${dir}/set/app/deep`);
        await store.mkdirs(`${dir}/set2`);
        await copy(`${dir}/set/app/one`);
        await copy(`${dir}/set/app/deep/two`);
        await copy(`${dir}/set2/three`);   // a sibling whose name starts like the folder removed below
        expect(store.bytesInUse()).assertEqual(900);
        expect((await errorOf(copy(`${dir}/set2/four`))).kind).assertEqual(StoreErrorKind.NO_SPACE);
        expect(store.bytesInUse()).assertEqual(900);
        // A file, then a whole folder (what was written under it, however deep).
        await store.remove(`${dir}/set/app/one`);
        expect(store.bytesInUse()).assertEqual(600);
        await copy(`${dir}/set2/four`);
        expect(store.bytesInUse()).assertEqual(900);
        await store.remove(`${dir}/set`);
        expect(store.bytesInUse()).assertEqual(600);
        expect(await store.freeBytes(dir)).assertEqual(400);
        await copy(`${dir}/set2/five`);
        expect(store.bytesInUse()).assertEqual(900);
        // Removing what is not there, or was written around the store, gives nothing back.
        await store.remove(`${dir}/nothing`);
        await store.remove(`${dir}/src`);
        expect(store.bytesInUse()).assertEqual(900);
        await store.remove(dir);
        expect(store.bytesInUse()).assertEqual(0);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('removesAFileALinkAnEmptyOrFullFolderAndNeverWhatALinkPointsTo', 0, async () => {
      const dir = scratch('remove-kinds');
      try {
        const store = new NodeFileStore();
        fs.mkdirSync(`${dir}/target/inner`, { recursive: true });
        fs.writeFileSync(`${dir}/target/inner/kept`, 'k');
        fs.writeFileSync(`${dir}/file`, 'f');
        fs.symlinkSync(`${dir}/target`, `${dir}/dirlink`);
        fs.symlinkSync(`${dir}/file`, `${dir}/filelink`);
        fs.symlinkSync(`${dir}/nowhere`, `${dir}/dangling`);
        fs.mkdirSync(`${dir}/folder/deep`, { recursive: true });
        fs.writeFileSync(`${dir}/folder/deep/x`, 'x');
        fs.mkdirSync(`${dir}/empty`);
        for (const name of ['dirlink', 'filelink', 'dangling', 'folder', 'empty', 'file']) {
          await store.remove(`${dir}/${name}`);
          let present = true;
          try {
            fs.lstatSync(`${dir}/${name}`);
          } catch {
            present = false;
          }
          expect(present).assertFalse();
        }
        // The links went, what they pointed to stayed.
        expect(fs.readFileSync(`${dir}/target/inner/kept`, 'utf8')).assertEqual('k');
        expect(fs.readdirSync(dir).sort()).assertDeepEquals(['target']);
        // Nothing there: nothing to remove, no error.
        await store.remove(`${dir}/missing`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('overwritingOrTruncatingAFileReplacesItsCount', 0, async () => {
      const dir = scratch('overwrite');
      try {
        const store = new NodeFileStore({ failAfterBytes: 100 });
        await store.writeTextAtomic(`${dir}/t`, 'a'.repeat(70));
        // Atomic: the new text is written beside the old one before the rename, as on a real disk, so
        // both must fit for a moment; afterwards only the new one counts.
        expect((await errorOf(store.writeTextAtomic(`${dir}/t`, 'b'.repeat(31)))).kind)
          .assertEqual(StoreErrorKind.NO_SPACE);
        expect(fs.readFileSync(`${dir}/t`, 'utf8')).assertEqual('a'.repeat(70));
        expect(store.bytesInUse()).assertEqual(70);
        await store.writeTextAtomic(`${dir}/t`, 'b'.repeat(30));
        expect(store.bytesInUse()).assertEqual(30);
        await store.writeTextAtomic(`${dir}/t`, 'c'.repeat(10));
        expect(store.bytesInUse()).assertEqual(10);
        fs.writeFileSync(`${dir}/src`, Buffer.alloc(80, 's'));
        const fd = await store.openRead(`${dir}/src`);
        try {
          await store.copyFromFd(fd, `${dir}/c`);
          expect(store.bytesInUse()).assertEqual(90);
          await store.writeTextAtomic(`${dir}/t`, 'd'.repeat(10));
          expect(store.bytesInUse()).assertEqual(90);
          await store.writeTextAtomic(`${dir}/c`, 'e'.repeat(5));   // the copy overwritten by text
          expect(store.bytesInUse()).assertEqual(15);
        } finally {
          await store.close(fd);
        }
        // copyFromFd truncates first: the old content's count goes before the new one comes.
        await store.writeTextAtomic(`${dir}/c`, 'e'.repeat(85));
        expect(store.bytesInUse()).assertEqual(95);
        const again = await store.openRead(`${dir}/src`);
        try {
          await store.copyFromFd(again, `${dir}/c`);
          expect(store.bytesInUse()).assertEqual(90);
        } finally {
          await store.close(again);
        }
        // openWrite truncates: the file's bytes are no longer in use (writes through that fd are the caller's).
        const w = await store.openWrite(`${dir}/c`);
        await store.close(w);
        expect(store.bytesInUse()).assertEqual(10);
        expect(fs.statSync(`${dir}/c`).size).assertEqual(0);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('renameCarriesTheCountAlong', 0, async () => {
      const dir = scratch('rename');
      try {
        const store = new NodeFileStore({ failAfterBytes: 100 });
        await store.mkdirs(`${dir}/staging/app`);
        await store.writeTextAtomic(`${dir}/staging/app/f`, 'f'.repeat(30));
        await store.writeTextAtomic(`${dir}/staging/g`, 'g'.repeat(20));
        await store.mkdirs(`${dir}/sets`);
        await store.rename(`${dir}/staging`, `${dir}/sets/one`);
        expect(store.bytesInUse()).assertEqual(50);
        await store.remove(`${dir}/staging`);   // nothing left there
        expect(store.bytesInUse()).assertEqual(50);
        // A file renamed over a counted file: the one replaced is gone.
        await store.writeTextAtomic(`${dir}/h`, 'h'.repeat(40));
        await store.rename(`${dir}/h`, `${dir}/sets/one/g`);
        expect(store.bytesInUse()).assertEqual(70);
        await store.remove(`${dir}/sets/one/app`);
        expect(store.bytesInUse()).assertEqual(40);
        await store.remove(`${dir}/sets/one`);
        expect(store.bytesInUse()).assertEqual(0);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('copiesAtTheSameTimeNeverGoPastTheLimitTogether', 0, async () => {
      const dir = scratch('together');
      try {
        const store = new NodeFileStore({ failAfterBytes: 10000, chunkBytes: 1000 });
        fs.writeFileSync(`${dir}/src`, Buffer.alloc(6000, 's'));
        const copy = async (to: string): Promise<string> => {
          const fd = await store.openRead(`${dir}/src`);
          try {
            await store.copyFromFd(fd, to);
            return 'ok';
          } catch (e) {
            return (e as FileStoreError).kind;
          } finally {
            await store.close(fd);
          }
        };
        let peak = 0;
        const watch = setInterval(() => {
          peak = Math.max(peak, store.bytesInUse());
        }, 0);
        let results: string[] = [];
        try {
          results = await Promise.all([copy(`${dir}/a`), copy(`${dir}/b`), copy(`${dir}/c`)]);
        } finally {
          clearInterval(watch);
        }
        // At most one fits (as on a real disk, racing writers may all run out); the others left nothing.
        expect(results.filter((r) => r === 'ok').length).assertLess(2);
        expect(results.filter((r) => r !== 'ok' && r !== StoreErrorKind.NO_SPACE).length).assertEqual(0);
        expect(store.bytesWritten()).assertLarger(10000 - 1);   // the limit was reached
        expect(peak).assertLess(10001);
        const left = fs.readdirSync(dir).filter((n) => n !== 'src');
        expect(left.length).assertEqual(results.filter((r) => r === 'ok').length);
        expect(store.bytesInUse()).assertEqual(left.length * 6000);
        // With the failed ones gone, a copy that fits goes through.
        if (left.length === 0) {
          expect(await copy(`${dir}/d`)).assertEqual('ok');
          expect(store.bytesInUse()).assertEqual(6000);
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
        // Opening a FIFO waits for the other end: open both ends together. (Not with openRead, which refuses
        // anything but a regular file: the fd of a FIFO comes from elsewhere, as the service's fds do.)
        const openReader = new Promise<number>((resolve, reject) => {
          fs.open(`${dir}/pipe`, 'r', (err, fd) => (err ? reject(err) : resolve(fd)));
        });
        const ends = await Promise.all([openReader, store.openWrite(`${dir}/pipe`)]);
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

    it('mapsAReadOnlyFileSystemToReadOnly', 0, () => {
      const mapped = toStoreError(errnoError('EROFS'), 'mkdirs /mnt/ro/sets');
      expect(mapped.kind).assertEqual(StoreErrorKind.READ_ONLY);
      expect(mapped.message).assertContain('/mnt/ro/sets');
      const device = toFsStoreError(platformError(13900027, 'Read-only file system'), 'mkdirs /mnt/ro/sets');
      expect(device.kind).assertEqual(StoreErrorKind.READ_ONLY);
      expect(device.rawCode).assertEqual(13900027);
      for (const code of [13900025, 13900041]) {
        const full = toFsStoreError(platformError(code, 'No space left on device'), 'copyFromFd 7 -> /data/x/f');
        expect(full.kind).assertEqual(StoreErrorKind.NO_SPACE);
        expect(full.message).assertContain('/data/x/f');
      }
    });

    it('namesTheFileWhenTheSimulatedDiskIsFull', 0, async () => {
      const dir = scratch('full-name');
      try {
        const store = new NodeFileStore({ failAfterBytes: 10 });
        const err = await errorOf(store.writeTextAtomic(`${dir}/set.json`, 'x'.repeat(11)));
        expect(err.kind).assertEqual(StoreErrorKind.NO_SPACE);
        expect(err.message).assertContain(`${dir}/set.json`);
        fs.writeFileSync(`${dir}/src`, 'y'.repeat(11));
        const fd = await store.openRead(`${dir}/src`);
        try {
          const copy = await errorOf(store.copyFromFd(fd, `${dir}/copy`));
          expect(copy.kind).assertEqual(StoreErrorKind.NO_SPACE);
          expect(copy.message).assertContain(`${dir}/copy`);
        } finally {
          await store.close(fd);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('mkdirsEndsWhereTheFileSystemRefusesNewFolders', 0, async () => {
      if (!fs.existsSync('/proc/self')) {
        return;   // not Linux
      }
      // /proc/self exists but answers ENOENT to mkdir in it: Node's own recursive mkdir loops forever there.
      const err = await errorOf(new NodeFileStore().mkdirs('/proc/self/bm-store/sets'));
      expect(err.message).assertContain('/proc/self');
      expect(err.kind === StoreErrorKind.NOT_FOUND).assertFalse();
      const dir = scratch('mkdirs');
      try {
        fs.writeFileSync(`${dir}/file`, 'x');
        expect((await errorOf(new NodeFileStore().mkdirs(`${dir}/file/sub`))).kind)
          .assertEqual(StoreErrorKind.ALREADY_EXISTS);
        await new NodeFileStore().mkdirs(`${dir}/a/b/c`);
        expect(fs.statSync(`${dir}/a/b/c`).isDirectory()).assertTrue();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('fsyncsDurableCopiesAndFolders', 0, async () => {
      const dir = scratch('durable');
      const real = require('node:fs') as typeof fs;
      const original = real.fsync;
      let syncs = 0;
      real.fsync = ((fd: number, cb: (err: NodeJS.ErrnoException | null) => void): void => {
        syncs++;
        original(fd, cb);
      }) as typeof fs.fsync;
      try {
        // On this thread, where fs.fsync can be watched (a worker has a module of its own).
        const store = new NodeFileStore({ copyThreads: 0 });
        fs.writeFileSync(`${dir}/src`, 'data');
        const fd = await store.openRead(`${dir}/src`);
        try {
          await store.copyFromFd(fd, `${dir}/plain`);
          expect(syncs).assertEqual(0);
          await store.copyFromFd(fd, `${dir}/durable`, { durable: true });
          expect(syncs).assertEqual(1);
          expect(store.copySyncs()).assertEqual(1);
        } finally {
          await store.close(fd);
        }
        await store.syncDir(dir);
        expect(syncs).assertEqual(2);
        await store.writeTextAtomic(`${dir}/set.json`, '{}');
        expect(syncs).assertEqual(4);   // the temporary file, then the folder after the rename
      } finally {
        real.fsync = original;
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('fsyncsDurableCopiesInTheCopyWorkers', 0, async () => {
      const dir = scratch('durable-workers');
      try {
        const store = new NodeFileStore();
        expect(store.copyThreads()).assertLarger(0);
        fs.writeFileSync(`${dir}/src`, 'data');
        fs.writeFileSync(`${dir}/target`, '');
        const fd = await store.openRead(`${dir}/src`);
        const out = fs.openSync(`${dir}/target`, 'w');
        try {
          await store.copyFromFd(fd, `${dir}/plain`);
          await store.copyToFd(`${dir}/src`, out);
          expect(store.copySyncs()).assertEqual(0);
          await store.copyFromFd(fd, `${dir}/durable`, { durable: true });
          expect(store.copySyncs()).assertEqual(1);
          await store.copyToFd(`${dir}/src`, out, { durable: true });
          expect(store.copySyncs()).assertEqual(2);
        } finally {
          await store.close(fd);
          fs.closeSync(out);
        }
        expect(fs.readFileSync(`${dir}/target`, 'utf8')).assertEqual('datadata');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('reportsProgressFromTheCopyWorkersAtMostEveryMiBAndEvery25Ms', 0, async () => {
      const dir = scratch('progress-rate');
      try {
        // 256 KiB chunks: each of the 129 chunks of this file wrote more, but a report costs the caller's thread
        // a message: reports come after the chunk that completes a further MiB, after the first only once
        // 25 ms passed since the last one, and at the end.
        const store = new NodeFileStore({ chunkBytes: 256 * 1024 });
        expect(store.copyThreads()).assertLarger(0);
        const size = 32 * 1024 * 1024 + 5;
        const data = Buffer.alloc(size, 7);
        fs.writeFileSync(`${dir}/src`, data);
        const out = fs.openSync(`${dir}/target`, 'w');
        const outward: number[] = [];
        let outwardMs = 0;
        try {
          const t = Date.now();
          const facts = await store.copyToFd(`${dir}/src`, out, { onBytes: (n: number): void => { outward.push(n); } });
          outwardMs = Date.now() - t;
          expect(facts.sha256).assertEqual(sha256(data));
        } finally {
          fs.closeSync(out);
        }
        const inward: number[] = [];
        let inwardMs = 0;
        const fd = await store.openRead(`${dir}/src`);
        try {
          const t = Date.now();
          await store.copyFromFd(fd, `${dir}/copy`, { onBytes: (n: number): void => { inward.push(n); } });
          inwardMs = Date.now() - t;
        } finally {
          await store.close(fd);
        }
        for (const [counts, ms] of [[outward, outwardMs], [inward, inwardMs]] as [number[], number][]) {
          expect(counts[0]).assertEqual(1024 * 1024);
          expect(counts[counts.length - 1]).assertEqual(size);
          for (let i = 1; i < counts.length - 1; i++) {
            // after a whole chunk, at least a MiB after the report before
            expect(counts[i] % (256 * 1024)).assertEqual(0);
            expect(counts[i] - counts[i - 1] >= 1024 * 1024).assertTrue();
          }
          expect(counts.length).assertLarger(1);
          expect(counts[counts.length - 1]).assertLarger(counts[counts.length - 2]);
          // The first report, one per 25 ms after it, and the last: not one per MiB (33) on any machine that
          // copies faster than 40 MiB a second.
          expect(counts.length <= 2 + Math.floor(ms / 25)).assertTrue();
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('saysWhenADurableCopyHasWrittenEverythingBeforeItsSync', 0, async () => {
      const dir = scratch('copied');
      try {
        const store = new NodeFileStore();
        expect(store.copyThreads()).assertLarger(0);
        fs.writeFileSync(`${dir}/src`, Buffer.alloc(300 * 1024, 3));
        const events: string[] = [];
        for (const ask of [false, true]) {
          const fd = await store.openRead(`${dir}/src`);
          try {
            const options: CopyOptions = {
              durable: true,
              onCopied: (): void => { events.push(`copied ${fs.statSync(`${dir}/copy-${ask}`).size}`); },
            };
            if (ask) {
              options.skipSyncIf = async (): Promise<boolean> => {
                events.push('asked');
                return false;
              };
            }
            const copying = store.copyFromFd(fd, `${dir}/copy-${ask}`, options);
            await copying;
            events.push('settled');
          } finally {
            await store.close(fd);
          }
        }
        expect(events.join(',')).assertEqual('copied 307200,settled,copied 307200,asked,settled');
        expect(store.copySyncs()).assertEqual(2);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('skipsTheSyncOfADurableCopyOnlyWhenAskedTo', 0, async () => {
      const dir = scratch('skip-sync');
      try {
        fs.writeFileSync(`${dir}/src`, 'some content');
        for (const threads of [0, 2]) {
          const store = new NodeFileStore({ copyThreads: threads });
          const asked: string[] = [];
          const copy = async (name: string, answer: () => Promise<boolean>): Promise<void> => {
            const fd = await store.openRead(`${dir}/src`);
            try {
              const facts = await store.copyFromFd(fd, `${dir}/${name}`, {
                durable: true,
                skipSyncIf: (f) => {
                  asked.push(`${f.size} ${f.sha256}`);
                  return answer();
                },
              });
              expect(facts.sha256).assertEqual(sha256('some content'));
            } finally {
              await store.close(fd);
            }
            expect(fs.readFileSync(`${dir}/${name}`, 'utf8')).assertEqual('some content');
          };
          await copy(`kept-${threads}`, () => Promise.resolve(false));
          expect(store.copySyncs()).assertEqual(1);
          await copy(`dropped-${threads}`, () => Promise.resolve(true));
          expect(store.copySyncs()).assertEqual(1);
          // A question that fails is a no: the copy is synced.
          await copy(`unsure-${threads}`, () => Promise.reject(new Error('cannot tell')));
          expect(store.copySyncs()).assertEqual(2);
          // Asked once per copy, after the last byte, with what the copy holds.
          expect(asked.length).assertEqual(3);
          expect(asked.every((a) => a === `12 ${sha256('some content')}`)).assertTrue();
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
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

  describe('FsFileStoreOnHost', () => {
    it('hashesFilesOnANativeThreadThroughTheCheckedFd', 0, async () => {
      const dir = scratch('fs-native-hash');
      const data = Buffer.from(Array.from({ length: 300000 }, (_, i) => (i * 7) % 256));
      try {
        fs.writeFileSync(`${dir}/file`, data);
        const calls = hostHash.hostHashCalls();
        const fdsBefore = openFdCount();
        const facts = await fsFileStore.hashFile(`${dir}/file`);
        expect(facts.size).assertEqual(data.length);
        expect(facts.sha256).assertEqual(sha256(data));
        // Through @ohos.file.hash's hash() on the fd the store opened and checked, not the path.
        expect(hostHash.hostHashCalls()).assertEqual(calls + 1);
        // A link at the path is still refused before anything is hashed.
        fs.symlinkSync(`${dir}/file`, `${dir}/link`);
        expect((await errorOf(fsFileStore.hashFile(`${dir}/link`))).kind).assertEqual(StoreErrorKind.NOT_A_FILE);
        expect(hostHash.hostHashCalls()).assertEqual(calls + 1);
        // Where the native hash fails, the store streams the fd itself: the same answer.
        hostHash.hostFailHash(true);
        try {
          const again = await fsFileStore.hashFile(`${dir}/file`);
          expect(`${again.size} ${again.sha256}`).assertEqual(`${data.length} ${sha256(data)}`);
        } finally {
          hostHash.hostFailHash(false);
        }
        expect(openFdCount()).assertEqual(fdsBefore);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
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

  describe('PlatformBackupModule', () => {
    it('forwardsEveryCallbackWithItsArguments', 0, () => {
      const fake = new FakeBackup();
      installHostBackup(fake);
      try {
        const seen: string[] = [];
        const port = new RecordingCallbacks(seen);
        new PlatformBackupModule(18).createSessionBackup(port);
        const official = fake.sessions[0].callbacks;
        const err = { code: 13500001, message: 'm', name: 'BusinessError', data: 'b' } as BusinessError<string>;
        official.onFileReady(undefined, { bundleName: 'b', uri: 'u', fd: 7 });
        official.onFileReady({ code: 13900005, message: 'io', name: 'BusinessError' });
        official.onBundleBegin(undefined, 'b');
        official.onBundleEnd(err);
        official.onAllBundlesEnd(undefined, undefined);
        official.onBackupServiceDied(undefined);
        official.onResultReport('b', 'r');
        official.onProcess('b', 'p');
        official.onBackupSizeReport('{"scaned":[]}');
        expect(seen).assertDeepEquals([
          'fileReady undefined {"bundleName":"b","uri":"u","fd":7}', 'fileReady 13900005 undefined',
          'bundleBegin undefined b', 'bundleEnd 13500001/b undefined', 'allBundlesEnd undefined undefined',
          'serviceDied undefined', 'resultReport b r', 'process b p', 'sizeReport {"scaned":[]}',
        ]);
      } finally {
        installHostBackup(undefined);
      }
    });

    it('handsOverOnBackupSizeReportOnlyFromApi18AndWhenPresent', 0, () => {
      const fake = new FakeBackup();
      installHostBackup(fake);
      try {
        new PlatformBackupModule(12).createSessionBackup(new RecordingCallbacks([]));
        new PlatformBackupModule(18).createSessionRestore(new RecordingCallbacks([], false));
        new PlatformBackupModule(18).createIncrementalBackupSession(new RecordingCallbacks([]));
        expect(fake.sessions.map((x) => `${x.kind} ${'onBackupSizeReport' in x.callbacks}`)).assertDeepEquals([
          'SessionBackup false', 'SessionRestore false', 'IncrementalBackupSession true',
        ]);
      } finally {
        installHostBackup(undefined);
      }
    });

    it('keepsArityAndValuesOfSessionCalls', 0, async () => {
      const fake = new FakeBackup();
      installHostBackup(fake);
      try {
        const module = new PlatformBackupModule(18);
        const b = module.createSessionBackup(new RecordingCallbacks([]));
        await b.appendBundles(['a', 'b']);
        await b.appendBundles(['a'], ['{"x":1}']);
        b.appendBundles(['a'], (): void => undefined);
        await b.getBackupDataSize(true, [{ bundleName: 'a', lastIncrementalTime: 5 }]);
        await b.release();
        const r = module.createSessionRestore(new RecordingCallbacks([]));
        await r.appendBundles(9, ['a']);
        await r.appendBundles(9, ['a'], ['i']);
        await r.getFileHandle({ bundleName: 'a', uri: 'u' });
        r.publishFile({ bundleName: 'a', uri: '' }, (): void => undefined);
        const i = module.createIncrementalBackupSession(new RecordingCallbacks([]));
        const data: IncrementalBackupData[] = [{ bundleName: 'a', lastIncrementalTime: 1, manifestFd: 3 },
          { bundleName: 'c', lastIncrementalTime: 2, manifestFd: 4, parameters: 'p', priority: 1 }];
        await i.appendBundles(data);
        await i.appendBundles(data, ['x', 'y']);
        expect(fake.log).assertDeepEquals([
          'SessionBackup.appendBundles(["a","b"])', 'SessionBackup.appendBundles(["a"],["{\\"x\\":1}"])',
          'SessionBackup.appendBundles(["a"],<function>)',
          'SessionBackup.getBackupDataSize(true,[{"bundleName":"a","lastIncrementalTime":5}])',
          'SessionBackup.release()',
          'SessionRestore.appendBundles(9,["a"])', 'SessionRestore.appendBundles(9,["a"],["i"])',
          'SessionRestore.getFileHandle({"bundleName":"a","uri":"u"})',
          'SessionRestore.publishFile({"bundleName":"a","uri":""},<function>)',
          'IncrementalBackupSession.appendBundles([{"bundleName":"a","lastIncrementalTime":1,"manifestFd":3},' +
            '{"bundleName":"c","lastIncrementalTime":2,"manifestFd":4,"parameters":"p","priority":1}])',
          'IncrementalBackupSession.appendBundles([{"bundleName":"a","lastIncrementalTime":1,"manifestFd":3},' +
            '{"bundleName":"c","lastIncrementalTime":2,"manifestFd":4,"parameters":"p","priority":1}],["x","y"])',
        ]);
      } finally {
        installHostBackup(undefined);
      }
    });

    it('letsSynchronousServiceErrorsThrowSynchronously', 0, () => {
      const fake = new FakeBackup();
      fake.throwOnAppend = 13900020;
      installHostBackup(fake);
      try {
        const session = new PlatformBackupModule(18).createSessionBackup(new RecordingCallbacks([]));
        let code = 0;
        try {
          // Not awaited: the service throws before returning any promise, and so must the adapter.
          session.appendBundles(['a']);
        } catch (e) {
          code = (e as BusinessError).code;
        }
        expect(code).assertEqual(13900020);
      } finally {
        installHostBackup(undefined);
      }
    });

    it('gatesApi18MembersWith801BelowApi18', 0, async () => {
      const fake = new FakeBackup();
      installHostBackup(fake);
      try {
        const old = new PlatformBackupModule(12);
        const session = old.createSessionBackup(new RecordingCallbacks([]));
        const thrown = (work: () => unknown): string => {
          try {
            work();
            return 'no error';
          } catch (e) {
            return `${(e as BusinessError).code} ${e instanceof NotSupportedError} ${(e as Error).message}`;
          }
        };
        expect(thrown(() => session.cancel('a'))).assertEqual(
          '801 true SessionBackup.cancel is not supported on this system (API level 12, needs 18)');
        expect(thrown(() => old.getBackupVersion())).assertEqual(
          '801 true getBackupVersion is not supported on this system (API level 12, needs 18)');
        let rejected = 0;
        await session.getLocalCapabilities().catch((e: BusinessError) => {
          rejected = e.code;
        });
        expect(rejected).assertEqual(801);
        rejected = 0;
        await old.createIncrementalBackupSession(new RecordingCallbacks([])).getBackupDataSize(false, [])
          .catch((e: BusinessError) => {
            rejected = e.code;
          });
        expect(rejected).assertEqual(801);
        expect(fake.log).assertDeepEquals([]);

        const current = new PlatformBackupModule(18);
        const s18 = current.createSessionBackup(new RecordingCallbacks([]));
        expect(s18.cancel('a')).assertEqual(13500012);
        expect((await s18.getLocalCapabilities()).fd).assertEqual(-1);
        expect(current.getBackupVersion()).assertEqual('{"backupVersion" : "26"}');
      } finally {
        installHostBackup(undefined);
      }
    });

    it('passesModuleFunctionsThrough', 0, async () => {
      const fake = new FakeBackup();
      installHostBackup(fake);
      try {
        const module = new PlatformBackupModule(12);
        expect((await module.getLocalCapabilities()).fd).assertEqual(40);
        const times: IncrementalBackupTime[] = [{ bundleName: 'a', lastIncrementalTime: 0 }];
        expect((await module.getLocalCapabilities(times)).fd).assertEqual(41);
        const viaCallback = await new Promise<string>((resolve) => {
          module.getLocalCapabilities((err: BusinessError, data: FileData) => resolve(`${err === undefined} ${data.fd}`));
        });
        expect(viaCallback).assertEqual('true 42');
        expect(module.getBackupInfo('a')).assertEqual('info:a');
        expect(module.updateTimer('a', 1000)).assertTrue();
        expect(module.updateSendRate('a', 5)).assertFalse();
        expect(fake.log).assertDeepEquals([
          'getLocalCapabilities()', 'getLocalCapabilities([{"bundleName":"a","lastIncrementalTime":0}])',
          'getLocalCapabilities(<function>)', 'getBackupInfo("a")', 'updateTimer("a",1000)', 'updateSendRate("a",5)',
        ]);
      } finally {
        installHostBackup(undefined);
      }
    });
  });
}

// ---- a recording fake of '@ohos.file.backup' (JavaScript semantics: what the real module sees) ----

function show(args: unknown[]): string {
  return args.map((a) => (typeof a === 'function' ? '<function>' : JSON.stringify(a))).join(',');
}

interface OfficialCallbacks {
  onFileReady(err: BusinessError | undefined, file?: object): void;
  onBundleBegin(err: BusinessError<string> | undefined, bundleName?: string): void;
  onBundleEnd(err: BusinessError<string> | undefined, bundleName?: string): void;
  onAllBundlesEnd(err: BusinessError | undefined, data: undefined): void;
  onBackupServiceDied(data: undefined): void;
  onResultReport(bundleName: string, result: string): void;
  onProcess(bundleName: string, process: string): void;
  onBackupSizeReport(reportInfo: string): void;
}

class FakeSession {
  constructor(readonly kind: string, readonly callbacks: OfficialCallbacks, private readonly fake: FakeBackup) {
  }

  private record(method: string, args: unknown[]): Promise<void> | undefined {
    this.fake.log.push(`${this.kind}.${method}(${show(args)})`);
    if (method === 'appendBundles' && this.fake.throwOnAppend !== 0) {
      throw Object.assign(new Error('Invalid argument'), { code: this.fake.throwOnAppend });
    }
    return typeof args[args.length - 1] === 'function' ? undefined : Promise.resolve();
  }

  appendBundles(...args: unknown[]): Promise<void> | undefined {
    return this.record('appendBundles', args);
  }

  getBackupDataSize(...args: unknown[]): Promise<void> | undefined {
    return this.record('getBackupDataSize', args);
  }

  publishFile(...args: unknown[]): Promise<void> | undefined {
    return this.record('publishFile', args);
  }

  getFileHandle(...args: unknown[]): Promise<void> | undefined {
    return this.record('getFileHandle', args);
  }

  release(...args: unknown[]): Promise<void> | undefined {
    return this.record('release', args);
  }

  getLocalCapabilities(): Promise<{ fd: number }> {
    return Promise.resolve({ fd: -1 });
  }

  cancel(bundleName: string): number {
    return bundleName === '' ? 13500011 : 13500012;
  }
}

class FakeBackup {
  readonly log: string[] = [];
  readonly sessions: FakeSession[] = [];
  throwOnAppend = 0;
  readonly SessionBackup: new (cb: OfficialCallbacks) => FakeSession;
  readonly SessionRestore: new (cb: OfficialCallbacks) => FakeSession;
  readonly IncrementalBackupSession: new (cb: OfficialCallbacks) => FakeSession;

  constructor() {
    const sessionClass = (kind: string): new (cb: OfficialCallbacks) => FakeSession => {
      const fake = this;
      return class extends FakeSession {
        constructor(cb: OfficialCallbacks) {
          super(kind, cb, fake);
          fake.sessions.push(this);
        }
      };
    };
    this.SessionBackup = sessionClass('SessionBackup');
    this.SessionRestore = sessionClass('SessionRestore');
    this.IncrementalBackupSession = sessionClass('IncrementalBackupSession');
  }

  getLocalCapabilities(...args: unknown[]): Promise<{ fd: number }> | undefined {
    this.log.push(`getLocalCapabilities(${show(args)})`);
    if (typeof args[0] === 'function') {
      (args[0] as (err: undefined, data: { fd: number }) => void)(undefined, { fd: 42 });
      return undefined;
    }
    return Promise.resolve({ fd: args.length === 0 ? 40 : 41 });
  }

  getBackupInfo(bundleName: string): string {
    this.log.push(`getBackupInfo(${show([bundleName])})`);
    return `info:${bundleName}`;
  }

  updateTimer(bundleName: string, timeout: number): boolean {
    this.log.push(`updateTimer(${show([bundleName, timeout])})`);
    return true;
  }

  updateSendRate(bundleName: string, sendRate: number): boolean {
    this.log.push(`updateSendRate(${show([bundleName, sendRate])})`);
    return false;
  }

  getBackupVersion(): string {
    return '{"backupVersion" : "26"}';
  }
}

/** Port callbacks that write what arrives into `seen`. */
class RecordingCallbacks implements GeneralCallbacks {
  onBackupSizeReport?: (reportInfo: string) => void;

  constructor(private readonly seen: string[], withSizeReport: boolean = true) {
    if (withSizeReport) {
      this.onBackupSizeReport = (reportInfo: string): void => {
        this.seen.push(`sizeReport ${reportInfo}`);
      };
    }
  }

  private static err(err: BusinessError<void | string> | undefined): string {
    return err === undefined ? 'undefined' : `${err.code}${err.data !== undefined ? `/${err.data}` : ''}`;
  }

  onFileReady(err: BusinessError, file: File): void {
    this.seen.push(`fileReady ${RecordingCallbacks.err(err)} ${file === undefined ? 'undefined' : JSON.stringify(file)}`);
  }

  onBundleBegin(err: BusinessError<void | string>, bundleName: string): void {
    this.seen.push(`bundleBegin ${RecordingCallbacks.err(err)} ${bundleName}`);
  }

  onBundleEnd(err: BusinessError<void | string>, bundleName: string): void {
    this.seen.push(`bundleEnd ${RecordingCallbacks.err(err)} ${bundleName}`);
  }

  onAllBundlesEnd(err: BusinessError, data: undefined): void {
    this.seen.push(`allBundlesEnd ${RecordingCallbacks.err(err)} ${data}`);
  }

  onBackupServiceDied(data: undefined): void {
    this.seen.push(`serviceDied ${data}`);
  }

  onResultReport(bundleName: string, result: string): void {
    this.seen.push(`resultReport ${bundleName} ${result}`);
  }

  onProcess(bundleName: string, process: string): void {
    this.seen.push(`process ${bundleName} ${process}`);
  }
}
