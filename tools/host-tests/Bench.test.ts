/*
 * Host-only tests of the benchmark harness (tools/bench): the parts that keep its figures honest. The
 * deferred device check still catches a wrong byte, the device's and the limit's worker hashing give the
 * real sha256, the stub's prepared fds are all closed, the phases of a run hold its streaming calls. No
 * duration is asserted, only the order of instants. (That `npm run bench`
 * itself still runs is proved by the tooling self-test, tools/selftest, in quick mode.)
 */
import { describe, expect, it } from '@ohos/hypium';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { NodeFileStore, openFdCount } from '../host/NodeFileStore';
import { FileStoreError, StoreErrorKind } from '../../entry/src/main/ets/backup/port/FileStore';
import { CountingFileStore } from '../bench/CountingFileStore';
import { DeferredRestoreCheck } from '../bench/DeferredRestoreCheck';
import { LimitPool } from '../bench/Limit';
import { StubBackupService, StubBundle, StubFile } from '../bench/StubBackupService';
import { WorkerHashStore } from '../bench/WorkerHashStore';

function scratch(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `bm-benchtest-${label}-`));
}

/** The message of what work throws ('' when it throws nothing). */
function thrownBy(work: () => void): string {
  try {
    work();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export default function benchTests(): void {
  describe('BenchHarness', () => {
    it('deferredDeviceCheckPassesTheRightBytesAndCatchesAFlippedOne', 0, async () => {
      const dir = scratch('deferred');
      try {
        const good = Buffer.from('the bytes of the set\n');
        const bad = Buffer.from(good);
        bad[4] ^= 1;
        for (const [content, ok] of [[good, true], [bad, false]] as [Buffer, boolean][]) {
          fs.rmSync(`${dir}/work`, { recursive: true, force: true });
          fs.mkdirSync(`${dir}/work/session/com.example.app`, { recursive: true });
          fs.mkdirSync(`${dir}/held`, { recursive: true });
          const received = `${dir}/work/session/com.example.app/data.bin`;
          fs.writeFileSync(received, content);
          const check = new DeferredRestoreCheck(new NodeFileStore(), `${dir}/held`);
          check.expect('com.example.app', 'data.bin', { size: good.length, sha256: sha256(good) });
          check.defer();
          // The mock's check is answered from the set, and its removal of the session folder is deferred.
          expect((await check.hashFile(received)).sha256).assertEqual(sha256(good));
          await check.remove(`${dir}/work/session`);
          expect(fs.existsSync(`${dir}/work/session`)).assertFalse();
          let failure = '';
          try {
            expect(await check.settle()).assertEqual(1);
          } catch (e) {
            failure = (e as Error).message;
          }
          expect(failure === '').assertEqual(ok);
          if (!ok) {
            expect(failure).assertContain('different from the set');
          }
          // Either way, what was moved aside is gone afterwards.
          expect(fs.readdirSync(`${dir}/held`).length).assertEqual(0);
          // No longer deferring: a file in the same place gets its real hash.
          fs.mkdirSync(`${dir}/work/again/com.example.app`, { recursive: true });
          fs.writeFileSync(`${dir}/work/again/com.example.app/data.bin`, content);
          expect((await check.hashFile(`${dir}/work/again/com.example.app/data.bin`)).sha256).assertEqual(sha256(content));
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('workerHashStoreGivesTheRealHashAndStoreErrors', 0, async () => {
      const dir = scratch('worker');
      const store = new WorkerHashStore(new NodeFileStore());
      try {
        const data = Buffer.alloc(600 * 1024, 7);
        data[300000] = 1;
        fs.writeFileSync(`${dir}/f`, data);
        const facts = await store.hashFile(`${dir}/f`);
        expect(facts.size).assertEqual(data.length);
        expect(facts.sha256).assertEqual(sha256(data));
        let kind = '';
        try {
          await store.hashFile(`${dir}/missing`);
        } catch (e) {
          kind = e instanceof FileStoreError ? e.kind : 'not a FileStoreError';
        }
        expect(kind).assertEqual(StoreErrorKind.NOT_FOUND);
        // As the port says: a link is not followed, a folder is not a file.
        fs.symlinkSync(`${dir}/f`, `${dir}/link`);
        for (const p of [`${dir}/link`, dir]) {
          kind = '';
          try {
            await store.hashFile(p);
          } catch (e) {
            kind = e instanceof FileStoreError ? e.kind : 'not a FileStoreError';
          }
          expect(kind).assertEqual(StoreErrorKind.NOT_A_FILE);
        }
      } finally {
        await store.shutdown();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('limitCopiesEveryFileAndHashesWhatItRead', 0, async () => {
      const dir = scratch('limit');
      const files = ['a/one.bin', 'a/b/two.bin', 'three.bin', 'empty.bin'];
      const pool = new LimitPool(`${dir}/src`, files);
      try {
        const contents = new Map<string, Buffer>();
        files.forEach((f, i) => {
          const data = Buffer.alloc(f === 'empty.bin' ? 0 : 300 * 1024 + i, i + 1);
          fs.mkdirSync(path.dirname(`${dir}/src/${f}`), { recursive: true });
          fs.writeFileSync(`${dir}/src/${f}`, data);
          contents.set(f, data);
        });
        const copy = await pool.copy(`${dir}/dst`, true);
        for (const f of files) {
          expect(copy.hashes.get(f)).assertEqual(sha256(contents.get(f) as Buffer));
          expect(fs.readFileSync(`${dir}/dst/${f}`).equals(contents.get(f) as Buffer)).assertTrue();
        }
        expect(await pool.hashOnly() >= 0).assertTrue();
      } finally {
        await pool.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('countingStorePhasesHoldEveryStreamingCallAndAddUpToTheRun', 0, async () => {
      const dir = scratch('phases');
      const store = new CountingFileStore(new NodeFileStore());
      try {
        fs.writeFileSync(`${dir}/a.bin`, Buffer.alloc(3000, 7));
        fs.writeFileSync(`${dir}/b.bin`, Buffer.alloc(5000, 9));
        const counts = store.counts;
        const start = process.hrtime.bigint();
        // Work before the first call and after the last: the phases must put it before and after.
        await new Promise<void>((resolve) => setTimeout(resolve, 2));
        const fd = fs.openSync(`${dir}/out.bin`, 'w');
        let afterFirst = 0n;
        try {
          await store.copyToFd(`${dir}/a.bin`, fd);
          afterFirst = process.hrtime.bigint();
          await store.copyToFd(`${dir}/b.bin`, fd);
        } finally {
          fs.closeSync(fd);
        }
        let failed = false;
        try {
          await store.hashFile(`${dir}/missing.bin`);
        } catch (e) {
          failed = true;
        }
        expect(failed).assertTrue();
        const lastCallDone = process.hrtime.bigint();
        await new Promise<void>((resolve) => setTimeout(resolve, 2));
        const end = process.hrtime.bigint();
        expect(counts.copyToFdBytes).assertEqual(8000);
        expect(counts.firstStartNs > start && counts.firstStartNs < afterFirst).assertTrue();
        // The failed hash is a call too: the data part ends with it.
        expect(counts.lastEndNs > afterFirst && counts.lastEndNs <= lastCallDone).assertTrue();
        const p = counts.phases(start, end);
        const totalMs = Number(end - start) / 1e6;
        expect(Math.abs(p.beforeMs + p.dataMs + p.afterMs - totalMs) < 1e-6).assertTrue();
        expect(p.beforeMs > 0 && p.dataMs > 0 && p.afterMs > 0).assertTrue();
        // A run that does not hold the calls, and a run without any, are refused rather than misread.
        expect(thrownBy(() => counts.phases(afterFirst, end))).assertContain('outside the run');
        counts.reset();
        expect(counts.firstStartNs).assertEqual(0n);
        expect(thrownBy(() => counts.phases(start, end))).assertContain('nothing was streamed');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('stubPreparesEveryFdAndDisposeClosesThem', 0, async () => {
      const dir = scratch('stub');
      try {
        const files: StubFile[] = [];
        for (let i = 0; i < 5; i++) {
          fs.writeFileSync(`${dir}/f${i}`, `file ${i}`);
          files.push(new StubFile(`f${i}`, `${dir}/f${i}`, 6));
        }
        const service = new StubBackupService(dir, [new StubBundle('com.a', files.slice(0, 3)),
          new StubBundle('com.b', files.slice(3))], true);
        const before = openFdCount();
        expect(service.prepare()).assertTrue();
        // Five files and a manage.json per bundle.
        expect(openFdCount() - before).assertEqual(7);
        service.dispose();
        expect(openFdCount()).assertEqual(before);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
