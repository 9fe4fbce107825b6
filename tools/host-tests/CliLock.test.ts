/*
 * Host-only tests of the store lock and of interrupted runs with real CLI processes (tools/cli): two
 * backups into one store (one waits a bounded time, then names the other; neither breaks the other),
 * SIGTERM and SIGHUP cancelling a backup as Ctrl-C does (no run journal, no simulated-device folder
 * left), and a backup killed outright (SIGKILL) reported by the next `sets` (what it had saved and not)
 * until dismissed, its leftovers and temporary folder removed. Plus the Node ProcessInfo.
 *
 * No timing assertions: the tests wait for what they can see (a lock file, a run journal, a log line)
 * and the backups that must stay running hang on ext-timeout, whose 15 virtual minutes last 45 s here.
 */
import { describe, expect, it } from '@ohos/hypium';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChildProcess, spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { Liveness } from '../../entry/src/main/ets/backup/port/ProcessInfo';
import { NodeProcessInfo } from '../host/NodeProcessInfo';
import { run } from '../cli/main';
import { ROOT } from './CliKit';
import { removeOrphanedTempDirs } from '../cli/tempdirs';


const LAUNCHER = path.join(ROOT, 'tools', 'cli', 'backup-manager.js');
/** Real ms per virtual ms: the hanging app's 15-minute extension timeout lasts 45 s, far past each case. */
const SLOW = '0.05';
const HANGING = ['--bundles', 'com.example.notes,com.example.mail', '--scenario', 'ext-timeout:com.example.mail'];

class Proc {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  code: number | null = null;
  signal: NodeJS.Signals | null = null;
  readonly exited: Promise<void>;

