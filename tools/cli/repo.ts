/*
 * The repository as the CLI opens it (backup/repo/Repository): the system clock, this process for the store
 * lock (pid, host, liveness by signal 0) and the lock's wait (BACKUP_MANAGER_LOCK_WAIT_MS, as for the set
 * store), a session that says at once who holds the repository, and the checks every command makes of DIR
 * and --set. Also which layout a folder holds: a repository (repository.json), the old per-run set store
 * (sets/<id> only), or nothing yet.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SystemClock } from '../../entry/src/main/ets/backup/port/Clock';
import { FileStore } from '../../entry/src/main/ets/backup/port/FileStore';
import { isValidSetId, SetStoreError, SetStoreErrorKind } from '../../entry/src/main/ets/backup/model/SetManifest';
import { Repository, RepoSession } from '../../entry/src/main/ets/backup/repo/Repository';
import { REPO_HEADER_NAME } from '../../entry/src/main/ets/backup/repo/RepoLayout';
import { InterruptedRun } from '../../entry/src/main/ets/backup/repo/Recovery';
import { StoreLockedError } from '../../entry/src/main/ets/backup/store/StoreLock';
import { NodeProcessInfo } from '../host/NodeProcessInfo';
import { CliError, EXIT_FAILED, usageError } from './args';
import { absolutePath, cliErrorOf, CliContext } from './context';
import { formatTime } from './format';
import { Json, JsonObject } from './output';
import { lockedError, lockWaitMs } from './store';

const MAX_TIME_MS = 8640000000000000;

export type FolderLayout = 'repository' | 'sets' | 'none';

/** The folders of the old layout (the set store's sets, its runs in progress, its deletions). */
const OLD_LAYOUT_FOLDERS = ['sets', 'staging', 'trash'];

/** What DIR holds: a repository header, else a folder of the old layout, else neither. */
export function layoutOf(root: string): FolderLayout {
  if (fs.existsSync(path.join(root, REPO_HEADER_NAME))) {
    return 'repository';
  }
  const old = OLD_LAYOUT_FOLDERS.some((name) => {
    try {
      return fs.lstatSync(path.join(root, name)).isDirectory();
    } catch {
      return false;
    }
  });
  return old ? 'sets' : 'none';
}

/** DIR as given, absolute; exit 2 when it is not an existing folder. */
export function existingFolder(dir: string, what: string = ''): string {
  const root = absolutePath(dir);
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(root);
  } catch {
    st = undefined;
  }
  if (st === undefined) {
    throw usageError(`${what}${dir}: no such folder`);
  }
  if (!st.isDirectory()) {
    throw usageError(`${what}${dir}: not a folder`);
  }
  return root;
}

/** p with its links resolved, as far as it exists (the missing rest appended as given). */
function realish(p: string): string {
  let head = p;
  const rest: string[] = [];
  for (;;) {
    try {
      return [fs.realpathSync(head), ...rest].join('/');
    } catch {
      const up = path.dirname(head);
      if (up === head) {
        return p;
      }
      rest.unshift(path.basename(head));
      head = up;
    }
  }
}

/** Whether a and b (absolute) are the same folder or one holds the other, links resolved. */
export function overlaps(a: string, b: string): boolean {
  const x = realish(a);
  const y = realish(b);
  return x === y || x.startsWith(`${y}/`) || y.startsWith(`${x}/`);
}

/** --set ID checked to be a set id (exit 2 otherwise); undefined when not given. */
export function setIdOption(value: string | undefined): string | undefined {
  if (value !== undefined && !isValidSetId(value)) {
    throw usageError(`--set ${value}: not a set id (YYYYMMDD-HHMMSS-xxxx, as \`sets\` lists them)`);
  }
  return value;
}

/** The repository at root with this process for its lock; waitMs overrides the env's wait. */
export function openRepository(ctx: CliContext, files: FileStore, root: string, waitMs?: number): Repository {
  return new Repository(files, root, ctx.logger, {
    clock: new SystemClock(), process: new NodeProcessInfo(),
    lockOptions: { waitMs: waitMs ?? lockWaitMs(), logger: ctx.logger },
  });
}

