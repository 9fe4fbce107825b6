/*
 * Host-only tests of the copy workers' pool (tools/host/CopyWorkers.ts): a worker goes on to the job it
 * holds behind the one it runs without waiting for the engine's thread; a worker with nothing to do takes
 * over a job another one holds and has not started; a job held by a worker that dies runs on another; every job
 * is answered once, with its own result.
 */
import { describe, expect, it } from '@ohos/hypium';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { CopyAnswer, CopyJob, CopyPool } from '../host/CopyWorkers';

const CHUNK = 256 * 1024;
const READ_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW;

function scratch(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `bm-pool-${label}-`));
}

/** A file of n bytes that differ from file to file (seed). */
function writeFile(p: string, n: number, seed: number): Buffer {
  const data = Buffer.alloc(n);
  for (let i = 0; i + 4 <= n; i += 4) {
    data.writeUInt32LE((i * 2654435761 + seed) >>> 0, i);
  }
  fs.writeFileSync(p, data);
  return data;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function fromJob(fd: number, out: string): CopyJob {
  return { op: 'from', fd, path: out, maxBytes: -1, durable: false, chunk: CHUNK };
}

function hashJob(p: string): CopyJob {
  return { op: 'hash', fd: -1, path: p, maxBytes: -1, durable: false, chunk: CHUNK };
}

function sizeOf(p: string): number {
  try {
    return fs.statSync(p).size;
  } catch (e) {
    return -1;
  }
}

export default function copyPoolTests(): void {
  describe('CopyPool', () => {
    it('aWorkerGoesOnToTheJobItHoldsWhileTheEnginesThreadIsBusy', 0, async () => {
      const dir = scratch('held');
      const pool = new CopyPool(1, READ_FLAGS, CHUNK);
      const fds: number[] = [];
      try {
        await pool.warmUp();
        const size = 4 * 1024 * 1024;
        const data = [writeFile(`${dir}/a`, size, 1), writeFile(`${dir}/b`, size, 2)];
        fds.push(fs.openSync(`${dir}/a`, 'r'), fs.openSync(`${dir}/b`, 'r'));
        const answers = [pool.run(fromJob(fds[0], `${dir}/a.copy`)), pool.run(fromJob(fds[1], `${dir}/b.copy`))];
        // This thread does not return to its event loop until the second copy is whole (or 4 s passed):
        // the one worker must have gone from the first job to the second without this thread's help.
        const until = Date.now() + 4000;
        let whole = false;
        while (!whole && Date.now() < until) {
          whole = sizeOf(`${dir}/b.copy`) === size && sizeOf(`${dir}/a.copy`) === size;
        }
        const done = await Promise.all(answers);
        expect(whole).assertTrue();
        for (let i = 0; i < 2; i++) {
          expect(done[i].done?.sha256).assertEqual(sha256(data[i]));
          expect(done[i].done?.written).assertEqual(size);
        }
      } finally {
        fds.forEach((fd: number) => fs.closeSync(fd));
        await pool.shutdown();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('aWorkerWithNothingToDoTakesOverAJobHeldBehindALongOne', 0, async () => {
      const dir = scratch('take');
      const pool = new CopyPool(2, READ_FLAGS, CHUNK);
      try {
        await pool.warmUp();
        const long = writeFile(`${dir}/long`, 128 * 1024 * 1024, 3);
        const short = writeFile(`${dir}/short`, 1000, 4);
        const held = writeFile(`${dir}/held`, 2000, 5);
        const ended: string[] = [];
        const track = (name: string, p: Promise<CopyAnswer>): Promise<CopyAnswer> =>
          p.then((a: CopyAnswer): CopyAnswer => {
            ended.push(name);
            return a;
          });
        // long goes to the first worker, short to the second, held behind long (no worker is free);
        // once short is answered the second worker has nothing to do and takes held over.
        const answers = await Promise.all([
          track('long', pool.run(hashJob(`${dir}/long`))),
          track('short', pool.run(hashJob(`${dir}/short`))),
          track('held', pool.run(hashJob(`${dir}/held`))),
        ]);
        expect(ended.indexOf('held')).assertLess(ended.indexOf('long'));
        expect(answers[0].done?.sha256).assertEqual(sha256(long));
        expect(answers[1].done?.sha256).assertEqual(sha256(short));
        expect(answers[2].done?.sha256).assertEqual(sha256(held));
      } finally {
        await pool.shutdown();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('aJobHeldByAWorkerThatDiesRunsOnAnotherTheOneItRanFails', 0, async () => {
      const dir = scratch('dies');
      const pool = new CopyPool(1, READ_FLAGS, CHUNK);
      let fd = -1;
      try {
        await pool.warmUp();
        writeFile(`${dir}/long`, 256 * 1024 * 1024, 6);
        const held = writeFile(`${dir}/held`, 3000, 7);
        fd = fs.openSync(`${dir}/long`, 'r');
        let started: () => void = (): void => undefined;
        const copying = new Promise<void>((resolve) => {
          started = resolve;
        });
        const job = fromJob(fd, `${dir}/long.copy`);
        job.onBytes = (): void => started();
        const running = pool.run(job);
        const behind = pool.run(hashJob(`${dir}/held`));
        // The pool's one worker dies while it copies the long file (the test reaches into the pool for it).
        await copying;
        const workers = (pool as unknown as { workers: { worker: { terminate(): Promise<number> } }[] }).workers;
        await workers[0].worker.terminate();
        const lost = await running;
        expect(lost.failure?.code).assertEqual('EWORKER');
        const rerun = await behind;
        expect(rerun.failure).assertUndefined();
        expect(rerun.done?.sha256).assertEqual(sha256(held));
      } finally {
        if (fd >= 0) {
          fs.closeSync(fd);
        }
        await pool.shutdown();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('answersEveryJobOnceWithItsOwnResultWhenManyAreQueued', 0, async () => {
      const dir = scratch('many');
      const pool = new CopyPool(2, READ_FLAGS, CHUNK);
      const fds: number[] = [];
      try {
        const data: Buffer[] = [];
        const jobs: Promise<CopyAnswer>[] = [];
        for (let i = 0; i < 40; i++) {
          data.push(writeFile(`${dir}/f${i}`, 1000 + i * 7919, 10 + i));
          if (i % 2 === 0) {
            jobs.push(pool.run(hashJob(`${dir}/f${i}`)));
          } else {
            fds.push(fs.openSync(`${dir}/f${i}`, 'r'));
            jobs.push(pool.run(fromJob(fds[fds.length - 1], `${dir}/f${i}.copy`)));
          }
        }
        const answers = await Promise.all(jobs);
        for (let i = 0; i < 40; i++) {
          expect(answers[i].done?.sha256).assertEqual(sha256(data[i]));
          if (i % 2 === 1) {
            expect(fs.readFileSync(`${dir}/f${i}.copy`).equals(data[i])).assertTrue();
          }
        }
      } finally {
        fds.forEach((fd: number) => fs.closeSync(fd));
        await pool.shutdown();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