  constructor(args: string[], env: Record<string, string>) {
    this.child = spawn(process.execPath, [LAUNCHER, ...args], {
      cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.setEncoding('utf8');
    this.child.stderr?.setEncoding('utf8');
    this.child.stdout?.on('data', (d: string) => {
      this.stdout += d;
    });
    this.child.stderr?.on('data', (d: string) => {
      this.stderr += d;
    });
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
        this.code = code;
        this.signal = signal;
        resolve();
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  json(): Record<string, unknown> {
    return JSON.parse(this.stdout) as Record<string, unknown>;
  }
}

/** Waits (polling, no deadline of its own: the case's time limit ends a hang) until ready() holds. */
async function until(ready: () => boolean): Promise<void> {
  while (!ready()) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function entries(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** The pid in the store's current lock file, -1 when there is none (yet). */
function lockPid(store: string): number {
  const gens = entries(path.join(store, 'lock')).filter((n) => /^[0-9]+$/.test(n)).map(Number).sort((a, b) => b - a);
  if (gens.length === 0 || entries(path.join(store, 'lock')).includes(`${gens[0]}.released`)) {
    return -1;
  }
  try {
    return (JSON.parse(fs.readFileSync(path.join(store, 'lock', String(gens[0])), 'utf8')) as { pid: number }).pid;
  } catch {
    return -1;   // being written
  }
}

class TextSink extends Writable {
  text = '';

  _write(chunk: Buffer | string, encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    done();
  }
}

/** The CLI in this process (what the command says, not the process: see Cli.test.ts for those). */
async function cliIn(args: string[]): Promise<{ code: number; json: Record<string, unknown>; stderr: string }> {
  const out = new TextSink();
  const err = new TextSink();
  const code = await run(args, { stdout: out as unknown as NodeJS.WriteStream, stderr: err as unknown as NodeJS.WriteStream });
  return { code, json: JSON.parse(out.text) as Record<string, unknown>, stderr: err.text };
}

async function withDirs(label: string, body: (store: string, tmp: string) => Promise<void>): Promise<void> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), `bm-lock-${label}-`));
  const store = path.join(base, 'store');
  const tmp = path.join(base, 'tmp');
  fs.mkdirSync(tmp);
  try {
    await body(store, tmp);
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

export default function cliLockTests(): void {
  describe('CliStoreLock', () => {
    it('ofTwoBackupsIntoOneStoreOneWaitsThenNamesTheOther', 0, async () => {
      await withDirs('two', async (store: string, tmp: string) => {
        const env = { BACKUP_MANAGER_TIME_SCALE: SLOW, BACKUP_MANAGER_LOCK_WAIT_MS: '1500', TMPDIR: tmp };
        const a = new Proc(['backup', '--to', store, ...HANGING, '--json'], env);
        const b = new Proc(['backup', '--to', store, ...HANGING, '--json'], env);
        // Whoever takes the lock first runs; the other waits 1.5 s and gives up naming it.
        await until(() => lockPid(store) > 0);
        const holder = lockPid(store) === a.pid ? a : b;
        const waiter = holder === a ? b : a;
        await waiter.exited;
        expect(waiter.code).assertEqual(1);
        const error = waiter.json().error as Record<string, unknown>;
        expect(error.message as string).assertContain(`is in use by process ${holder.pid} on ${os.hostname()} (backup) since`);
        expect((error.holder as Record<string, unknown>).pid).assertEqual(holder.pid);
        expect(waiter.stderr).assertContain('gave up waiting after 1.5 s');
        // The holder's run was not disturbed: it still runs, with its run journal (runs/<id>), until it is stopped.
        expect(holder.code).assertEqual(null);
        expect(entries(path.join(store, 'runs')).length).assertEqual(1);
        holder.child.kill('SIGTERM');
        await holder.exited;
        expect(holder.json().outcome).assertEqual('cancelled');
        expect(entries(path.join(store, 'runs'))).assertDeepEquals([] as string[]);
        expect(lockPid(store)).assertEqual(-1);
      });
    });

    it('sigtermAndSighupCancelABackupLikeCtrlCLeavingNothingBehind', 0, async () => {
      await withDirs('signals', async (base: string, tmp: string) => {
        const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP'];
        const runs = signals.map((s) => {
          const store = `${base}-${s}`;
          const ownTmp = path.join(tmp, s);
          fs.mkdirSync(ownTmp);
          return { signal: s, store, tmp: ownTmp, proc: new Proc(['backup', '--to', store, ...HANGING, '--json'],
            { BACKUP_MANAGER_TIME_SCALE: SLOW, TMPDIR: ownTmp }) };
        });
        try {
          // Each run is under way: its run journal and the simulated device's folder exist.
          await until(() => runs.every((r) => entries(path.join(r.store, 'runs')).length === 1 &&
            entries(r.tmp).length === 1));
          for (const r of runs) {
            r.proc.child.kill(r.signal);
          }
          for (const r of runs) {
            await r.proc.exited;
            expect(`${r.signal}: ${r.proc.signal ?? r.proc.code}`).assertEqual(`${r.signal}: 1`);
            const doc = r.proc.json();
            expect(doc.outcome).assertEqual('cancelled');
            // notes was done before the signal, or not: a partial set or none, never a run journal left.
            expect(entries(path.join(r.store, 'runs'))).assertDeepEquals([] as string[]);
            expect(entries(r.tmp)).assertDeepEquals([] as string[]);
            expect(lockPid(r.store)).assertEqual(-1);
          }
        } finally {
          for (const r of runs) {
            fs.rmSync(r.store, { recursive: true, force: true });
          }
        }
      });
    });

    it('aKilledBackupIsReportedByTheNextSetsUntilDismissed', 0, async () => {
      await withDirs('killed', async (store: string, tmp: string) => {
        const a = new Proc(['backup', '--to', store, ...HANGING, '--verbose'], { BACKUP_MANAGER_TIME_SCALE: SLOW, TMPDIR: tmp });
        // Recorded: from here the repository keeps notes whatever happens to the process.
        await until(() => a.stderr.includes('com.example.notes: recorded in the new set (done)'));
        a.child.kill('SIGKILL');
        await a.exited;
        expect(a.signal).assertEqual('SIGKILL');
        // Killed outright: it left its run journal, its lock and the simulated device's folder.
        expect(entries(path.join(store, 'runs')).length).assertEqual(1);
        expect(entries(tmp).length).assertEqual(1);
        const listed = await cliIn(['sets', store, '--json']);
        expect(listed.code).assertEqual(0);
        const reported = listed.json.interrupted as Record<string, unknown>[];
        expect(reported.length).assertEqual(1);
        expect(reported[0].kind).assertEqual('backup');
        expect(reported[0].saved).assertDeepEquals(['com.example.notes']);
        expect(reported[0].notSaved).assertDeepEquals(['com.example.mail']);
        expect(entries(path.join(store, 'runs'))).assertDeepEquals([] as string[]);
        // Shown again until dismissed, then not.
        const again = await cliIn(['sets', store, '--json', '--dismiss']);
        expect((again.json.interrupted as unknown[]).length).assertEqual(1);
        expect(again.json.dismissed).assertEqual(1);
        expect(((await cliIn(['sets', store, '--json'])).json.interrupted as unknown[]).length).assertEqual(0);
        // The next command that makes a temporary folder removes the killed one's.
        expect(removeOrphanedTempDirs(tmp)).assertEqual(1);
        expect(entries(tmp)).assertDeepEquals([] as string[]);
      });
    });
  });

  describe('NodeProcessInfo', () => {
    it('tellsALiveProcessFromAGoneOne', 0, async () => {
      const info = new NodeProcessInfo();
      expect(info.pid()).assertEqual(process.pid);
      expect(info.host()).assertEqual(os.hostname());
      expect(info.liveness(process.pid)).assertEqual(Liveness.ALIVE);
      const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
      const pid = child.pid ?? -1;
      await new Promise((resolve) => child.on('close', resolve));
      expect(info.liveness(pid)).assertEqual(Liveness.DEAD);
      expect(info.liveness(0)).assertEqual(Liveness.UNKNOWN);
      expect(info.liveness(-5)).assertEqual(Liveness.UNKNOWN);
    });
  });
}
