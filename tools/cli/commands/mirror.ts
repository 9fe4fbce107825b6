/*
 * mirror: copy a repository into another (a USB drive's folder, a folder a PC keeps) incrementally: only
 * the blobs and sets the target lacks, each blob rehashed as it lands, each set only after its blobs
 * (backup/repo/Mirror). An interrupted mirror leaves the target a consistent repository; running it again
 * resumes. The target is created when it does not exist.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SystemClock } from '../../../entry/src/main/ets/backup/port/Clock';
import { Mirror, MirrorOptions, MirrorReport } from '../../../entry/src/main/ets/backup/repo/Mirror';
import { Repository } from '../../../entry/src/main/ets/backup/repo/Repository';
import { REPO_HEADER_NAME } from '../../../entry/src/main/ets/backup/repo/RepoLayout';
import { StoreLockedError } from '../../../entry/src/main/ets/backup/store/StoreLock';
import { NodeFileStore } from '../../host/NodeFileStore';
import { NodeProcessInfo } from '../../host/NodeProcessInfo';
import { CliError, CommandSpec, EXIT_FAILED, EXIT_OK, EXIT_USAGE, ParsedArgs, usageError } from '../args';
import { SetStoreError, SetStoreErrorKind } from '../../../entry/src/main/ets/backup/model/SetManifest';
import { absolutePath, cliErrorOf, CliContext } from '../context';
import { formatBytes, plural, table } from '../format';
import { CommandOutput, Json, JsonObject } from '../output';
import { lockedError, lockWaitMs } from '../store';
import { KEY_OPTION, unlockRepository } from '../repokey';
import { copyCode, CopyCode, ENCRYPT_OPTIONS } from '../encryptcopy';
import { EncryptedCopy, EncryptedCopyResult } from '../../../entry/src/main/ets/backup/crypt/EncryptedCopy';
import { RecoveryCode } from '../../../entry/src/main/ets/backup/crypt/RecoveryCode';

export const MIRROR_SPEC: CommandSpec = {
  name: 'mirror',
  summary: 'copy a repository into another, only what the other lacks',
  details: [
    'Copies the sets of DIR that DIR2 does not have, with only the content DIR2 does not have yet; every blob',
    'is rehashed as it lands and a set appears in DIR2 only after all its content is there. Interrupted (the',
    'drive pulled, Ctrl-C, a full disk), DIR2 keeps whole sets only, and running mirror again resumes. DIR2 is',
    'created when it does not exist. A set of DIR that cannot be copied (damaged) is skipped and named: exit 1.',
    'Exit 2 when DIR is no repository or DIR2 is a folder with other things in it.',
    'An encrypted DIR (give its recovery code) gives an encrypted DIR2: the same header and keyed names, each',
    'blob\'s ciphertext copied as it is and authenticated with the key before it lands; the same code opens both.',
    'An encrypted DIR into a plain repository, or a plain DIR into an encrypted one, is refused (exit 2).',
    'A plain DIR with --encrypt gives an encrypted copy: DIR2 new (its recovery code to --key-out FILE, or',
    '--key FILE to reuse a code) or an encrypted copy made so before (--key FILE: its code); each set is',
    're-encrypted file by file (each rehashed against the set), and sets copied before are skipped.',
  ],
  options: [
    { name: 'to', value: 'DIR2', help: 'the target repository (created when missing)', required: true },
    KEY_OPTION,
    ...ENCRYPT_OPTIONS,
  ],
  positionals: [{ name: 'DIR', help: 'the repository to copy from' }],
};

function repositoryAt(ctx: CliContext, files: NodeFileStore, root: string): Repository {
  return new Repository(files, root, ctx.logger, {
    clock: new SystemClock(), process: new NodeProcessInfo(),
    lockOptions: { waitMs: lockWaitMs(), logger: ctx.logger },
  });
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** DIR2 as it may be mirrored into: missing, an empty folder, or a repository. Exit 2 otherwise. */
function checkTarget(dir2: string, root2: string, root: string): void {
  if (isInside(root2, root) || isInside(root, root2)) {
    throw usageError(`--to ${dir2}: must be outside the repository it copies (and not contain it)`);
  }
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(root2);
  } catch {
    return;
  }
  if (!st.isDirectory()) {
    throw usageError(`--to ${dir2}: not a folder`);
  }
  if (!fs.existsSync(path.join(root2, REPO_HEADER_NAME)) && fs.readdirSync(root2).length > 0) {
    throw usageError(`--to ${dir2}: a folder with other things in it, not a repository`);
  }
}

export function mirrorJson(r: MirrorReport): JsonObject {
  return {
    setsCopied: r.setsCopied, setsPresent: r.setsPresent, blobsCopied: r.blobsCopied, bytesCopied: r.bytesCopied,
    blobsPresent: r.blobsPresent, failed: r.failed.map((f): Json => ({ setId: f.setId, reason: f.reason })),
  };
}

