/*
 * `--encrypt` for export and mirror from a plain repository (backup/crypt/EncryptedCopy): the copy is a new
 * encrypted repository whose master key is wrapped by a new recovery code written to --key-out FILE (created
 * now, mode 0600, never overwritten; removed again when the command fails) or by the code given with --key
 * FILE / BACKUP_MANAGER_KEY (one code for several copies).
 */
import * as fs from 'node:fs';
import { RecoveryCode } from '../../entry/src/main/ets/backup/crypt/RecoveryCode';
import { Repository } from '../../entry/src/main/ets/backup/repo/Repository';
import { NodeCrypto, NodeFdIo } from '../host/NodeCrypto';
import { OptionSpec, ParsedArgs, usageError } from './args';
import { createKeyFile, finishKeyFile } from './commands/init';
import { givenKey, parseKey } from './repokey';

export const ENCRYPT_OPTIONS: OptionSpec[] = [
  { name: 'encrypt', help: 'from a plain repository: write an encrypted copy (needs --key-out FILE or --key FILE)' },
  { name: 'key-out', value: 'FILE', help: 'with --encrypt: where to write the new recovery code (created, mode 0600)' },
];

/** The code an encrypted copy gets: a new one (keyOut, its file created already) or one given. */
export class CopyCode {
  constructor(readonly given: RecoveryCode | undefined, readonly keyOut: string | undefined, readonly fd: number) {}

  /** Creates the encrypted repository (none must be there yet); returns its code. */
  async create(repo: Repository): Promise<RecoveryCode> {
    return repo.createEncrypted(new NodeCrypto(), new NodeFdIo(), undefined, this.given);
  }

  /** After the command: the new code into its file when it succeeded, the file removed otherwise. */
  finish(code: RecoveryCode | undefined): void {
    if (this.fd < 0 || this.keyOut === undefined) {
      return;
    }
    if (code !== undefined) {
      finishKeyFile(this.fd, code);
      return;
    }
    fs.closeSync(this.fd);
    fs.rmSync(this.keyOut, { force: true });
  }
}

/** --encrypt's code (usage errors for neither or both of --key-out and a given key); undefined without --encrypt. */
export function copyCode(args: ParsedArgs): CopyCode | undefined {
  const keyOut = args.value('key-out');
  if (!args.flag('encrypt')) {
    if (keyOut !== undefined) {
      throw usageError('--key-out: only with --encrypt');
    }
    return undefined;
  }
  // an explicit --key-out wins over a BACKUP_MANAGER_KEY that happens to be set
  const key = args.value('key') !== undefined || keyOut === undefined ? givenKey(args) : undefined;
  if ((keyOut === undefined) === (key === undefined)) {
    throw usageError('--encrypt: give --key-out FILE (a new recovery code) or --key FILE (reuse a code), one of them');
  }
  if (key !== undefined) {
    return new CopyCode(parseKey(key), undefined, -1);
  }
  return new CopyCode(undefined, keyOut, createKeyFile(keyOut as string));
}
