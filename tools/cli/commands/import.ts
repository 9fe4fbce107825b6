/*
 * import: a folder in backup_tool's layout (<bundle>/<uri> plus its capability file; an `export` of this
 * CLI, backup_tool's /data/backup/received, a set folder of the old layout) added to a repository as one
 * new set. The folder is only read, and checked whole first: a link or a name that cannot be a bundle id or
 * a uri imports nothing. Content the repository holds already is not stored again.
 * Also an archive (.bmbackup: verified whole first, then one new set per set of it; backup/archive/
 * ArchiveImport) and another repository (its sets the target lacks, through backup/repo/Mirror).
 */
import * as fs from 'node:fs';
import { BundleOutcome } from '../../../entry/src/main/ets/backup/model/SetManifest';
import { importBackupToolFolder, ImportOptions, ImportResult } from '../../../entry/src/main/ets/backup/repo/Interop';
import { NodeFileStore } from '../../host/NodeFileStore';
import { CliError, CommandSpec, EXIT_FAILED, EXIT_OK, EXIT_USAGE, ParsedArgs, usageError } from '../args';
import { SetStoreError, SetStoreErrorKind } from '../../../entry/src/main/ets/backup/model/SetManifest';
import { absolutePath, cliErrorOf, CliContext } from '../context';
import { formatBytes, plural, table } from '../format';
import { CommandOutput, Json, JsonObject } from '../output';
import { existingFolder, inSession, layoutOf, openRepository, openUnlocked, overlaps } from '../repo';
import { archiveSaysEncrypted, isArchiveFile, readSource } from '../archive';
import { ArchiveImporter, ArchiveImportResult } from '../../../entry/src/main/ets/backup/archive/ArchiveImport';
import { SystemClock } from '../../../entry/src/main/ets/backup/port/Clock';
import { Mirror, MirrorOptions, MirrorReport } from '../../../entry/src/main/ets/backup/repo/Mirror';
import { StoreLockedError } from '../../../entry/src/main/ets/backup/store/StoreLock';
import { NodeByteChannel } from '../../host/NodeByteChannel';
import { mirrorJson } from './mirror';
import { lockedError } from '../store';
import { KEY_OPTION, unlockRepository } from '../repokey';

