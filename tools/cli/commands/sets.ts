/*
 * sets: the backup sets of a store folder, newest first, and the runs that were cut short (killed) with
 * what they had saved and not, until dismissed (--dismiss). Listing takes no lock; when no other process
 * holds the store, what a killed run left is recorded and removed first (as every writer does).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SetSummary } from '../../../entry/src/main/ets/backup/model/SetManifest';
import { InterruptedRun, LockHolder, StoreLockedError } from '../../../entry/src/main/ets/backup/store/BackupSetStore';
import { CommandSpec, EXIT_OK, ParsedArgs, usageError } from '../args';
import { absolutePath, cliErrorOf, CliContext } from '../context';
import { NodeFileStore } from '../../host/NodeFileStore';
import { formatBytes, formatTime, isoTime, plural, table } from '../format';
import { CommandOutput, Json, JsonObject } from '../output';
import { holderJson, holderText, interruptedJson, interruptedLines, lockedError, openStore } from '../store';
import { isRepository, openRepo } from '../repo';
import { InterruptedRun as RepoInterruptedRun } from '../../../entry/src/main/ets/backup/repo/Recovery';
import { SetRow } from '../../../entry/src/main/ets/backup/repo/Repository';

export const SETS_SPEC: CommandSpec = {
  name: 'sets',
  summary: 'list the backup sets under a store folder',
  details: [
    'One line per set, newest first: id, time, device, apps done of apps, size, complete or partial.',
    'Sets whose set.json cannot be read are not listed (--verbose logs them). Exit 2 when DIR does not exist.',
    'Runs that were cut short (the process killed) are listed after the sets with the apps they had saved and',
    'not, until --dismiss; when no other process is writing the store, what such a run left is removed first.',
  ],
  options: [
    { name: 'dismiss', help: 'forget the runs cut short shown by this listing (they are not shown again)' },
  ],
  positionals: [{ name: 'DIR', help: 'the set store folder (as given to backup --to)' }],
};

function summaryJson(s: SetSummary): JsonObject {
  return {
    id: s.id,
    path: s.dir,
    createdAt: isoTime(s.createdAt),
    createdAtMs: s.createdAt,
    status: s.status,
    deviceType: s.deviceType,
    systemFullName: s.systemFullName,
    bundles: s.bundleCount,
    bundlesDone: s.bundlesDone,
    bytes: s.totalBytes,
  };
}

export async function setsCommand(args: ParsedArgs, ctx: CliContext): Promise<CommandOutput> {
  const dir = args.positionals[0];
  const root = absolutePath(dir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw usageError(`${dir}: no such folder`);
  }
  if (isRepository(root)) {
    return repoSets(args, ctx, dir, root);
  }
  const writer = await cleanUpIfFree(ctx, root);
  const store = openStore(ctx, new NodeFileStore(), root);
  let sets: SetSummary[];
  let interrupted: InterruptedRun[];
  try {
    sets = await store.list();
    interrupted = await store.interruptedRuns();
  } catch (e) {
    throw cliErrorOf(e as Error, `${dir}: cannot list the sets`);
  }
  let dismissed = 0;
  if (args.flag('dismiss') && interrupted.length > 0) {
    try {
      dismissed = await store.dismissInterrupted(interrupted.map((r) => r.id));
    } catch (e) {
      throw e instanceof StoreLockedError ? lockedError(e, root) : cliErrorOf(e as Error, `${dir}: cannot dismiss`);
    }
  }
  const json: JsonObject = {
    command: 'sets', ok: true, exitCode: EXIT_OK, store: root, sets: sets.map((s): Json => summaryJson(s)),
    interrupted: interrupted.map((r): Json => interruptedJson(r)),
    writer: writer === undefined ? null : holderJson(writer),
  };
  if (args.flag('dismiss')) {
    json.dismissed = dismissed;
  }
  let text: string;
  if (sets.length === 0) {
    text = `No backup sets in ${root}.\n`;
  } else {
    const rows = sets.map((s) => [
      s.id, formatTime(s.createdAt), `${s.deviceType}, ${s.systemFullName}`, `${s.bundlesDone}/${s.bundleCount}`,
      formatBytes(s.totalBytes), s.status,
    ]);
    text = `${plural(sets.length, 'backup set', 'backup sets')} in ${root}:\n\n` +
      table(['SET', 'TIME', 'DEVICE', 'APPS', 'SIZE', 'STATUS'], rows, ['left', 'left', 'left', 'right', 'right', 'left']);
  }
  if (interrupted.length > 0) {
    const tail = args.flag('dismiss') ? `(dismissed: not shown again)` :
      `(shown until dismissed: backup-manager sets ${dir} --dismiss)`;
    text += `\n${interruptedLines(interrupted).join('\n')}\n${tail}\n`;
  }
  if (writer !== undefined) {
    text += `\nThe store is being written by ${holderText(writer)}.\n`;
  }
  return new CommandOutput(EXIT_OK, json, text);
}

/**
 * Records and removes what killed runs left, unless another process holds the store (then returns its
 * holder and touches nothing). A store that cannot be written (read-only) is listed all the same.
 */
