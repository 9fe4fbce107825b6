/*
 * What every command works with: the options common to all commands, the logger, progress view, the
 * Node FileStore, and (for commands that talk to the backup service) the simulated device behind the
 * mock backup module. Also the app-side scenario `store-full:<bytes>`, and conversions from the core's
 * thrown errors to one clear CLI error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CapabilityError } from '../../entry/src/main/ets/backup/model/Capabilities';
import { SetStoreError, SetStoreErrorKind } from '../../entry/src/main/ets/backup/model/SetManifest';
import { FileStoreError } from '../../entry/src/main/ets/backup/port/FileStore';
import { Logger, SilentLogger } from '../../entry/src/main/ets/backup/port/Logger';
import { BackupFailure } from '../../entry/src/main/ets/viewmodel/ViewState';
import { ConsoleLogger } from '../host/ConsoleLogger';
import { NodeFileStore } from '../host/NodeFileStore';
import { CliError, EXIT_FAILED, EXIT_USAGE, usageError } from './args';
import { errorText } from './output';
import { progressFor, ProgressView } from './progress';
import { makeTempDir, removeOrphanedTempDirs } from './tempdirs';
import { KeyError } from '../../entry/src/main/ets/backup/crypt/RepoKeys';

export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/** Something long-running that Ctrl-C should stop cleanly (a backup or restore run). */
export type Canceller = () => Promise<void>;

export class CliContext {
  readonly io: CliIo;
  readonly json: boolean;
  readonly verbose: boolean;
  readonly logger: Logger;
  readonly progress: ProgressView;
  private canceller: Canceller | undefined = undefined;
  private readonly cleanups: (() => void)[] = [];

  constructor(io: CliIo, json: boolean, verbose: boolean) {
    this.io = io;
    this.json = json;
    this.verbose = verbose;
    this.logger = verbose ? new ConsoleLogger({ minLevel: 'info' }) : new SilentLogger();
    this.progress = progressFor(json || verbose, io.stderr);
  }

  /** A note for people on stderr (never with --json). */
  note(text: string): void {
    if (!this.json) {
      this.progress.end();
      this.io.stderr.write(`${text}\n`);
    }
  }

  /** While a run goes, Ctrl-C calls this (once); cleared with undefined. */
  setCanceller(c: Canceller | undefined): void {
    this.canceller = c;
  }

  currentCanceller(): Canceller | undefined {
    return this.canceller;
  }

  /** Registers synchronous cleanup (temporary folders) run when the command ends, however it ends. */
  onCleanup(task: () => void): void {
    this.cleanups.push(task);
  }

  runCleanups(): void {
    this.progress.end();
    while (this.cleanups.length > 0) {
      const task = this.cleanups.pop() as () => void;
      try {
        task();
      } catch (e) {
        this.io.stderr.write(`backup-manager: cleanup failed: ${(e as Error).message}\n`);
      }
    }
  }

  /**
   * A fresh temporary folder, removed when the command ends (a signal cancels cleanly first). Those of
   * CLI processes that were killed outright are removed before (tempdirs.ts).
   */
  tempDir(label: string): string {
    const orphans = removeOrphanedTempDirs();
    if (orphans > 0) {
      this.logger.info('removed %{public}d temporary folder(s) of killed backup-manager runs', orphans);
    }
    const dir = makeTempDir(label);
    this.onCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
    return dir;
  }
}

/** The --scenario text split into the mock's part and the app-side store-full limit. */
export class CliScenario {
  /** What the mock gets ('ok' when nothing). */
  readonly mockText: string;
  /** store-full:<bytes>: the Node FileStore fails like a full disk after that many bytes; undefined = no limit. */
  readonly storeFullBytes: number | undefined;

  constructor(mockText: string, storeFullBytes: number | undefined) {
    this.mockText = mockText;
    this.storeFullBytes = storeFullBytes;
  }
}

export const STORE_FULL = 'store-full';

/** Splits 'enospc:com.a,store-full:1000' into mock items and the store-full limit (usage errors: exit 2). */
export function splitScenario(text: string | undefined): CliScenario {
  if (text === undefined) {
    return new CliScenario('ok', undefined);
  }
  const mock: string[] = [];
  let limit: number | undefined = undefined;
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (item === STORE_FULL || item.startsWith(`${STORE_FULL}:`)) {
      const value = item.slice(STORE_FULL.length + 1);
      if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(Number(value))) {
        throw usageError(`scenario '${item}': expected ${STORE_FULL}:<bytes> with a whole number of bytes`);
      }
      if (limit !== undefined) {
        throw usageError(`scenario: ${STORE_FULL} given twice`);
      }
      limit = Number(value);
      continue;
    }
    mock.push(item);
  }
  return new CliScenario(mock.length > 0 ? mock.join(',') : 'ok', limit);
}

export function fileStoreFor(scenario: CliScenario): NodeFileStore {
  return scenario.storeFullBytes === undefined ? new NodeFileStore() :
    new NodeFileStore({ failAfterBytes: scenario.storeFullBytes });
}

/** An absolute, '/'-separated path (the FileStore port's form). */
export function absolutePath(p: string): string {
  return path.resolve(p).split(path.sep).join('/');
}

/**
 * A path to a set folder (<root>/sets/<id>) split into the store root and the id. Exit 2 when it cannot
 * be a set (the store then checks the id and reads set.json).
 */
export function splitSetPath(setPath: string): { root: string; id: string } {
  const abs = absolutePath(setPath).replace(/\/+$/, '');
  const id = path.posix.basename(abs);
  const parent = path.posix.dirname(abs);
  if (path.posix.basename(parent) !== 'sets') {
    throw usageError(`${setPath}: not a backup set folder (expected <store>/sets/<set-id>)`);
  }
  if (!fs.existsSync(abs)) {
    throw usageError(`${setPath}: no such backup set`);
  }
  return { root: path.posix.dirname(parent), id };
}

/**
 * One CLI error for anything the core threw: bad input (a damaged set, a hostile name) is exit 2, the
 * rest (service refusals, disk errors) exit 1.
 */
export function cliErrorOf(e: Error, what: string): CliError {
  if (e instanceof CliError) {
    return e;
  }
  if (e instanceof SetStoreError) {
    const field = e.field !== '' ? ` (field ${e.field})` : '';
    const bad = e.kind === SetStoreErrorKind.NOT_FOUND || e.kind === SetStoreErrorKind.MALFORMED ||
      e.kind === SetStoreErrorKind.HOSTILE_NAME;
    return new CliError(`${what}: ${e.message}${field}`, bad ? EXIT_USAGE : EXIT_FAILED);
  }
  if (e instanceof KeyError) {
    // a missing or wrong key, an encryption header this version cannot read: bad input, never a crash
    return new CliError(`${what}: ${e.message}`, EXIT_USAGE);
  }
  if (e instanceof CapabilityError) {
    const field = e.path !== '' ? ` (field ${e.path})` : '';
    return new CliError(`${what}: ${e.message}${field}`, EXIT_USAGE);
  }
  if (e instanceof BackupFailure) {
    return new CliError(`${what}: ${errorText(e.error)}`, EXIT_FAILED);
  }
  if (e instanceof FileStoreError) {
    return new CliError(`${what}: ${e.message}`, EXIT_FAILED);
  }
  return new CliError(`${what}: ${e.message}`, EXIT_FAILED);
}
