/*
 * Running the backup-manager CLI from host tests, two ways:
 *   cli(args)    the real launcher spawned as a child process, exactly as a user or a script runs it (exit
 *                code, stdout and stderr of the process). Costs a Node start and a bundle load: keep these
 *                to what is about the process (the launcher's exit code, one document on stdout), one or
 *                two per case, so a loaded 2-core machine stays inside hypium's 5 s per case.
 *   cliIn(args)  the same run(argv, io) the launcher calls, in this process, with stdout and stderr
 *                captured: everything about what a command does and says. One at a time (the CLI keeps
 *                the running command for Ctrl-C in a module variable).
 * Both run with the default time scale (BACKUP_MANAGER_TIME_SCALE unset) unless a test sets env.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { run } from '../cli/main';

/** The repository root: the nearest folder up from the working directory holding the CLI. */
function repoRoot(): string {
  let dir = process.cwd();
  for (;;) {
    if (fs.existsSync(path.join(dir, 'tools', 'cli', 'backup-manager.js'))) {
      return dir;
    }
    const up = path.dirname(dir);
    if (up === dir) {
      throw new Error('run the tests from the repository (tools/cli/backup-manager.js not found above the cwd)');
    }
    dir = up;
  }
}

export const ROOT = repoRoot();
const LAUNCHER = path.join(ROOT, 'tools', 'cli', 'backup-manager.js');

export class CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;

  constructor(code: number, stdout: string, stderr: string) {
    this.code = code;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** stdout as the one JSON document it must be (throws when it is anything else). */
  json(): Record<string, unknown> {
    return JSON.parse(this.stdout) as Record<string, unknown>;
  }

  /** Lines of stderr that are not empty. */
  errLines(): string[] {
    return this.stderr.split('\n').filter((l) => l.trim() !== '');
  }
}

/** The launcher as a child process. */
export function cli(args: string[], env?: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LAUNCHER, ...args], {
      cwd: ROOT,
      env: { ...process.env, BACKUP_MANAGER_TIME_SCALE: '', ...(env ?? {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
    });
    child.stderr.on('data', (d: string) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code: number | null) => resolve(new CliRun(code ?? -1, out, err)));
  });
}

class TextSink extends Writable {
  text = '';

  _write(chunk: Buffer | string, encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    done();
  }
}

/**
 * The CLI in this process: run(args) with captured streams. env entries are set for the run (undefined
 * removes one) and restored afterwards; cwd, when given, is the working folder during the run.
 */
export async function cliIn(args: string[], env?: Record<string, string | undefined>, cwd?: string): Promise<CliRun> {
  const out = new TextSink();
  const err = new TextSink();
  const wanted: Record<string, string | undefined> = { BACKUP_MANAGER_TIME_SCALE: undefined, ...(env ?? {}) };
  const saved = new Map<string, string | undefined>();
  for (const key of Object.keys(wanted)) {
    saved.set(key, process.env[key]);
    const v = wanted[key];
    if (v === undefined) {
      delete process.env[key];
    } else {
      process.env[key] = v;
    }
  }
  const savedCwd = process.cwd();
  if (cwd !== undefined) {
    process.chdir(cwd);
  }
  try {
    const code = await run(args, {
      stdout: out as unknown as NodeJS.WriteStream,
      stderr: err as unknown as NodeJS.WriteStream,
    });
    return new CliRun(code, out.text, err.text);
  } finally {
    process.chdir(savedCwd);
    saved.forEach((v: string | undefined, key: string) => {
      if (v === undefined) {
        delete process.env[key];
      } else {
        process.env[key] = v;
      }
    });
  }
}

/** Runs body with a fresh temporary folder, removed afterwards whether body passes or throws. */
export async function withTempDir(label: string, body: (dir: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bm-cli-${label}-`));
  try {
    await body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface BundleJson {
  id: string;
  state: string;
  files: number;
  bytes: number;
  error: { kind: string; code: number; message: string; detail?: string } | null;
}

export function bundlesOf(doc: Record<string, unknown>): BundleJson[] {
  return doc.bundles as BundleJson[];
}

/** The one set folder under store/sets (throws when there is not exactly one). */
export function onlySet(store: string): string {
  const ids = fs.readdirSync(path.join(store, 'sets'));
  if (ids.length !== 1) {
    throw new Error(`expected one set in ${store}, found ${ids.length}`);
  }
  return path.join(store, 'sets', ids[0]);
}