async function cleanUpIfFree(ctx: CliContext, root: string): Promise<LockHolder | undefined> {
  const leftovers = ['staging', 'trash'].some((name) => {
    try {
      return fs.readdirSync(path.join(root, name)).length > 0;
    } catch {
      return false;
    }
  });
  if (!leftovers) {
    return undefined;   // nothing to clean: a listing writes nothing (not even the lock)
  }
  try {
    await openStore(ctx, new NodeFileStore(), root, 0).cleanupStaging();
  } catch (e) {
    if (e instanceof StoreLockedError) {
      return e.holder;
    }
    ctx.logger.warn('sets: what killed runs left was not cleaned up: %{public}s', (e as Error).message);
  }
  return undefined;
}

function rowJson(r: SetRow, root: string): JsonObject {
  const s = r.summary;
  return {
    id: s.id, path: root, createdAt: isoTime(s.createdAt), createdAtMs: s.createdAt,
    status: s.complete ? 'complete' : 'partial', deviceType: s.deviceType, systemFullName: s.systemFullName,
    bundles: s.appCount, bundlesDone: s.appsDone, bytes: s.totalBytes, uniqueBytes: r.uniqueBytes,
    sharedBytes: r.sharedBytes, interrupted: s.interrupted,
  };
}

function repoInterruptedJson(r: RepoInterruptedRun): JsonObject {
  return {
    id: r.setId, kind: r.owner, startedAt: isoTime(r.startedAt), saved: r.savedApps, notSaved: r.notSavedApps,
    set: r.committedSetId === '' ? null : r.committedSetId, problem: r.problem === '' ? null : r.problem,
  };
}

/**
 * The sets of a repository (a stop-gap until the CLI's own repository listing) and the runs found cut short
 * by a writer's recovery, until --dismiss. Opening a session runs that recovery: done when no other process
 * holds the repository (a listing then also records what a killed run left).
 */
async function repoSets(args: ParsedArgs, ctx: CliContext, dir: string, root: string): Promise<CommandOutput> {
  const repo = openRepo(ctx, new NodeFileStore(), root, 0);
  let writer: LockHolder | undefined = undefined;
  let dismissed = 0;
  let shown: RepoInterruptedRun[] | undefined = undefined;
  try {
    const session = await repo.lock('sets');
    try {
      shown = await repo.interruptedRuns();
      if (args.flag('dismiss')) {
        for (const r of shown) {
          await session.dismissInterrupted(r.setId);
          dismissed++;
        }
      }
    } finally {
      await session.release();
    }
  } catch (e) {
    if (e instanceof StoreLockedError) {
      writer = e.holder;
      if (args.flag('dismiss')) {
        throw lockedError(e, root);
      }
    } else {
      ctx.logger.warn('sets: the repository was not recovered: %{public}s', (e as Error).message);
    }
  }
  let rows: SetRow[];
  let interrupted: RepoInterruptedRun[];
  try {
    rows = (await repo.listSets()).sets;
    interrupted = shown !== undefined ? shown : await repo.interruptedRuns();
  } catch (e) {
    throw cliErrorOf(e as Error, `${dir}: cannot list the sets`);
  }
  const json: JsonObject = {
    command: 'sets', ok: true, exitCode: EXIT_OK, store: root, sets: rows.map((r): Json => rowJson(r, root)),
    interrupted: interrupted.map((r): Json => repoInterruptedJson(r)),
    writer: writer === undefined ? null : holderJson(writer),
  };
  if (args.flag('dismiss')) {
    json.dismissed = dismissed;
  }
  let text = rows.length === 0 ? `No backup sets in ${root}.\n` :
    `${plural(rows.length, 'backup set', 'backup sets')} in ${root}:\n\n` +
    table(['SET', 'TIME', 'DEVICE', 'APPS', 'SIZE', 'OWN', 'STATUS'], rows.map((r) => [
      r.summary.id, formatTime(r.summary.createdAt), `${r.summary.deviceType}, ${r.summary.systemFullName}`,
      `${r.summary.appsDone}/${r.summary.appCount}`, formatBytes(r.summary.totalBytes), formatBytes(r.uniqueBytes),
      r.summary.complete ? 'complete' : 'partial',
    ]), ['left', 'left', 'left', 'right', 'right', 'right', 'left']);
  for (const r of interrupted) {
    text += `\nA ${r.owner === '' ? 'run' : r.owner} started ${formatTime(r.startedAt)} was cut short (${r.setId}).\n` +
      (r.savedApps.length > 0 ? `  saved before it stopped: ${r.savedApps.join(', ')} (set ${r.committedSetId})\n` :
        '  no app had been saved\n') +
      (r.notSavedApps.length > 0 ? `  not saved: ${r.notSavedApps.join(', ')}\n` : '');
  }
  if (interrupted.length > 0) {
    text += args.flag('dismiss') ? '(dismissed: not shown again)\n' :
      `(shown until dismissed: backup-manager sets ${dir} --dismiss)\n`;
  }
  if (writer !== undefined) {
    text += `\nThe repository is being written by ${holderText(writer)}.\n`;
  }
  return new CommandOutput(EXIT_OK, json, text);
}
