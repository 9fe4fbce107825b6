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
