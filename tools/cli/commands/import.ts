/*
 * import: a folder in backup_tool's layout (<bundle>/<uri> plus its capability file; an `export` of this
 * CLI, backup_tool's /data/backup/received, a set folder of the old layout) added to a repository as one
 * new set. The folder is only read, and checked whole first: a link or a name that cannot be a bundle id or
 * a uri imports nothing. Content the repository holds already is not stored again.
 * Also an archive (.bmbackup: verified whole first, then one new set per set of it; backup/archive/
 * ArchiveImport; an encrypted one through backup/archive/ArchiveStaging, into DIR whatever DIR is) and another
 * repository (its sets the target lacks, through backup/repo/Mirror).
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
import { archiveSaysEncrypted, isArchiveFile } from '../archive';
import { ArchiveImporter, ArchiveImportResult } from '../../../entry/src/main/ets/backup/archive/ArchiveImport';
import { SystemClock } from '../../../entry/src/main/ets/backup/port/Clock';
import { Mirror, MirrorOptions, MirrorReport } from '../../../entry/src/main/ets/backup/repo/Mirror';
import { StoreLockedError } from '../../../entry/src/main/ets/backup/store/StoreLock';
import { NodeByteChannel } from '../../host/NodeByteChannel';
import { mirrorJson } from './mirror';
import { lockedError } from '../store';
import {
  GivenKey, givenKey, KEY_ENV, KEY_OPTION, LOST_CODE_MESSAGE, parseKey, unlockRepository,
} from '../repokey';
import { ArchiveStaging, StagedArchive } from '../../../entry/src/main/ets/backup/archive/ArchiveStaging';
import { SetCopyResult } from '../../../entry/src/main/ets/backup/crypt/SetCopy';
import { KeyError, KeyErrorKind, EncryptionParams } from '../../../entry/src/main/ets/backup/crypt/RepoKeys';
import { RecoveryCode } from '../../../entry/src/main/ets/backup/crypt/RecoveryCode';
import { Repository } from '../../../entry/src/main/ets/backup/repo/Repository';
import { FileStore } from '../../../entry/src/main/ets/backup/port/FileStore';
import { NodeCrypto, NodeFdIo } from '../../host/NodeCrypto';

export const IMPORT_SPEC: CommandSpec = {
  name: 'import',
  summary: 'add an archive, another repository or a backup_tool folder to a repository',
  details: [
    'PATH an archive (.bmbackup): verified whole first (every entry\'s SHA-256, the trailer, the end); a truncated',
    'or damaged one is refused (exit 2) and nothing is imported. Each of its sets becomes a new set (one imported',
    'before is skipped). An encrypted archive (format version 2) needs its code (--key FILE or BACKUP_MANAGER_KEY):',
    'a wrong or missing code is exit 2 and imports nothing; with it every blob is authenticated first (a damaged',
    'one imports nothing), then its sets go into DIR as DIR is: a new DIR (or one with the same key) stays',
    'encrypted with that key, a plain DIR gets them stored plain, a DIR encrypted with another key gets them',
    're-encrypted with its own (its code: --dir-key FILE). Each file\'s content is checked; a set imported',
    'before is skipped, so an import cut short resumes. PATH a repository: its sets DIR lacks are copied with only the content DIR lacks (as',
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
    { name: 'dir-key', value: 'FILE', help: 'an encrypted archive into DIR encrypted with another key: DIR\'s recovery code' },
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
      return importEncryptedArchive(args, ctx, root, absolutePath(given));
    }
    if (args.value('dir-key') !== undefined) {
      throw usageError('--dir-key: only for an encrypted archive');
    }
    return importArchive(args, ctx, root, absolutePath(given));
  }
  if (args.value('dir-key') !== undefined) {
    throw usageError('--dir-key: only for an encrypted archive (--from X.bmbackup)');
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

/** The recovery code of DIR given with --dir-key FILE (an encrypted archive into a differently keyed DIR). */
function dirKey(args: ParsedArgs): RecoveryCode | undefined {
  const file = args.value('dir-key');
  if (file === undefined) {
    return undefined;
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw usageError(`--dir-key ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseKey(new GivenKey(text, file));
}

/**
 * An encrypted archive (format 2): verified whole and staged as the repository it carries (backup/archive/
 * ArchiveStaging), opened with --key (its code) and every blob authenticated; then into DIR: a new DIR or
 * one encrypted with the same key gets the sets as stored (a mirror); a plain DIR gets them decrypted and
 * stored plain; a DIR encrypted with another key (its code: --dir-key FILE) gets them re-encrypted with its
 * own key. Each file's content is checked on the way; sets imported before are skipped.
 */
async function importEncryptedArchive(args: ParsedArgs, ctx: CliContext, root: string,
  archive: string): Promise<CommandOutput> {
  const dir = args.positionals[0];
  const given = args.required('from');
  checkTarget(dir, root, archive, given);
  if (args.value('caps') !== undefined) {
    throw usageError('--caps: an archive holds each set\'s capability file');
  }
  const key = givenKey(args);
  if (key === undefined) {
    throw usageError(`--from ${given} is an encrypted archive: give its recovery code with --key FILE or ${KEY_ENV}`);
  }
  const code = parseKey(key);
  const files = new NodeFileStore();
  const target = openRepository(ctx, files, root);
  let targetEnc: EncryptionParams | null | undefined;
  try {
    targetEnc = await target.encryption();
  } catch (e) {
    throw cliErrorOf(e as Error, `${dir}: cannot read the repository`);
  }
  const ownKey = dirKey(args);
  if (ownKey !== undefined && (targetEnc === undefined || targetEnc === null)) {
    throw usageError(`--dir-key: ${dir} is ${targetEnc === undefined ? 'no repository yet' : 'not encrypted'}`);
  }
  let staged: StagedArchive;
  try {
    staged = await new ArchiveStaging(files, new NodeByteChannel(), ctx.logger).stage(archive,
      `${absolutePath(ctx.tempDir('archive'))}/stage`, (f: FileStore, r: string) => openRepository(ctx, f, r, 0));
  } catch (e) {
    throw cliErrorOf(e as Error, `--from ${given}: nothing was imported`);
  }
  try {
    await staged.open(new NodeCrypto(), new NodeFdIo(), code);
  } catch (e) {
    if (e instanceof KeyError && e.kind === KeyErrorKind.WRONG_CODE) {
      throw usageError(`the recovery code in ${key.source} does not open ${given} (another archive's or ` +
        `repository's code). Nothing was imported. ${LOST_CODE_MESSAGE}`);
    }
    throw cliErrorOf(e as Error, `--from ${given}: nothing was imported`);
  }
  const archiveEnc = await staged.repo.encryption();
  const sameKey = targetEnc !== undefined && targetEnc !== null && archiveEnc !== undefined && archiveEnc !== null &&
    targetEnc.keyCheck === archiveEnc.keyCheck;
  if (targetEnc === undefined || sameKey) {
    // DIR new, or encrypted with the archive's own key: its sets as stored (it stays encrypted with that key)
    if (ownKey !== undefined) {
      throw usageError(`--dir-key: ${dir} is encrypted with the archive's own key; --key opens both`);
    }
    return mirrorFrom(ctx, files, staged.repo, root, given, archive, archive);
  }
  if (targetEnc !== null) {
    if (ownKey === undefined) {
      throw usageError(`${dir} is encrypted with another key than the archive: give its recovery code with ` +
        '--dir-key FILE (the archive\'s sets are then re-encrypted with it)');
    }
    try {
      await target.unlock(new NodeCrypto(), new NodeFdIo(), ownKey);
    } catch (e) {
      if (e instanceof KeyError && e.kind === KeyErrorKind.WRONG_CODE) {
        throw usageError(`the recovery code in --dir-key ${args.value('dir-key')} does not open ${dir}. ${LOST_CODE_MESSAGE}`);
      }
      throw cliErrorOf(e as Error, `${dir}: cannot open the repository`);
    }
  }
  let r: SetCopyResult;
  try {
    r = await staged.importInto(target);
  } catch (e) {
    if (e instanceof StoreLockedError) {
      throw lockedError(e, root);
    }
    if (e instanceof SetStoreError && e.kind === SetStoreErrorKind.MALFORMED) {
      // a file that does not match what its set records: that set is not there, the ones before it are
      throw new CliError(`--from ${given}: ${e.message}`, EXIT_FAILED);
    }
    throw cliErrorOf(e as Error, `--from ${given}: cannot import`);
  }
  const rows: string[][] = [];
  r.copied.forEach((id: string, original: string) => rows.push([original, id]));
  const storedAs = targetEnc === null ? 'plain' : 'encrypted';
  const json: JsonObject = {
    command: 'import', ok: true, exitCode: EXIT_OK, store: root, from: archive, format: 'archive', encrypted: true,
    storedAs, sets: rows.map((x): Json => ({ archiveSetId: x[0], setId: x[1] })), skipped: r.skipped,
    files: r.files, bytes: r.bytes,
  };
  let text = `Encrypted archive ${archive} verified with its key; ${plural(rows.length, 'set', 'sets')} imported into ` +
    `${root} (${plural(r.files, 'file', 'files')}, ${formatBytes(r.bytes)}), ` +
    (storedAs === 'plain' ? 'stored unencrypted, as the repository is.\n' : 're-encrypted with the repository\'s own key.\n');
  if (rows.length > 0) {
    text += `\n${table(['ARCHIVE SET', 'NEW SET'], rows)}`;
  }
  if (r.skipped.length > 0) {
    text += `Already there (skipped): ${r.skipped.join(', ')}\n`;
  }
  return new CommandOutput(EXIT_OK, json, text);
}

