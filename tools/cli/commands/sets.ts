/*
 * sets: the backup sets of a store folder, newest first.
 */
import * as fs from 'node:fs';
import { SetSummary } from '../../../entry/src/main/ets/backup/model/SetManifest';
import { BackupSetStore } from '../../../entry/src/main/ets/backup/store/BackupSetStore';
import { CommandSpec, EXIT_OK, ParsedArgs, usageError } from '../args';
import { absolutePath, cliErrorOf, CliContext } from '../context';
import { NodeFileStore } from '../../host/NodeFileStore';
import { formatBytes, formatTime, isoTime, plural, table } from '../format';
import { CommandOutput, Json, JsonObject } from '../output';

export const SETS_SPEC: CommandSpec = {
  name: 'sets',
  summary: 'list the backup sets under a store folder',
  details: [
    'One line per set, newest first: id, time, device, apps done of apps, size, complete or partial.',
    'Sets whose set.json cannot be read are not listed (--verbose logs them). Exit 2 when DIR does not exist.',
  ],
  options: [],
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
  let sets: SetSummary[];
  try {
    sets = await new BackupSetStore(new NodeFileStore(), root, ctx.logger).list();
  } catch (e) {
    throw cliErrorOf(e as Error, `${dir}: cannot list the sets`);
  }
  const json: JsonObject = { command: 'sets', ok: true, exitCode: EXIT_OK, store: root, sets: sets.map((s): Json => summaryJson(s)) };
  if (sets.length === 0) {
    return new CommandOutput(EXIT_OK, json, `No backup sets in ${root}.\n`);
  }
  const rows = sets.map((s) => [
    s.id, formatTime(s.createdAt), `${s.deviceType}, ${s.systemFullName}`, `${s.bundlesDone}/${s.bundleCount}`,
    formatBytes(s.totalBytes), s.status,
  ]);
  const text = `${plural(sets.length, 'backup set', 'backup sets')} in ${root}:\n\n` +
    table(['SET', 'TIME', 'DEVICE', 'APPS', 'SIZE', 'STATUS'], rows, ['left', 'left', 'left', 'right', 'right', 'left']);
  return new CommandOutput(EXIT_OK, json, text);
}
