/*
 * export: one set of a repository written out in backup_tool's layout (FOLDER/<bundle>/<uri> and
 * FOLDER/capabilities.json): what `backup_tool restore` reads, and what `import` takes back. Every file is
 * rehashed while it is copied from its blob; a damaged blob fails the export and leaves nothing behind.
 * Or, when PATH ends in .bmbackup, the one-file archive (docs/archive-format.md; backup/archive/ArchiveWriter):
 * a set, or with --newest each app's newest good copy. DIR may itself be an archive (cli/archive.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
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
import { openRepository, openUnlocked, overlaps, setIdOption } from '../repo';
import { KEY_OPTION } from '../repokey';
import { ARCHIVE_SUFFIX, readSource, ReadSource } from '../archive';
import { Repository } from '../../../entry/src/main/ets/backup/repo/Repository';
import {
  ArchiveSelection, ArchiveWriteOptions, ArchiveWriter, ArchiveWriteResult, selectManifests,
} from '../../../entry/src/main/ets/backup/archive/ArchiveWriter';
import { NodeByteChannel } from '../../host/NodeByteChannel';
import { RecoveryCode } from '../../../entry/src/main/ets/backup/crypt/RecoveryCode';
import { EncryptedCopy } from '../../../entry/src/main/ets/backup/crypt/EncryptedCopy';
import { CopyCode, copyCode, ENCRYPT_OPTIONS } from '../encryptcopy';

export const EXPORT_SPEC: CommandSpec = {
  name: 'export',
  summary: 'write one set of a repository into a folder in backup_tool\'s layout, or into one archive file',
  details: [
    'PATH ending in .bmbackup: the one-file archive (docs/archive-format.md) of the set, or with --newest of each',
    'app\'s newest good copy (--bundles: only these apps). PATH must not exist; it is written as PATH.partial and',
    'renamed when whole, so a failed export leaves nothing. An encrypted repository (--key) is archived as it is',
    'stored (format version 2: no app, file or device name in plain text; every read of it needs the key; with',
    '--newest each set\'s manifest is reduced to its apps and sealed anew with the same key). From a plain',
    'repository, --encrypt writes the set encrypted (version 2): the new',
    'recovery code to --key-out FILE, or --key FILE to reuse a code; --set or --newest). Otherwise:',
    'FOLDER gets <bundle>/<uri> for every app the set holds done, and capabilities.json (the set\'s capability',
    'file, which backup_tool restore --pathCapFile takes). FOLDER must be new or an empty folder, outside the',
    'repository. Every file is rehashed while it is copied: a blob that is missing or differs from what the set',
    'records fails the export (exit 1) naming the app and file, and what was written is removed. Exit 2 when',
    'DIR is no repository, the set is unknown or FOLDER is not new or empty.',
    'An encrypted repository (--key FILE or BACKUP_MANAGER_KEY) is exported as PLAIN TEXT: every file is',
    'authenticated and decrypted as it is read, so FOLDER holds the apps\' data unencrypted; keep it safe.',
  ],
  options: [
    { name: 'set', value: 'ID', help: 'the set to export (as `sets` lists it)' },
    { name: 'newest', help: 'instead of --set: each app\'s newest good copy (an archive PATH only)' },
    { name: 'to', value: 'PATH', help: 'a new or empty folder, or a new file NAME.bmbackup', required: true },
    { name: 'bundles', value: 'A,B', help: 'only these apps (each must be done in the set)' },
    KEY_OPTION,
    ...ENCRYPT_OPTIONS,
  ],
  positionals: [{ name: 'DIR', help: 'the repository, or an archive (.bmbackup)' }],
};

function exportJson(r: ExportResult): JsonObject {
  return {
    setId: r.setId, to: r.dest, files: r.files, bytes: r.bytes, capabilities: r.capabilities,
    apps: r.apps.map((a): Json => ({ id: a.appId, files: a.files, bytes: a.bytes })), notDone: r.notDone,
  };
}

export async function exportCommand(args: ParsedArgs, ctx: CliContext): Promise<CommandOutput> {
  const dir = args.positionals[0];
  const to = args.required('to');
  const dest = absolutePath(to);
  const toArchive = dest.endsWith(ARCHIVE_SUFFIX);
  const given = setIdOption(args.value('set'));
  if ((given === undefined) === !args.flag('newest')) {
    throw usageError('export: give either --set ID or --newest');
  }
  if (args.flag('newest') && !toArchive) {
    throw usageError(`--newest: only for an archive (--to NAME${ARCHIVE_SUFFIX}); a folder gets one set`);
  }
  if (overlaps(dest, absolutePath(dir))) {
    throw usageError(`--to ${to}: the destination and the repository must not contain each other`);
  }
  const copy = copyCode(args);
  if (copy !== undefined && !toArchive) {
    copy.finish(undefined);
    throw usageError(`--encrypt: only for an archive (--to NAME${ARCHIVE_SUFFIX}); a folder is plain text`);
  }
  let src: ReadSource;
  try {
    src = await readSource(ctx, dir);
  } catch (e) {
    copy?.finish(undefined);
    throw e as Error;
  }
  const root = src.root;
  const files = new NodeFileStore();
  if (toArchive) {
    // an encrypted repository (with --key) is archived as it is stored: the archive stays encrypted
    const plain = openRepository(ctx, files, root);
    let enc: unknown;
    try {
      enc = await plain.encryption();
    } catch (e) {
      throw cliErrorOf(e as Error, `${dir}: cannot read the repository`);
    }
    if (copy !== undefined) {
      let code: RecoveryCode | undefined = undefined;
      try {
        if (enc === undefined || enc !== null) {
          throw usageError(`--encrypt: ${dir} is ${enc === undefined ? 'not a repository' :
            'encrypted already (export it as it is, with its --key)'}`);
        }
        const out = await exportEncrypted(args, ctx, src, plain, files, dest, copy);
        code = out.code;
        return out.output;
      } finally {
        copy.finish(code);
      }
    }
    if (enc === undefined) {
      throw usageError(`${dir}: not a repository`);
    }
    const repo = enc === null ? plain : await openUnlocked(ctx, files, root, args, dir);
    return exportArchive(args, ctx, src, repo, enc !== null, files, dest);
  }
  const repo = await openUnlocked(ctx, files, root, args, dir);
  const setId = given as string;
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
  // an encrypted repository's blobs are ciphertext: each file is read (and authenticated) through it
  o.reader = repo.isUnlocked() ? repo : null;
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
  const json: JsonObject = {
    command: 'export', ok: true, exitCode: EXIT_OK, store: src.display(), ...exportJson(r), decrypted: o.reader !== null,
  };
  const rows = r.apps.map((a) => [a.appId, String(a.files), formatBytes(a.bytes)]);
  let text = `Set ${r.setId} exported to ${r.dest}: ${plural(r.apps.length, 'app', 'apps')}, ` +
    `${plural(r.files, 'file', 'files')}, ${formatBytes(r.bytes)}, each rehashed.\n`;
  if (rows.length > 0) {
    text += `\n${table(['APP', 'FILES', 'SIZE'], rows, ['left', 'right', 'right'])}`;
  }
  if (o.reader !== null) {
    text += `The repository is encrypted; the export is not: ${r.dest} holds the apps' data in plain text.\n`;
  }
  if (!r.capabilities) {
    text += 'The set has no capability file: none was written.\n';
  }
  if (r.notDone.length > 0 && o.apps.length === 0) {
    text += `Not exported (not done in this set): ${r.notDone.join(', ')}\n`;
  }
  return new CommandOutput(EXIT_OK, json, text);
}

/** The one-file archive of the set (or of each app's newest copy) at dest, a new file. */
async function exportArchive(args: ParsedArgs, ctx: CliContext, src: ReadSource, repo: Repository, encrypted: boolean,
  files: NodeFileStore, dest: string, setOverride?: string[]): Promise<CommandOutput> {
  const to = args.required('to');
  const dir = args.positionals[0];
  if (fs.existsSync(dest) || fs.existsSync(`${dest}.partial`)) {
    throw usageError(`--to ${to}: exists already (an archive is never overwritten)`);
  }
  const parent = path.dirname(dest);
  if (!fs.existsSync(parent) || !fs.statSync(parent).isDirectory()) {
    throw usageError(`--to ${to}: ${parent} is not an existing folder`);
  }
  const sel = new ArchiveSelection();
  const bundles = args.list('bundles') ?? [];
  if (setOverride !== undefined) {
    sel.setIds = setOverride;   // an encrypted copy's sets (already reduced as asked)
  } else if (args.flag('newest')) {
    sel.newestOfEachApp = true;
    sel.apps = bundles;
  } else {
    if (bundles.length > 0) {
      throw usageError('--bundles: an archive of a set holds the whole set; use --newest --bundles A,B');
    }
    sel.setIds = [args.required('set')];
  }
  const o = new ArchiveWriteOptions();
  o.createdAt = Date.now();
  let r: ArchiveWriteResult;
  ctx.progress.begin('export', 0);
  try {
    r = await new ArchiveWriter(files, new NodeByteChannel(), ctx.logger).write(repo, sel, dest, o);
  } catch (e) {
    if (e instanceof SetStoreError && e.kind === SetStoreErrorKind.MALFORMED) {
      // damage in the repository (a blob that no longer matches its id): the run failed, nothing was written
      throw new CliError(`${src.display()}: ${e.message}; nothing was written`, EXIT_FAILED);
    }
    throw cliErrorOf(e as Error, `${dir}: cannot export`);
  } finally {
    ctx.progress.end();
  }
  const json: JsonObject = {
    command: 'export', ok: true, exitCode: EXIT_OK, store: src.display(), format: 'archive', to: dest,
    files: r.files, sets: r.sets, blobs: r.blobs, contentBytes: r.contentBytes, archiveBytes: r.archiveBytes,
    encrypted,
  };
  const what = args.flag('newest') ? 'Each app\'s newest copy' : `Set ${r.sets[0]}`;
  const text = `${what} exported to ${dest}: ${plural(r.sets.length, 'set', 'sets')}, ` +
    `${plural(r.blobs, 'blob', 'blobs')}, ${formatBytes(r.archiveBytes)}, each blob rehashed.\n` +
    (encrypted ? 'The archive is encrypted as the repository is: every read of it needs the same key.\n' : '') +
    `Check it anywhere with: backup-manager verify ${dest} --full${encrypted ? ' --key FILE' : ''}\n`;
  return new CommandOutput(EXIT_OK, json, text);
}

