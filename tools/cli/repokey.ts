/*
 * The recovery code of an encrypted repository on the command line: `--key FILE` (a file holding the code,
 * as `init --key-out` writes it) or the environment variable BACKUP_MANAGER_KEY (the code itself). Every
 * problem is a usage error (exit 2) saying which: no key given, the file unreadable, a mistyped group, or a
 * code that does not open this repository. Commands that open a Repository call unlockRepository() once.
 */
import * as fs from 'node:fs';
import { OptionSpec, usageError } from './args';
import { ParsedArgs } from './args';
import { Repository } from '../../entry/src/main/ets/backup/repo/Repository';
import { RecoveryCode, RecoveryCodeError } from '../../entry/src/main/ets/backup/crypt/RecoveryCode';
import { KeyError, KeyErrorKind } from '../../entry/src/main/ets/backup/crypt/RepoKeys';
import { NodeCrypto, NodeFdIo } from '../host/NodeCrypto';

/** The CLI's word for a lost code, as honest as it must be (the app says it from its resources: crypt_lost_code). */
export const LOST_CODE_MESSAGE: string =
  'Without its recovery code (or this device\'s saved key) an encrypted repository cannot be opened by anyone: ' +
  'the data in it cannot be recovered.';

export const KEY_ENV = 'BACKUP_MANAGER_KEY';

export const KEY_OPTION: OptionSpec = {
  name: 'key', value: 'FILE', help: `the recovery code of an encrypted repository (or set ${KEY_ENV} to the code)`,
};

/** Where the code came from, for messages. */
export class GivenKey {
  constructor(readonly text: string, readonly source: string) {}
}

/** The code given by --key FILE or BACKUP_MANAGER_KEY; undefined when neither. */
export function givenKey(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): GivenKey | undefined {
  const file = args.value('key');
  if (file !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw usageError(`--key ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    return new GivenKey(text, file);
  }
  const fromEnv = env[KEY_ENV];
  return fromEnv !== undefined && fromEnv.trim() !== '' ? new GivenKey(fromEnv, KEY_ENV) : undefined;
}

/** Parses a given code; a mistyped one is a usage error naming the group. */
export function parseKey(key: GivenKey): RecoveryCode {
  try {
    return RecoveryCode.parse(key.text);
  } catch (e) {
    if (e instanceof RecoveryCodeError) {
      throw usageError(`the recovery code in ${key.source} is not valid: ${e.message}`);
    }
    throw e;
  }
}

/**
 * Opens an encrypted repository with the code given (a plain one needs none). Usage errors for a missing,
 * mistyped or wrong code, and for a code given for a plain repository (it may have been swapped for one) or
 * where there is no repository.json (nothing there is encrypted; creates: the command would create a plain
 * repository there, so the message points to init --encrypt).
 */
export async function unlockRepository(repo: Repository, args: ParsedArgs, where: string,
  env: NodeJS.ProcessEnv = process.env, creates: boolean = false): Promise<void> {
  const enc = await repo.encryption();
  const key = givenKey(args, env);
  if (enc === undefined) {
    if (key !== undefined && creates) {
      // a writer would create a plain repository here: the user meant an encrypted one
      throw usageError(`a recovery code was given (${key.source}) but ${where} holds no repository yet: ` +
        'create an encrypted one with `backup-manager init DIR --encrypt --key-out FILE`');
    }
    if (key !== undefined) {
      // nothing here is encrypted (no repository, or the old layout, which never is): not what the user thinks
      throw usageError(`a recovery code was given (${key.source}) but ${where} is not encrypted (it holds no ` +
        'repository.json: no repository, or sets of the old layout)');
    }
    return;
  }
  if (enc === null) {
    if (key !== undefined) {
      // a repository that should be encrypted but is not may have been replaced: never use it silently
      throw usageError(`a recovery code was given (${key.source}) but ${where} is not encrypted`);
    }
    return;
  }
  if (key === undefined) {
    throw usageError(`${where} is an encrypted repository: give its recovery code with --key FILE or ${KEY_ENV}`);
  }
  try {
    await repo.unlock(new NodeCrypto(), new NodeFdIo(), parseKey(key));
  } catch (e) {
    if (e instanceof KeyError && e.kind === KeyErrorKind.WRONG_CODE) {
      throw usageError(`the recovery code in ${key.source} does not open ${where} (another repository's code, or ` +
        `replaced by a new one). ${LOST_CODE_MESSAGE}`);
    }
    throw e;
  }
}
