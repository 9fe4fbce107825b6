/*
 * The set store as the CLI opens it: this process for the store lock (pid, host name, liveness by signal
 * 0, so the lock of a CLI run that was killed is taken over at once on this machine), the lock's wait
 * (BACKUP_MANAGER_LOCK_WAIT_MS, default 10 s), and how the lock's holder and the runs cut short are shown.
 */
import { FileStore } from '../../entry/src/main/ets/backup/port/FileStore';
import { BackupSetStore, InterruptedRun, LockHolder, StoreHold, StoreLockedError } from '../../entry/src/main/ets/backup/store/BackupSetStore';
import { DEFAULT_LOCK_WAIT_MS } from '../../entry/src/main/ets/backup/store/StoreLock';
import { NodeProcessInfo } from '../host/NodeProcessInfo';
import { CliError, EXIT_FAILED, usageError } from './args';
import { absolutePath, CliContext } from './context';
import { formatBytes, formatTime } from './format';
import { Json, JsonObject } from './output';

export const LOCK_WAIT_ENV = 'BACKUP_MANAGER_LOCK_WAIT_MS';
/** An hour: a writer that waits longer than that for another is better told to try later. */
export const MAX_LOCK_WAIT_MS = 3600 * 1000;
const MAX_TIME_MS = 8640000000000000;

/** BACKUP_MANAGER_LOCK_WAIT_MS, checked: whole milliseconds from 0 to an hour, else a usage error. */
export function lockWaitMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[LOCK_WAIT_ENV];
  if (text === undefined || text.trim() === '') {
    return DEFAULT_LOCK_WAIT_MS;
  }
  const v = Number(text);
  if (!/^\s*[0-9]+\s*$/.test(text) || !Number.isSafeInteger(v) || v > MAX_LOCK_WAIT_MS) {
    throw usageError(`${LOCK_WAIT_ENV} must be a whole number of milliseconds from 0 to ${MAX_LOCK_WAIT_MS} ` +
      `(how long a writer waits for another process holding the store; default ${DEFAULT_LOCK_WAIT_MS}), got '${text}'`);
  }
  return v;
}

/** The store at root (absolute or as typed) with this process's identity; waitMs overrides the env's wait. */
export function openStore(ctx: CliContext, files: FileStore, root: string, waitMs?: number): BackupSetStore {
  return new BackupSetStore(files, absolutePath(root), ctx.logger, {
    process: new NodeProcessInfo(), lock: { waitMs: waitMs ?? lockWaitMs(), logger: ctx.logger },
  });
}

function timeText(ms: number): string {
  return Number.isFinite(ms) && ms > 0 && ms <= MAX_TIME_MS ? formatTime(ms) : 'an unknown time';
}

function isoOrNull(ms: number): Json {
  return Number.isFinite(ms) && ms > 0 && ms <= MAX_TIME_MS ? new Date(ms).toISOString() : null;
}

export function holderJson(h: LockHolder): JsonObject {
  return {
    pid: h.readable ? h.pid : null, host: h.readable ? h.host : null, doing: h.readable ? h.purpose : null,
    since: h.readable ? isoOrNull(h.startedAt) : null, lastSeen: isoOrNull(h.heartbeatAt), readable: h.readable,
  };
}

/** 'process 4242 on build-01 (backup) since 2026-07-01 12:20:30' */
export function holderText(h: LockHolder): string {
  if (!h.readable) {
    return `a process whose lock file cannot be read (written ${timeText(h.heartbeatAt)})`;
  }
  const who = h.pid > 0 ? `process ${h.pid}` : 'a process that does not know its pid';
  const host = h.host !== '' ? ` on ${h.host}` : '';
  const doing = h.purpose !== '' ? ` (${h.purpose})` : '';
  return `${who}${host}${doing} since ${timeText(h.startedAt)}`;
}

/** Another process holds the store past the wait: exit 1, saying who (and the holder in the JSON error). */
export function lockedError(e: StoreLockedError, root: string): CliError {
  return new CliError(`${root} is in use by ${holderText(e.holder)}; gave up waiting after ` +
    `${Math.round(e.waitedMs / 100) / 10} s (try again when it is done)`, EXIT_FAILED,
    { holder: holderJson(e.holder) });
}

/**
 * A share of the store lock for a command that writes, taken before its run so that a busy store is said
 * at once (StoreLockedError becomes lockedError). undefined when the lock cannot even be written (a full
 * disk, a folder that takes no files): the run then fails on that with its own message, naming the folder.
 */
export async function holdStore(ctx: CliContext, store: BackupSetStore, purpose: string): Promise<StoreHold | undefined> {
  try {
    return await store.hold(purpose);
  } catch (e) {
    if (e instanceof StoreLockedError) {
      throw lockedError(e, store.root());
    }
    ctx.logger.warn('the store lock was not taken: %{public}s', (e as Error).message);
    return undefined;
  }
}

export function interruptedJson(r: InterruptedRun): JsonObject {
  return {
    id: r.id, kind: r.kind, startedAt: isoOrNull(r.startedAt), foundAt: isoOrNull(r.foundAt),
    saved: r.savedApps(), notSaved: r.unsavedApps(),
    apps: r.apps.map((a): Json => ({ id: a.id, saved: a.saved, files: a.files, bytes: a.bytes })),
  };
}

function names(ids: string[]): string {
  const shown = ids.slice(0, 8).join(', ');
  return ids.length > 8 ? `${shown} and ${ids.length - 8} more` : shown;
}

/** Lines for the runs cut short (newest last), for the human output of `sets`. */
export function interruptedLines(runs: InterruptedRun[]): string[] {
  const lines: string[] = [];
  for (const r of runs) {
    const what = r.kind === 'import' ? 'An import' : r.kind === 'backup' ? 'A backup' : 'A run';
    const when = r.startedAt > 0 ? ` started ${timeText(r.startedAt)}` : '';
    const saved = r.savedApps();
    const unsaved = r.unsavedApps();
    const bytes = r.apps.reduce((n, a) => n + a.bytes, 0);
    lines.push(`${what}${when} was cut short (${r.id}); its ${formatBytes(bytes)} of leftovers were removed.`);
    lines.push(saved.length > 0 ? `  saved before it stopped: ${names(saved)}` : '  no app had been saved yet');
    if (unsaved.length > 0) {
      lines.push(`  not saved: ${names(unsaved)}`);
    }
  }
  return lines;
}