class EncryptedExport {
  constructor(readonly output: CommandOutput, readonly code: RecoveryCode) {}
}

/**
 * --encrypt from a plain repository: the set copied into a temporary encrypted repository (each file
 * rehashed against the set, then encrypted), which is then archived as it is stored (format version 2).
 */
async function exportEncrypted(args: ParsedArgs, ctx: CliContext, src: ReadSource, plain: Repository,
  files: NodeFileStore, dest: string, copy: CopyCode): Promise<EncryptedExport> {
  const setId = setIdOption(args.value('set'));
  const tmp = openRepository(ctx, files, `${absolutePath(ctx.tempDir('encrypt'))}/repo`);
  let code: RecoveryCode;
  let newIds: string[];
  try {
    code = await copy.create(tmp);
    const sel = new ArchiveSelection();
    if (setId === undefined) {
      sel.newestOfEachApp = true;
      sel.apps = args.list('bundles') ?? [];
    } else {
      sel.setIds = [setId];
    }
    const index = await plain.loadIndex();
    const r = await new EncryptedCopy(files, ctx.logger).runManifests(plain, index, tmp, selectManifests(index, sel));
    newIds = [...r.copied.values()];
  } catch (e) {
    if (e instanceof SetStoreError && e.kind === SetStoreErrorKind.MALFORMED) {
      throw new CliError(`${src.display()}: ${e.message}; nothing was written`, EXIT_FAILED);
    }
    throw cliErrorOf(e as Error, `${args.positionals[0]}: ${setId === undefined ? 'each app\'s newest copy' : `set ${setId}`}`);
  }
  const out = await exportArchive(args, ctx, src, tmp, true, files, dest, newIds);
  return new EncryptedExport(out, code);
}