/** A session (the repository's lock): a busy repository is exit 1 naming the holder; other failures as the core says. */
export async function lockRepository(repo: Repository, purpose: string): Promise<RepoSession> {
  try {
    return await repo.lock(purpose);
  } catch (e) {
    if (e instanceof StoreLockedError) {
      throw lockedError(e, repo.root());
    }
    if (e instanceof SetStoreError && e.kind === SetStoreErrorKind.NO_SPACE) {
      throw new CliError(`No space left in ${repo.root()} to start writing (${e.message})`, EXIT_FAILED);
    }
    if (e instanceof SetStoreError && e.kind === SetStoreErrorKind.READ_ONLY) {
      throw new CliError(`${repo.root()} is on a read-only disk (${e.message})`, EXIT_FAILED);
    }
    throw cliErrorOf(e as Error, `${repo.root()}: cannot open the repository for writing`);
  }
}

/**
 * The lock for a backup, taken before its run so that a busy repository is said at once (lockedError).
 * undefined when the lock cannot even be written (a full disk, a read-only one): the run then takes it itself
 * and fails on that with its own message, per app, naming the folder.
 */
export async function lockForRun(ctx: CliContext, repo: Repository, purpose: string): Promise<RepoSession | undefined> {
  try {
    return await repo.lock(purpose);
  } catch (e) {
    if (e instanceof StoreLockedError) {
      throw lockedError(e, repo.root());
    }
    ctx.logger.warn('the repository lock was not taken: %{public}s', (e as Error).message);
    return undefined;
  }
}

/** Runs work in a session and releases it however work ends. */
export async function inSession<T>(ctx: CliContext, repo: Repository, purpose: string,
  work: (s: RepoSession) => Promise<T>): Promise<T> {
  const session = await lockRepository(repo, purpose);
  try {
    return await work(session);
  } finally {
    await session.release().catch((e: Error) => ctx.note(`backup-manager: the repository lock was not released: ${e.message}`));
  }
}

export function isoOrNull(ms: number): Json {
  return Number.isFinite(ms) && ms > 0 && ms <= MAX_TIME_MS ? new Date(ms).toISOString() : null;
}

export function timeText(ms: number): string {
  return Number.isFinite(ms) && ms > 0 && ms <= MAX_TIME_MS ? formatTime(ms) : 'an unknown time';
}

export function noticeJson(r: InterruptedRun): JsonObject {
  return {
    id: r.setId, kind: r.owner, startedAt: isoOrNull(r.startedAt), lastActivityAt: isoOrNull(r.lastActivityAt),
    saved: r.savedApps, notSaved: r.notSavedApps, setId: r.committedSetId === '' ? null : r.committedSetId,
    problem: r.problem === '' ? null : r.problem,
  };
}

function names(ids: string[]): string {
  const shown = ids.slice(0, 8).join(', ');
  return ids.length > 8 ? `${shown} and ${ids.length - 8} more` : shown;
}

/** Lines for the runs cut short, as `sets` shows them. */
export function noticeLines(runs: InterruptedRun[]): string[] {
  const lines: string[] = [];
  for (const r of runs) {
    const what = r.owner === 'import' ? 'An import' : r.owner !== '' ? `A run (${r.owner})` : 'A run';
    lines.push(`${what} started ${timeText(r.startedAt)} was cut short (${r.setId}).`);
    if (r.problem !== '') {
      lines.push(`  nothing could be recovered: ${r.problem}`);
    }
    lines.push(r.savedApps.length > 0 ? `  saved in set ${r.committedSetId}: ${names(r.savedApps)}` :
      '  no app had been saved yet');
    if (r.notSavedApps.length > 0) {
      lines.push(`  not saved: ${names(r.notSavedApps)}`);
    }
  }
  return lines;
}