export const IMPORT_SPEC: CommandSpec = {
  name: 'import',
  summary: 'add an archive, another repository or a backup_tool folder to a repository',
  details: [
    'PATH an archive (.bmbackup): verified whole first (every entry\'s SHA-256, the trailer, the end); a truncated',
    'or damaged one is refused (exit 2) and nothing is imported. Each of its sets becomes a new set (one imported',
    'before is skipped). An encrypted archive (format version 2) needs its key and is imported as the repository',
    'it carries is (DIR new, or its mirror: it stays encrypted with the same key). PATH a repository: its sets DIR lacks are copied with only the content DIR lacks (as',
    '`mirror` does; an encrypted one needs DIR to be its mirror). Otherwise PATH is a backup_tool folder:',
    'FOLDER holds one folder per bundle (<bundle>/<uri>, as backup_tool writes them and `export` does) and the',
    'capability file (FOLDER/capabilities.json unless --caps). An app is done when its manage.json lists only',
    'files that are there (a system-ability bundle needs none); otherwise it is kept as failed with the reason.',
    'FOLDER is only read and is checked whole first: a symbolic link, a folder inside a bundle folder or a',
    'name that cannot be a bundle id or a uri refuses the import (exit 2) naming each, and nothing is imported.',
    'Prints the new set\'s id. Exit 1 when an app is not done, 2 when FOLDER or its capability file is missing.',
    'DIR is created as a repository when it does not exist.',
    'Into an encrypted repository (--key FILE or BACKUP_MANAGER_KEY) every file and record is stored encrypted;',
    'to create one, use `init DIR --encrypt --key-out FILE` first (a key given where there is none is exit 2).',
  ],
  options: [
    { name: 'from', value: 'PATH', help: 'an archive, a repository or a backup_tool folder', required: true },
    { name: 'caps', value: 'FILE', help: 'the capability file (default: FOLDER/capabilities.json)' },
    KEY_OPTION,
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
  const given = args.required('from');
  if (isArchiveFile(absolutePath(given))) {
    if (archiveSaysEncrypted(absolutePath(given))) {
      // verified whole and unpacked as the encrypted repository it carries, then imported as a repository is
      checkTarget(dir, root, absolutePath(given), given);
      const src = await readSource(ctx, given, '--from ');
      return importRepository(args, ctx, root, src.root, src.display());
    }
    return importArchive(args, ctx, root, absolutePath(given));
  }
  const from = existingFolder(given, '--from ');
  if (layoutOf(from) === 'repository') {
    return importRepository(args, ctx, root, from);
  }
  const caps = args.value('caps');
  if (overlaps(from, root)) {
    throw usageError(`--from ${args.required('from')}: the folder and the repository must not contain each other`);
  }
  if (fs.existsSync(root) && !fs.statSync(root).isDirectory()) {
    throw usageError(`${dir}: not a folder`);
  }
  const files = new NodeFileStore();
  const repo = await openUnlocked(ctx, files, root, args, dir, true);
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

/** The repository DIR may be created at (a folder, or missing); exit 2 otherwise. */
function checkTarget(dir: string, root: string, from: string, given: string): void {
  if (overlaps(from, root)) {
    throw usageError(`--from ${given}: it and the repository must not contain each other`);
  }
  if (fs.existsSync(root) && !fs.statSync(root).isDirectory()) {
    throw usageError(`${dir}: not a folder`);
  }
}

/** An archive: verified whole, then each set it holds added as a new set (nothing when it is damaged). */
async function importArchive(args: ParsedArgs, ctx: CliContext, root: string, archive: string): Promise<CommandOutput> {
  const dir = args.positionals[0];
  const given = args.required('from');
  checkTarget(dir, root, archive, given);
  if (args.value('caps') !== undefined) {
    throw usageError('--caps: an archive holds each set\'s capability file');
  }
  const files = new NodeFileStore();
  const repo = await openUnlocked(ctx, files, root, args, dir, true);
  let r: ArchiveImportResult;
  try {
    r = await new ArchiveImporter(files, new NodeByteChannel(), ctx.logger, new SystemClock()).importInto(repo, archive);
  } catch (e) {
    if (e instanceof StoreLockedError) {
      throw lockedError(e, root);
    }
    throw cliErrorOf(e as Error, `--from ${given}`);
  }
  const rows: string[][] = [];
  r.imported.forEach((id: string, original: string) => rows.push([original, id]));
  const json: JsonObject = {
    command: 'import', ok: true, exitCode: EXIT_OK, store: root, from: archive, format: 'archive',
    sets: rows.map((x): Json => ({ archiveSetId: x[0], setId: x[1] })), skipped: r.skipped,
    blobs: r.blobs, contentBytes: r.contentBytes,
  };
  let text = `Archive ${archive} verified (${plural(r.blobs, 'blob', 'blobs')}, ${formatBytes(r.contentBytes)}); ` +
    `${plural(rows.length, 'set', 'sets')} imported into ${root}.\n`;
  if (rows.length > 0) {
    text += `\n${table(['ARCHIVE SET', 'NEW SET'], rows)}`;
  }
  if (r.skipped.length > 0) {
    text += `Already there (skipped): ${r.skipped.join(', ')}\n`;
  }
  return new CommandOutput(EXIT_OK, json, text);
}

/** Another repository: the sets DIR lacks, with only the content DIR lacks (backup/repo/Mirror). */
async function importRepository(args: ParsedArgs, ctx: CliContext, root: string, from: string,
  archive?: string): Promise<CommandOutput> {
  const dir = args.positionals[0];
  const given = args.required('from');
  if (archive === undefined) {
    checkTarget(dir, root, from, given);
  }
  if (args.value('caps') !== undefined) {
    throw usageError('--caps: a repository holds each set\'s capability file');
  }
  const files = new NodeFileStore();
  const source = openRepository(ctx, files, from);
  await unlockRepository(source, args, `--from ${given}`);
  let r: MirrorReport;
  try {
    r = await new Mirror(ctx.logger).run(source, files, openRepository(ctx, files, root), files, new MirrorOptions());
  } catch (e) {
    if (e instanceof StoreLockedError) {
      throw lockedError(e, root);
    }
    if (e instanceof SetStoreError && e.kind === SetStoreErrorKind.STATE) {
      throw new CliError(`--from ${given}: ${e.message}`, EXIT_USAGE);
    }
    throw cliErrorOf(e as Error, `--from ${given}: cannot import`);
  }
  const code = r.failed.length === 0 ? EXIT_OK : EXIT_FAILED;
  const json: JsonObject = {
    command: 'import', ok: code === EXIT_OK, exitCode: code, store: root, from: archive ?? from,
    format: archive === undefined ? 'repository' : 'archive', encrypted: archive !== undefined, ...mirrorJson(r),
  };
  let text = `${plural(r.setsCopied.length, 'set', 'sets')} imported from ` +
    `${archive === undefined ? `the repository ${from}` : `the encrypted archive ${archive}`} ` +
    `(${plural(r.blobsCopied, 'blob', 'blobs')}, ${formatBytes(r.bytesCopied)} copied), ` +
    `${plural(r.setsPresent, 'set', 'sets')} already there.\n`;
  if (r.failed.length > 0) {
    text += `\nNot imported:\n${table(['SET', 'WHY'], r.failed.map((f) => [f.setId, f.reason]))}`;
  }
  return new CommandOutput(code, json, text);
}
