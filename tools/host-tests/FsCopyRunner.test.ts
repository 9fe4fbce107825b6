/*
 * Host tests of the device FileStore's copy seam (platform/CopyRunner.ets, platform/FsCopyTask.ets) on the
 * @ohos.file.fs stand-in. The taskpool itself cannot run here (TaskpoolCopyLauncher is device only): a
 * stand-in launcher runs the task as TaskpoolCopyLauncher does (runCopyTask with SharedSignals over the
 * shared control words) and delivers its progress asynchronously, as taskpool messages arrive, or late, after
 * the result, or fails the launch before or after the task began. What is checked is the logic on both
 * sides of the seam: the FileStore contract through it, progress on the caller's side, a throw of onBytes
 * stopping the task between chunks, errors mapped to the same kinds, the fallback that never lets two run
 * on one fd, and every fd closed.
 */
import { describe, expect, it } from '@ohos/hypium';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { openFdCount } from '../host/NodeFileStore';
import { FileFacts, FileStoreError, StoreErrorKind } from '../../entry/src/main/ets/backup/port/FileStore';
import { FsFileStore } from '../../entry/src/main/ets/platform/FsFileStore';
import {
  CONTROL_BEGUN, CONTROL_STOP, CopyTaskLauncher, newControl, OffThreadCopyRunner, SharedSignals
} from '../../entry/src/main/ets/platform/CopyRunner';
import { CopyTaskResult, CopyTaskSpec, runCopyTask } from '../../entry/src/main/ets/platform/FsCopyTask';
import { fileStoreContract } from '../../entry/src/test/store/FileStoreContract.test';
import { compareCopyContract } from '../../entry/src/test/store/CompareCopyContract.test';
import { specialFileContract } from './SpecialFiles.test';
import { errorOf } from './StoreKit';

const MIB = 1024 * 1024;

function scratch(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `bm-fscopy-${label}-`));
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function pattern(size: number): Buffer {
  return Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + 7) % 251));
}

function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

type Mode = 'async' | 'late' | 'refuse' | 'dieAfterBegin';

/**
 * Runs the task as TaskpoolCopyLauncher does, on this thread. async: each report delivered on a later turn
 * (taskpool's messages); late: every report held back until after the result was handed over; refuse: the
 * launch fails before the task began; dieAfterBegin: the task runs, then the launch rejects as a task that
 * died would (its result lost).
 */
class StandInLauncher implements CopyTaskLauncher {
  mode: Mode;
  launches = 0;
  /** The control words of the last launch. */
  lastControl: Int32Array | undefined = undefined;

  constructor(mode: Mode) {
    this.mode = mode;
  }

  async launch(spec: CopyTaskSpec, control: Int32Array, onReport: (bytesSoFar: number) => void): Promise<CopyTaskResult> {
    this.launches++;
    this.lastControl = control;
    if (this.mode === 'refuse') {
      throw new Error('taskpool refused the copy task: 10200003 Worker initialization failed');
    }
    // The task gets a plain copy of the spec, as taskpool's serialization gives it.
    const copied = JSON.parse(JSON.stringify(spec)) as CopyTaskSpec;
    const held: number[] = [];
    const pending: Promise<void>[] = [];
    const report = (bytesSoFar: number): void => {
      if (this.mode === 'late') {
        held.push(bytesSoFar);
      } else {
        pending.push(nextTurn().then(() => onReport(bytesSoFar)));
      }
    };
    const result = await runCopyTask(copied, new SharedSignals(control, report));
    if (this.mode === 'dieAfterBegin') {
      throw new Error('taskpool copy task: 10200001 the task ended without a result');
    }
    const plain = JSON.parse(JSON.stringify(result)) as CopyTaskResult;
    if (this.mode === 'late') {
      setImmediate(() => held.forEach((n) => onReport(n)));
    }
    return plain;
  }
}

function storeWith(launcher: StandInLauncher): FsFileStore {
  return new FsFileStore(new OffThreadCopyRunner(launcher));
}

