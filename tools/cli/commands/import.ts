/*
 * import: a folder in backup_tool's layout (<bundle>/<uri> plus its capability file; an `export` of this
 * CLI, backup_tool's /data/backup/received, a set folder of the old layout) added to a repository as one
 * new set. The folder is only read, and checked whole first: a link or a name that cannot be a bundle id or
 * a uri imports nothing. Content the repository holds already is not stored again.
 */
import * as fs from 'node:fs';
import { BundleOutcome } from '../../../entry/src/main/ets/backup/model/SetManifest';
import { importBackupToolFolder, ImportOptions, ImportResult } from '../../../entry/src/main/ets/backup/repo/Interop';
import { NodeFileStore } from '../../host/NodeFileStore';
import { CliError, CommandSpec, EXIT_FAILED, EXIT_OK, ParsedArgs, usageError } from '../args';
import { absolutePath, cliErrorOf, CliContext } from '../context';
import { formatBytes, plural, table } from '../format';
import { CommandOutput, Json, JsonObject } from '../output';
import { existingFolder, inSession, openRepository, overlaps } from '../repo';

export const IMPORT_SPEC: CommandSpec = {
  name: 'import',
  summary: 'add a folder in backup_tool\'s layout to a repository as one new set',
  details: [
    'FOLDER holds one folder per bundle (<bundle>/<uri>, as backup_tool writes them and `export` does) and the',
    'capability file (FOLDER/capabilities.json unless --caps). An app is done when its manage.json lists only',
    'files that are there (a system-ability bundle needs none); otherwise it is kept as failed with the reason.',
    'FOLDER is only read and is checked whole first: a symbolic link, a folder inside a bundle folder or a',
    'name that cannot be a bundle id or a uri refuses the import (exit 2) naming each, and nothing is imported.',
    'Prints the new set\'s id. Exit 1 when an app is not done, 2 when FOLDER or its capability file is missing.',
    'DIR is created as a repository when it does not exist.',
  ],
  options: [
    { name: 'from', value: 'FOLDER', help: 'the folder to import', required: true },
    { name: 'caps', value: 'FILE', help: 'the capability file (default: FOLDER/capabilities.json)' },
  ],
  positionals: [{ name: 'DIR', help: 'the repository (created when missing)' }],
};

export function importJson(r: ImportResult): JsonObject {
  return {
    setId: r.summary.id, status: r.summary.complete ? 'complete' : 'partial',
    apps: r.apps.map((a): Json => ({
      id: a.appId, outcome: a.outcome, files: a.files, bytes: a.bytes,
      error: a.errorMessage === '' ? null : a.errorMessage,
    })),
    newBlobs: r.stats.newBlobs, newBytes: r.stats.newBytes, reusedFiles: r.stats.reusedFiles,
    reusedBytes: r.stats.reusedBytes, ignored: r.ignored,
  };
}

export async function importCommand(args: ParsedArgs, ctx: CliContext): Promise<CommandOutput> {
  const dir = args.positionals[0];
  const root = absolutePath(dir);
  const from = existingFolder(args.required('from'), '--from ');
  const caps = args.value('caps');
  if (overlaps(from, root)) {
    throw usageError(`--from ${args.required('from')}: the folder and the repository must not contain each other`);
  }
  if (fs.existsSync(root) && !fs.statSync(root).isDirectory()) {
    throw usageError(`${dir}: not a folder`);
  }
  const files = new NodeFileStore();
  const repo = openRepository(ctx, files, root);
  const o = new ImportOptions();
  o.capabilitiesFile = caps === undefined ? '' : absolutePath(caps);
  let r: ImportResult;
  try {
    r = await inSession(ctx, repo, 'import', (s) => importBackupToolFolder(s, files, ctx.logger, from, o));
  } catch (e) {
    if (e instanceof CliError) {
      throw e;
    }
    throw cliErrorOf(e as Error, `--from ${args.required('from')}: cannot import`);
  }
  const ok = r.apps.every((a) => a.outcome === BundleOutcome.DONE);
  const code = ok ? EXIT_OK : EXIT_FAILED;
  const json: JsonObject = { command: 'import', ok, exitCode: code, store: root, from, ...importJson(r) };
  const rows = r.apps.map((a) => [a.appId, a.outcome, a.outcome === BundleOutcome.DONE ? String(a.files) : '-',
    a.outcome === BundleOutcome.DONE ? formatBytes(a.bytes) : '-', a.errorMessage]);
  const done = r.apps.filter((a) => a.outcome === BundleOutcome.DONE).length;
  const text = `Set ${r.summary.id} (${r.summary.complete ? 'complete' : 'partial'}) imported from ${from}\n\n` +
    table(['APP', 'RESULT', 'FILES', 'SIZE', 'REASON'], rows, ['left', 'left', 'right', 'right', 'left']) +
    `\n${done} of ${plural(r.apps.length, 'app', 'apps')} done; the repository grew by ${formatBytes(r.stats.newBytes)} ` +
    `(${plural(r.stats.reusedFiles, 'file was', 'files were')} there already).\n`;
  return new CommandOutput(code, json, text);
}
