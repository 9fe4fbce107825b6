/*
 * init: create a repository (the content-addressed store of issue 10) at DIR, plain or encrypted.
 * rekey: give an encrypted repository a new recovery code (the master key is re-wrapped; nothing else is
 * rewritten) and write it to a new key file.
 *
 * A key file is created exclusively (an existing file is never overwritten) with mode 0600, before the
 * repository is created, so a repository is never left without its code on disk; the code is never printed.
 */
import * as fs from 'node:fs';
import { CommandSpec, EXIT_OK, ParsedArgs, usageError } from '../args';
import { cliErrorOf, CliContext } from '../context';
import { CommandOutput, JsonObject } from '../output';
import { NodeFileStore } from '../../host/NodeFileStore';
import { NodeProcessInfo } from '../../host/NodeProcessInfo';
import { NodeCrypto, NodeFdIo } from '../../host/NodeCrypto';
import { KEY_OPTION, LOST_CODE_MESSAGE, unlockRepository } from '../repokey';
import { SystemClock } from '../../../entry/src/main/ets/backup/port/Clock';
import { Repository } from '../../../entry/src/main/ets/backup/repo/Repository';
import { RecoveryCode } from '../../../entry/src/main/ets/backup/crypt/RecoveryCode';

export const INIT_SPEC: CommandSpec = {
  name: 'init',
  summary: 'create a repository at DIR, optionally encrypted',
  details: [
    'With --encrypt the repository is encrypted: a random 256-bit key, and a recovery code (13 groups of 5',
    'characters, typos caught per group) written to --key-out FILE, readable by its owner only. Only the code',
    'opens the repository on another machine; without it the data cannot be recovered. Exit 2 when DIR already',
    'holds a repository or FILE exists.',
  ],
  options: [
    { name: 'encrypt', help: 'encrypt everything but a small header (needs --key-out)' },
    { name: 'key-out', value: 'FILE', help: 'where to write the recovery code (created, mode 0600; never overwritten)' },
  ],
  positionals: [{ name: 'DIR', help: 'the repository folder (created when missing)' }],
};

export const REKEY_SPEC: CommandSpec = {
  name: 'rekey',
  summary: 'give an encrypted repository a new recovery code',
  details: [
    'Opens DIR with the current code (--key FILE or BACKUP_MANAGER_KEY), writes a new code to --key-out FILE',
    '(created, mode 0600) and re-wraps the key under it: only the header changes. The old code stops working.',
  ],
  options: [
    KEY_OPTION,
    { name: 'key-out', value: 'FILE', help: 'where to write the new recovery code (created, mode 0600)', required: true },
  ],
  positionals: [{ name: 'DIR', help: 'the encrypted repository folder' }],
};

function repository(dir: string, ctx: CliContext): Repository {
  return new Repository(new NodeFileStore(), dir, ctx.logger, { clock: new SystemClock(), process: new NodeProcessInfo() });
}

/** Creates FILE exclusively with mode 0600; returns its fd. */
export function createKeyFile(file: string): number {
  try {
    const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
    fs.fchmodSync(fd, 0o600);
    return fd;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw usageError(code === 'EEXIST' ? `--key-out ${file}: a file is there already (a key file is never overwritten)` :
      `--key-out ${file}: cannot create it (${code ?? (e as Error).message})`);
  }
}

/** Writes the code into the key file and closes it. */
export function finishKeyFile(fd: number, code: RecoveryCode): void {
  try {
    fs.writeSync(fd, `${code.format()}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function abandonKeyFile(fd: number, file: string): void {
  try {
    fs.closeSync(fd);
  } catch (e) {
    // already closed
  }
  fs.rmSync(file, { force: true });
}

export async function initCommand(args: ParsedArgs, ctx: CliContext): Promise<CommandOutput> {
  const dir = args.positionals[0];
  const encrypt = args.flag('encrypt');
  const keyOut = args.value('key-out');
  if (encrypt && keyOut === undefined) {
    throw usageError('--encrypt needs --key-out FILE: the recovery code is shown nowhere else');
  }
  if (!encrypt && keyOut !== undefined) {
    throw usageError('--key-out is for --encrypt');
  }
  const repo = repository(dir, ctx);
  try {
    if (await repo.encryption() !== undefined) {
      throw usageError(`${dir} holds a repository already`);
    }
  } catch (e) {
    throw cliErrorOf(e as Error, `${dir}: cannot create a repository`);
  }
  const json: JsonObject = { command: 'init', ok: true, exitCode: EXIT_OK, repository: dir, encrypted: encrypt };
  if (!encrypt || keyOut === undefined) {
    try {
      await (await repo.lock('backup-manager init')).release();
    } catch (e) {
      throw cliErrorOf(e as Error, `${dir}: cannot create a repository`);
    }
    return new CommandOutput(EXIT_OK, json, `Created a repository at ${dir} (not encrypted).\n`);
  }
  const fd = createKeyFile(keyOut);
  let code: RecoveryCode;
  try {
    code = await repo.createEncrypted(new NodeCrypto(), new NodeFdIo());
  } catch (e) {
    abandonKeyFile(fd, keyOut);
    throw cliErrorOf(e as Error, `${dir}: cannot create a repository`);
  }
  finishKeyFile(fd, code);
  json.keyFile = keyOut;
  return new CommandOutput(EXIT_OK, json, `Created an encrypted repository at ${dir}.\n` +
    `Its recovery code is in ${keyOut} (readable by you only). Keep a copy somewhere safe: ${LOST_CODE_MESSAGE}\n`);
}

export async function rekeyCommand(args: ParsedArgs, ctx: CliContext): Promise<CommandOutput> {
  const dir = args.positionals[0];
  const keyOut = args.value('key-out') as string;
  const repo = repository(dir, ctx);
  try {
    const enc = await repo.encryption();
    if (enc === undefined || enc === null) {
      throw usageError(`${dir} is ${enc === undefined ? 'not a repository' : 'not encrypted'}`);
    }
  } catch (e) {
    throw cliErrorOf(e as Error, `${dir}: cannot change the recovery code`);
  }
  await unlockRepository(repo, args, dir);
  const fd = createKeyFile(keyOut);
  let code: RecoveryCode;
  try {
    code = await repo.changeRecoveryCode();
  } catch (e) {
    abandonKeyFile(fd, keyOut);
    throw cliErrorOf(e as Error, `${dir}: cannot change the recovery code`);
  }
  finishKeyFile(fd, code);
  const json: JsonObject = { command: 'rekey', ok: true, exitCode: EXIT_OK, repository: dir, keyFile: keyOut };
  return new CommandOutput(EXIT_OK, json, `${dir} has a new recovery code, in ${keyOut}; the old one no longer opens it.\n`);
}