/**
 * source (another repository, or a staged encrypted archive: new DIR or one with the same key) mirrored into the
 * repository at root; exit 2 for a state the mirror refuses (another key, plain into encrypted).
 */
async function mirrorFrom(ctx: CliContext, files: NodeFileStore, source: Repository, root: string, given: string,
  from: string, archive: string | undefined): Promise<CommandOutput> {
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
  return repositoryOutput(r, root, from, archive);
}

/** Another repository: the sets DIR lacks, with only the content DIR lacks (backup/repo/Mirror). */
async function importRepository(args: ParsedArgs, ctx: CliContext, root: string, from: string): Promise<CommandOutput> {
  const dir = args.positionals[0];
  const given = args.required('from');
  checkTarget(dir, root, from, given);
  if (args.value('caps') !== undefined) {
    throw usageError('--caps: a repository holds each set\'s capability file');
  }
  const files = new NodeFileStore();
  const source = openRepository(ctx, files, from);
  await unlockRepository(source, args, `--from ${given}`);
  return mirrorFrom(ctx, files, source, root, given, from, undefined);
}

function repositoryOutput(r: MirrorReport, root: string, from: string, archive: string | undefined): CommandOutput {
  const code = r.failed.length === 0 ? EXIT_OK : EXIT_FAILED;
  const json: JsonObject = {
    command: 'import', ok: code === EXIT_OK, exitCode: code, store: root, from: archive ?? from,
    format: archive === undefined ? 'repository' : 'archive', encrypted: archive !== undefined,
    ...(archive !== undefined ? { storedAs: 'encrypted' } : {}), ...mirrorJson(r),
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