export default function fsCopyRunnerTests(): void {
  const asyncStore = storeWith(new StandInLauncher('async'));
  fileStoreContract('FsFileStoreOffThreadContractOnHost', () => asyncStore);
  specialFileContract('FsFileStoreOffThreadSpecialFilesOnHost', () => asyncStore);
  compareCopyContract('FsFileStoreOffThreadCompareCopyOnHost', () => asyncStore);

  describe('FsCopyRunner', () => {
    it('reportsTheFinalCountOnceWhenProgressArrivesAfterTheResult', 0, async () => {
      const dir = scratch('late');
      const data = pattern(3 * MIB + 5);
      try {
        fs.writeFileSync(`${dir}/src`, data);
        const store = storeWith(new StandInLauncher('late'));
        const counts: number[] = [];
        const out = fs.openSync(`${dir}/out`, 'w');
        let facts: FileFacts;
        try {
          facts = await store.copyToFd(`${dir}/src`, out, { onBytes: (n: number): void => { counts.push(n); } });
        } finally {
          fs.closeSync(out);
        }
        expect(facts.sha256).assertEqual(sha256(data));
        // The held-back reports arrive after the copy returned: none of them is passed on.
        await nextTurn();
        await nextTurn();
        expect(counts).assertDeepEquals([data.length]);
        expect(fs.readFileSync(`${dir}/out`).equals(data)).assertTrue();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('passesProgressOnIncreasingAndEndingAtTheSize', 0, async () => {
      const dir = scratch('progress');
      const data = pattern(2 * MIB + 3);
      try {
        fs.writeFileSync(`${dir}/src`, data);
        const store = storeWith(new StandInLauncher('async'));
        const counts: number[] = [];
        const fd = fs.openSync(`${dir}/src`, 'r');
        try {
          const facts = await store.copyFromFd(fd, `${dir}/copy`, { onBytes: (n: number): void => { counts.push(n); } });
          expect(facts.size).assertEqual(data.length);
        } finally {
          fs.closeSync(fd);
        }
        expect(counts).assertDeepEquals([MIB, 2 * MIB, data.length]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('stopsTheTaskBetweenChunksWhenOnBytesThrowsAndLeavesNothing', 0, async () => {
      const dir = scratch('cancel');
      const data = pattern(6 * MIB);
      try {
        fs.writeFileSync(`${dir}/src`, data);
        const launcher = new StandInLauncher('async');
        const store = storeWith(launcher);
        const fdsBefore = openFdCount();
        const fd = fs.openSync(`${dir}/src`, 'r');
        let err: FileStoreError;
        const counts: number[] = [];
        try {
          err = await errorOf(store.copyFromFd(fd, `${dir}/copy`, {
            onBytes: (n: number): void => {
              counts.push(n);
              throw new Error('cancelled by the user');
            }
          }));
          // The caller's fd stays open; the task read on only up to the chunk it was on when it saw STOP.
          const rest = fs.readSync(fd, Buffer.alloc(8 * MIB));
          expect(rest).assertLarger(0);
          expect(rest).assertLess(data.length - MIB);
        } finally {
          fs.closeSync(fd);
        }
        expect(err.message.includes('cancelled by the user')).assertTrue();
        expect(counts).assertDeepEquals([MIB]);
        expect(Atomics.load(launcher.lastControl as Int32Array, CONTROL_STOP)).assertEqual(1);
        expect(fs.existsSync(`${dir}/copy`)).assertFalse();
        expect(openFdCount()).assertEqual(fdsBefore);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('copiesOnThisThreadWhenTheTaskCouldNotBeStarted', 0, async () => {
      const dir = scratch('refuse');
      const data = pattern(MIB + 17);
      try {
        fs.writeFileSync(`${dir}/src`, data);
        const launcher = new StandInLauncher('refuse');
        const store = storeWith(launcher);
        const fdsBefore = openFdCount();
        const counts: number[] = [];
        const fd = fs.openSync(`${dir}/src`, 'r');
        try {
          const facts = await store.copyFromFd(fd, `${dir}/copy`, { onBytes: (n: number): void => { counts.push(n); } });
          expect(`${facts.size} ${facts.sha256}`).assertEqual(`${data.length} ${sha256(data)}`);
        } finally {
          fs.closeSync(fd);
        }
        expect(launcher.launches).assertEqual(1);
        expect(counts).assertDeepEquals([MIB, data.length]);
        expect(fs.readFileSync(`${dir}/copy`).equals(data)).assertTrue();
        // A task that begins after the fallback was chosen sees STOP and touches nothing.
        const control = launcher.lastControl as Int32Array;
        expect(Atomics.load(control, CONTROL_STOP)).assertEqual(1);
        const src = fs.openSync(`${dir}/src`, 'r');
        try {
          const spec = new CopyTaskSpec();
          spec.src = src;
          spec.srcPositioned = false;
          spec.what = 'late task';
          const late = await runCopyTask(spec, new SharedSignals(control, (): void => undefined));
          expect(late.ok).assertFalse();
          expect(late.stopped).assertTrue();
          expect(Atomics.load(control, CONTROL_BEGUN)).assertEqual(1);
          expect(fs.readSync(src, Buffer.alloc(2 * MIB))).assertEqual(data.length);   // nothing was read
        } finally {
          fs.closeSync(src);
        }
        expect(openFdCount()).assertEqual(fdsBefore);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('failsWithIoAndNoSecondTryWhenABegunTaskDies', 0, async () => {
      const dir = scratch('died');
      const data = pattern(MIB + 1);
      try {
        fs.writeFileSync(`${dir}/src`, data);
        const launcher = new StandInLauncher('dieAfterBegin');
        const store = storeWith(launcher);
        const fdsBefore = openFdCount();
        const fd = fs.openSync(`${dir}/src`, 'r');
        try {
          const err = await errorOf(store.copyFromFd(fd, `${dir}/copy`));
          expect(err.kind).assertEqual(StoreErrorKind.IO);
          expect(err.message.includes('the copy task failed')).assertTrue();
          // Read to its end by the task that died; not copied again from there.
          expect(fs.readSync(fd, Buffer.alloc(16))).assertEqual(0);
        } finally {
          fs.closeSync(fd);
        }
        expect(launcher.launches).assertEqual(1);
        expect(fs.existsSync(`${dir}/copy`)).assertFalse();
        // copyToFd: the opened source is closed however the task ended.
        const out = fs.openSync(`${dir}/out`, 'w');
        try {
          expect((await errorOf(store.copyToFd(`${dir}/src`, out))).kind).assertEqual(StoreErrorKind.IO);
        } finally {
          fs.closeSync(out);
        }
        expect(openFdCount()).assertEqual(fdsBefore);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('mapsTheTaskErrorsToTheSameKinds', 0, async () => {
      const dir = scratch('errors');
      const data = pattern(300000);
      try {
        fs.writeFileSync(`${dir}/src`, data);
        const store = storeWith(new StandInLauncher('async'));
        const fdsBefore = openFdCount();
        // Writing into an fd open for reading only: EBADF from the task's write, 13900008, BAD_FD.
        const readOnly = fs.openSync(`${dir}/src`, 'r');
        try {
          const err = await errorOf(store.copyToFd(`${dir}/src`, readOnly));
          expect(err.kind).assertEqual(StoreErrorKind.BAD_FD);
          expect(err.rawCode).assertEqual(13900008);
          expect(err.message.startsWith(`copyToFd ${dir}/src -> ${readOnly}`)).assertTrue();
        } finally {
          fs.closeSync(readOnly);
        }
        // Reading from an fd open for writing only: the same, and nothing is left at the target.
        const writeOnly = fs.openSync(`${dir}/w`, 'w');
        try {
          const err = await errorOf(store.copyFromFd(writeOnly, `${dir}/copy`));
          expect(err.kind).assertEqual(StoreErrorKind.BAD_FD);
          expect(fs.existsSync(`${dir}/copy`)).assertFalse();
        } finally {
          fs.closeSync(writeOnly);
        }
        // A limit: LIMIT after maxBytes + 1 bytes read.
        const src = fs.openSync(`${dir}/src`, 'r');
        try {
          const err = await errorOf(store.copyFromFd(src, `${dir}/copy`, { maxBytes: 1000 }));
          expect(err.kind).assertEqual(StoreErrorKind.LIMIT);
          expect(fs.existsSync(`${dir}/copy`)).assertFalse();
        } finally {
          fs.closeSync(src);
        }
        expect(openFdCount()).assertEqual(fdsBefore);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('hashesWithoutWritingOrReportingWhenThereIsNoTarget', 0, async () => {
      const dir = scratch('small');
      try {
        fs.writeFileSync(`${dir}/src`, pattern(4096));
        const fd = fs.openSync(`${dir}/src`, 'r');
        const reports: number[] = [];
        try {
          const spec = new CopyTaskSpec();
          spec.src = fd;
          spec.what = 'small';
          const control = newControl();
          const result = await runCopyTask(spec, new SharedSignals(control, (n: number): void => { reports.push(n); }));
          expect(`${result.ok} ${result.size} ${result.written}`).assertEqual('true 4096 0');
          expect(result.sha256).assertEqual(sha256(pattern(4096)));
          expect(reports.length).assertEqual(0);   // hash only: nothing written, nothing reported
        } finally {
          fs.closeSync(fd);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
