/*
 * export: one set of a repository written out in backup_tool's layout (FOLDER/<bundle>/<uri> and
 * FOLDER/capabilities.json): what `backup_tool restore` reads, and what `import` takes back. Every file is
 * rehashed while it is copied from its blob; a damaged blob fails the export and leaves nothing behind.
 */
import { SetStoreError, SetStoreErrorKind } from '../../../entry/src/main/ets/backup/model/SetManifest';
import {
  ExportDamage, ExportDestinationError, ExportOptions, ExportResult, exportSet,
} from '../../../entry/src/main/ets/backup/repo/Interop';
import { SnapshotManifest } from '../../../entry/src/main/ets/backup/repo/SnapshotManifest';
import { NodeFileStore } from '../../host/NodeFileStore';
import { CliError, CommandSpec, EXIT_FAILED, EXIT_OK, EXIT_USAGE, ParsedArgs, usageError } from '../args';
import { absolutePath, cliErrorOf, CliContext } from '../context';
import { formatBytes, plural, table } from '../format';
import { CommandOutput, Json, JsonObject } from '../output';
import { existingFolder, openRepository, overlaps, setIdOption } from '../repo';

export const EXPORT_SPEC: CommandSpec = {
  name: 'export',
  summary: 'write one set of a repository into a folder in backup_tool\'s layout',
  details: [
    'FOLDER gets <bundle>/<uri> for every app the set holds done, and capabilities.json (the set\'s capability',
    'file, which backup_tool restore --pathCapFile takes). FOLDER must be new or an empty folder, outside the',
    'repository. Every file is rehashed while it is copied: a blob that is missing or differs from what the set',
    'records fails the export (exit 1) naming the app and file, and what was written is removed. Exit 2 when',
    'DIR is no repository, the set is unknown or FOLDER is not new or empty.',
  ],
  options: [
    { name: 'set', value: 'ID', help: 'the set to export (as `sets` lists it)', required: true },
    { name: 'to', value: 'FOLDER', help: 'where to write it (new or empty)', required: true },
    { name: 'bundles', value: 'A,B', help: 'only these apps (each must be done in the set)' },
  ],
  positionals: [{ name: 'DIR', help: 'the repository' }],
};

function exportJson(r: ExportResult): JsonObject {
  return {
    setId: r.setId, to: r.dest, files: r.files, bytes: r.bytes, capabilities: r.capabilities,
    apps: r.apps.map((a): Json => ({ id: a.appId, files: a.files, bytes: a.bytes })), notDone: r.notDone,
  };
}

export async function exportCommand(args: ParsedArgs, ctx: CliContext): Promise<CommandOutput> {
  const dir = args.positionals[0];
  const root = existingFolder(dir);
  const setId = setIdOption(args.required('set')) as string;
  const dest = absolutePath(args.required('to'));
  if (overlaps(dest, root)) {
    throw usageError(`--to ${args.required('to')}: the destination and the repository must not contain each other`);
  }
  const files = new NodeFileStore();
  const repo = openRepository(ctx, files, root);
  let m: SnapshotManifest;
  const o = new ExportOptions();
  try {
    const index = await repo.loadIndex();
    m = await repo.getSet(setId);
    o.legacy = index.isLegacy(setId);
  } catch (e) {
    throw cliErrorOf(e as Error, `${dir}: set ${setId}`);
  }
  o.apps = args.list('bundles') ?? [];
  let r: ExportResult;
  try {
    r = await exportSet(files, ctx.logger, repo.layout, m, dest, o);
  } catch (e) {
    if (e instanceof ExportDestinationError) {
      throw new CliError(`--to ${args.required('to')}: ${e.message.replace(/^export: /, '')}`, EXIT_USAGE);
    }
    if (e instanceof ExportDamage) {
      throw new CliError(`${dir}: ${e.message}`, EXIT_FAILED,
        { blob: e.blob, appId: e.appId === '' ? null : e.appId, uri: e.uri });
    }
    if (e instanceof SetStoreError && e.kind === SetStoreErrorKind.NOT_FOUND) {
      throw new CliError(`--bundles: ${e.message.replace(/^export: /, '')}`, EXIT_USAGE);
    }
    throw cliErrorOf(e as Error, `${dir}: cannot export set ${setId}`);
  }
  const json: JsonObject = { command: 'export', ok: true, exitCode: EXIT_OK, store: root, ...exportJson(r) };
  const rows = r.apps.map((a) => [a.appId, String(a.files), formatBytes(a.bytes)]);
  let text = `Set ${r.setId} exported to ${r.dest}: ${plural(r.apps.length, 'app', 'apps')}, ` +
    `${plural(r.files, 'file', 'files')}, ${formatBytes(r.bytes)}, each rehashed.\n`;
  if (rows.length > 0) {
    text += `\n${table(['APP', 'FILES', 'SIZE'], rows, ['left', 'right', 'right'])}`;
  }
  if (!r.capabilities) {
    text += 'The set has no capability file: none was written.\n';
  }
  if (r.notDone.length > 0 && o.apps.length === 0) {
    text += `Not exported (not done in this set): ${r.notDone.join(', ')}\n`;
  }
  return new CommandOutput(EXIT_OK, json, text);
}
