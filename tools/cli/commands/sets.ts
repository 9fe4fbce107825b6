/*
 * sets: the sets of a repository, newest first (each with the bytes only it holds and those it shares), the
 * sets whose manifest cannot be read, and the runs that were cut short (killed) with what they had saved
 * and not, until dismissed (--dismiss). Listing takes no lock; when no other process holds the repository,
 * what a killed run left is recovered first (as every writer does). A folder holding only the old layout
 * (sets/<id>, which the repository does not read yet) is listed as the old set store lists it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SetSummary } from '../../../entry/src/main/ets/backup/model/SetManifest';
import { SetListing, SetRow } from '../../../entry/src/main/ets/backup/repo/Repository';
import { InterruptedRun as RepoNotice } from '../../../entry/src/main/ets/backup/repo/Recovery';
import { DamagedSet } from '../../../entry/src/main/ets/backup/repo/RepoIndex';
import { InterruptedRun, LockHolder, StoreLockedError } from '../../../entry/src/main/ets/backup/store/BackupSetStore';
import { CommandSpec, EXIT_OK, ParsedArgs } from '../args';
import { cliErrorOf, CliContext } from '../context';
import { NodeFileStore } from '../../host/NodeFileStore';
import { formatBytes, formatTime, isoTime, plural, table } from '../format';
import { CommandOutput, Json, JsonObject } from '../output';
import { holderJson, holderText, interruptedJson, interruptedLines, lockedError, openStore } from '../store';
import { existingFolder, inSession, layoutOf, noticeJson, noticeLines, openRepository } from '../repo';

export const SETS_SPEC: CommandSpec = {
  name: 'sets',
  summary: 'list the sets of a repository',
  details: [
    'One line per set, newest first: id, time, device, apps done of apps, size, the bytes only this set holds',
    '(what deleting it frees), complete, partial, interrupted or imported. Sets whose manifest cannot be read',
    'are listed after them with the reason. Exit 2 when DIR does not exist.',
    'Runs that were cut short (the process killed) are listed after the sets with the apps they had saved and',
    'not, until --dismiss; when no other process is writing, what such a run left is recovered first.',
    'A folder of the old layout only (DIR/sets/<id>) is listed as before.',
  ],
  options: [
    { name: 'dismiss', help: 'forget the runs cut short shown by this listing (they are not shown again)' },
  ],
  positionals: [{ name: 'DIR', help: 'the repository (as given to backup --to)' }],
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
  const root = existingFolder(dir);
  const layout = layoutOf(root);
  const files = new NodeFileStore();
  const writer = layout === 'repository' ? await recoverIfFree(ctx, root) : undefined;
  const repo = openRepository(ctx, files, root);
  let listing: SetListing;
  let notices: RepoNotice[];
  try {
    listing = await repo.listSets();
    notices = await repo.interruptedRuns();
  } catch (e) {
    throw cliErrorOf(e as Error, `${dir}: cannot list the sets`);
  }
  if (layout === 'sets' && listing.sets.length === 0 && listing.damaged.length === 0 && notices.length === 0) {
    return storeSets(args, ctx, dir, root);
  }
  let dismissed = 0;
  if (args.flag('dismiss') && notices.length > 0) {
    await inSession(ctx, repo, 'dismiss', async (s) => {
      for (const n of notices) {
        await s.dismissInterrupted(n.setId).catch((e: Error) => {
          throw cliErrorOf(e, `${dir}: cannot dismiss`);
        });
        dismissed++;
      }
    });
  }
  const json: JsonObject = {
    command: 'sets', ok: true, exitCode: EXIT_OK, store: root, layout: 'repository',
    sets: listing.sets.map((r): Json => rowJson(r, repo.layout.snapshotPath(r.summary.id))),
    damaged: listing.damaged.map((d): Json => damagedJson(d)),
    interrupted: notices.map((n): Json => noticeJson(n)),
    writer: writer === undefined ? null : holderJson(writer),
  };
  if (args.flag('dismiss')) {
    json.dismissed = dismissed;
  }
  let text: string;
  if (listing.sets.length === 0) {
    text = `No backup sets in ${root}.\n`;
  } else {
    const rows = listing.sets.map((r) => {
      const s = r.summary;
      return [s.id, formatTime(s.createdAt), `${s.deviceType}, ${s.systemFullName}`, `${s.appsDone}/${s.appCount}`,
        formatBytes(s.totalBytes), formatBytes(r.uniqueBytes), statusOf(r)];
    });
    text = `${plural(listing.sets.length, 'backup set', 'backup sets')} in ${root}:\n\n` +
      table(['SET', 'TIME', 'DEVICE', 'APPS', 'SIZE', 'OWN', 'STATUS'], rows,
        ['left', 'left', 'left', 'right', 'right', 'right', 'left']);
  }
  if (listing.damaged.length > 0) {
    text += `\n${plural(listing.damaged.length, 'set cannot', 'sets cannot')} be read:\n` +
      listing.damaged.map((d) => `  ${d.setId}: ${d.message}${d.field !== '' ? ` (field ${d.field})` : ''}`).join('\n') + '\n';
  }
  if (notices.length > 0) {
    const tail = args.flag('dismiss') ? `(dismissed: not shown again)` :
      `(shown until dismissed: backup-manager sets ${dir} --dismiss)`;
    text += `\n${noticeLines(notices).join('\n')}\n${tail}\n`;
  }
  if (writer !== undefined) {
    text += `\nThe repository is being written by ${holderText(writer)}.\n`;
  }
  return new CommandOutput(EXIT_OK, json, text);
}

function statusOf(r: SetRow): string {
  const s = r.summary;
  const words = [s.complete ? 'complete' : 'partial'];
  if (s.interrupted) {
    words.push('interrupted');
  }
  if (r.legacy) {
    words.push('old layout');
  }
  return words.join(', ');
}

function rowJson(r: SetRow, manifestPath: string): JsonObject {
  const s = r.summary;
  return {
    id: s.id, path: manifestPath, createdAt: isoTime(s.createdAt), createdAtMs: s.createdAt,
    finishedAt: isoTime(s.finishedAt), status: s.complete ? 'complete' : 'partial', interrupted: s.interrupted,
    deviceType: s.deviceType, systemFullName: s.systemFullName, bundles: s.appCount, bundlesDone: s.appsDone,
    bytes: s.totalBytes, uniqueBytes: r.uniqueBytes, sharedBytes: r.sharedBytes, legacy: r.legacy,
  };
}

function damagedJson(d: DamagedSet): JsonObject {
  return { id: d.setId, kind: d.kind, message: d.message, field: d.field === '' ? null : d.field };
}

/**
 * Recovers what killed runs left (journals, temporary files, a sweep owed), unless another process holds the
 * repository (then returns its holder and touches nothing). A repository that cannot be written (read-only)
 * is listed all the same.
 */
async function recoverIfFree(ctx: CliContext, root: string): Promise<LockHolder | undefined> {
  const leftovers = ['runs', 'tmp'].some((name) => {
    try {
      return fs.readdirSync(path.join(root, name)).length > 0;
    } catch {
      return false;
    }
  }) || fs.existsSync(path.join(root, 'gc-pending'));
  if (!leftovers) {
    return undefined;   // nothing to recover: a listing writes nothing (not even the lock)
  }
  try {
    const session = await openRepository(ctx, new NodeFileStore(), root, 0).lock('cleanup');
    await session.release();
  } catch (e) {
    if (e instanceof StoreLockedError) {
      return e.holder;
    }
    ctx.logger.warn('sets: what killed runs left was not recovered: %{public}s', (e as Error).message);
  }
  return undefined;
}

/** The old layout's listing (a folder with sets/<id> only). */
async function storeSets(args: ParsedArgs, ctx: CliContext, dir: string, root: string): Promise<CommandOutput> {
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
    command: 'sets', ok: true, exitCode: EXIT_OK, store: root, layout: 'sets', sets: sets.map((s): Json => summaryJson(s)),
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