export async function mirrorCommand(args: ParsedArgs, ctx: CliContext): Promise<CommandOutput> {
  const dir = args.positionals[0];
  const dir2 = args.required('to');
  const root = absolutePath(dir);
  const root2 = absolutePath(dir2);
  if (!fs.existsSync(path.join(root, REPO_HEADER_NAME))) {
    throw usageError(`${dir}: not a repository (no ${REPO_HEADER_NAME})`);
  }
  checkTarget(dir2, root2, root);
  const files = new NodeFileStore();
  if (args.flag('encrypt')) {
    return mirrorEncrypted(args, ctx, files, root, root2);
  }
  const o = new MirrorOptions();
  o.onProgress = (done: number, total: number) => ctx.progress.update(done, total, 'copying', -1, 0);
  ctx.progress.begin('mirror', 0);
  const source = repositoryAt(ctx, files, root);
  await unlockRepository(source, args, dir);
  let r: MirrorReport;
  try {
    r = await new Mirror(ctx.logger).run(source, files, repositoryAt(ctx, files, root2), files, o);
  } catch (e) {
    if (e instanceof StoreLockedError) {
      throw lockedError(e, root2);
    }
    if (e instanceof SetStoreError && e.kind === SetStoreErrorKind.STATE) {
      // plain into encrypted, encrypted into plain or under another key: refused before anything is copied
      throw new CliError(`mirror ${dir} to ${dir2}: ${e.message}`, EXIT_USAGE);
    }
    throw cliErrorOf(e as Error, `mirror ${dir} to ${dir2}`);
  } finally {
    ctx.progress.end();
  }
  const code = r.failed.length === 0 ? EXIT_OK : EXIT_FAILED;
  const json: JsonObject = { command: 'mirror', ok: code === EXIT_OK, exitCode: code, from: root, to: root2, ...mirrorJson(r) };
  let text = `Mirrored ${dir} to ${dir2}: ${plural(r.setsCopied.length, 'set', 'sets')} copied ` +
    `(${plural(r.blobsCopied, 'blob', 'blobs')}, ${formatBytes(r.bytesCopied)}), ` +
    `${plural(r.setsPresent, 'set', 'sets')} already there.\n`;
  if (r.failed.length > 0) {
    text += `\nNot copied:\n${table(['SET', 'WHY'], r.failed.map((f) => [f.setId, f.reason]))}`;
  }
  return new CommandOutput(code, json, text);
}

/** --encrypt: a plain DIR copied into an encrypted DIR2 (new, or an encrypted copy made before). */
async function mirrorEncrypted(args: ParsedArgs, ctx: CliContext, files: NodeFileStore, root: string,
  root2: string): Promise<CommandOutput> {
  const dir = args.positionals[0];
  const dir2 = args.required('to');
  const source = repositoryAt(ctx, files, root);
  const target = repositoryAt(ctx, files, root2);
  let enc2: unknown;
  try {
    if ((await source.encryption()) !== null) {
      throw usageError(`--encrypt: ${dir} is encrypted already (mirror it without --encrypt to keep it so)`);
    }
    enc2 = await target.encryption();
  } catch (e) {
    throw cliErrorOf(e as Error, `mirror ${dir} to ${dir2}`);
  }
  let copy: CopyCode | undefined = undefined;
  if (enc2 === undefined) {
    copy = copyCode(args) as CopyCode;
  } else if (enc2 === null) {
    throw usageError(`--to ${dir2}: a plain repository; --encrypt writes only into a new folder or an encrypted copy`);
  } else {
    if (args.value('key-out') !== undefined) {
      throw usageError(`--key-out: ${dir2} is encrypted already; give its code with --key FILE`);
    }
    await unlockRepository(target, args, dir2);
  }
  let code: RecoveryCode | undefined = undefined;
  let r: EncryptedCopyResult;
  try {
    if (copy !== undefined) {
      code = await copy.create(target);
    }
    r = await new EncryptedCopy(files, ctx.logger).run(source, target, []);
  } catch (e) {
    if (copy !== undefined && code !== undefined) {
      // the copy exists (whole sets only): its code must not be lost
      copy.finish(code);
    } else {
      copy?.finish(undefined);
    }
    if (e instanceof StoreLockedError) {
      throw lockedError(e, root2);
    }
    throw cliErrorOf(e as Error, `mirror ${dir} to ${dir2}`);
  }
  copy?.finish(code);
  const json: JsonObject = {
    command: 'mirror', ok: true, exitCode: EXIT_OK, from: root, to: root2, encrypted: true,
    setsCopied: [...r.copied.keys()], setsPresent: r.skipped.length, files: r.files, bytes: r.bytes,
  };
  let text = `Copied ${dir} to ${dir2} encrypted: ${plural(r.copied.size, 'set', 'sets')} ` +
    `(${plural(r.files, 'file', 'files')}, ${formatBytes(r.bytes)}), ${plural(r.skipped.length, 'set', 'sets')} already there.\n`;
  if (copy !== undefined && copy.keyOut !== undefined) {
    text += `Its recovery code is in ${copy.keyOut}: without it the copy cannot be read.\n`;
  }
  return new CommandOutput(EXIT_OK, json, text);
}
