/*
 * backup-manager: the app's engine on the command line. Same ArkTS core as the app (capability model,
 * backup and restore runs, backup set store), the mock backup module as the device, the Node FileStore
 * for this machine's disk. tools/cli/backup-manager.js bundles this file and calls run().
 *
 * stdout carries the command's result only: human text, or with --json exactly one JSON document.
 * Progress bars, notes and errors go to stderr. Exit: 0 success, 1 the operation ran but something
 * failed, 2 bad usage or bad input.
 */
import {
  CliError, CommandSpec, commandHelp, commandHelpJson, EXIT_FAILED, EXIT_OK, EXIT_USAGE, generalHelp, generalHelpJson,
  parseCommandArgs, ParsedArgs, usageError
} from './args';
import { visibleText } from '../../entry/src/main/ets/backup/model/JsonReader';
import { CliContext, CliIo } from './context';
import { CommandOutput, JsonObject } from './output';
import { CAPS_SPEC, capsCommand } from './commands/caps';
import { BACKUP_SPEC, backupCommand } from './commands/backup';
import { RESTORE_SPEC, restoreCommand } from './commands/restore';
import { VERIFY_SPEC, verifyCommand } from './commands/verify';
import { SETS_SPEC, setsCommand } from './commands/sets';
import { DEMO_SPEC, demoCommand } from './commands/demo';
import { APPS_SPEC, appsCommand } from './commands/apps';
import { PRUNE_SPEC, pruneCommand } from './commands/prune';
import { EXPORT_SPEC, exportCommand } from './commands/export';
import { IMPORT_SPEC, importCommand } from './commands/import';
import { INIT_SPEC, initCommand, REKEY_SPEC, rekeyCommand } from './commands/init';
import { MIRROR_SPEC, mirrorCommand } from './commands/mirror';

type Handler = (args: ParsedArgs, ctx: CliContext) => Promise<CommandOutput>;

interface Command {
  spec: CommandSpec;
  handler: Handler;
}

const COMMANDS: Command[] = [
  { spec: CAPS_SPEC, handler: capsCommand },
  { spec: BACKUP_SPEC, handler: backupCommand },
  { spec: RESTORE_SPEC, handler: restoreCommand },
  { spec: VERIFY_SPEC, handler: verifyCommand },
  { spec: SETS_SPEC, handler: setsCommand },
  { spec: APPS_SPEC, handler: appsCommand },
  { spec: PRUNE_SPEC, handler: pruneCommand },
  { spec: EXPORT_SPEC, handler: exportCommand },
  { spec: IMPORT_SPEC, handler: importCommand },
  { spec: DEMO_SPEC, handler: demoCommand },
  { spec: INIT_SPEC, handler: initCommand },
  { spec: REKEY_SPEC, handler: rekeyCommand },
  { spec: MIRROR_SPEC, handler: mirrorCommand },
];

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (text === '') {
      resolve();
      return;
    }
    stream.write(text, () => resolve());
  });
}

function errorDocument(command: string, e: CliError): JsonObject {
  return { command, ok: false, exitCode: e.exitCode, error: { message: e.message, ...e.details } };
}

let ctrlC = 0;
let activeContext: CliContext | undefined = undefined;

/**
 * Ctrl-C (SIGINT), SIGTERM (kill, a service manager, a CI timeout) and SIGHUP (the terminal went away) stop
 * the command the same way. The first: cancel the running backup or restore cleanly (what finished is kept,
 * the staging folder is committed or removed, the store lock released, the simulated device's folder
 * removed); without a run, remove the temporary folders and quit. The second: quit at once (a run's
 * leftovers are reported and removed by the next writer; the lock of a dead process is taken over).
 */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const SIGNAL_NUMBERS: Map<NodeJS.Signals, number> = new Map([['SIGHUP', 1], ['SIGINT', 2], ['SIGTERM', 15]]);

function onStopSignal(signal: NodeJS.Signals): void {
  if (signal === 'SIGHUP') {
    // The terminal is gone: writing to it may fail, which must not end the clean cancel.
    process.stdout.on('error', () => undefined);
    process.stderr.on('error', () => undefined);
  }
  ctrlC++;
  const ctx = activeContext;
  const cancel = ctx?.currentCanceller();
  if (ctrlC === 1 && ctx !== undefined && cancel !== undefined) {
    ctx.note(`\nbackup-manager: ${signal === 'SIGINT' ? 'Ctrl-C' : signal}: cancelling (Ctrl-C again to quit at once)...`);
    cancel().catch((e: Error) => ctx.note(`backup-manager: cancel failed: ${e.message}`));
    return;
  }
  ctx?.runCleanups();
  process.exit(128 + (SIGNAL_NUMBERS.get(signal) ?? 2));
}

const LEADING_FLAGS = new Set(['--json', '--verbose', '--help', '-h']);

export async function run(argv: string[], io?: CliIo): Promise<number> {
  const streams: CliIo = io ?? { stdout: process.stdout, stderr: process.stderr };
  const words = argv.slice();
  // Global flags may come before the command word: `backup-manager --json caps`.
  let at = 0;
  while (at < words.length && LEADING_FLAGS.has(words[at])) {
    at++;
  }
  // Options end at '--' (what follows is a positional, even `--json`).
  const end = words.indexOf('--');
  const optionWords = end >= 0 ? words.slice(0, end) : words;
  const json = optionWords.includes('--json');
  const first = at < words.length ? words[at] : undefined;
  if (first === undefined) {
    const wantsHelp = optionWords.includes('--help') || optionWords.includes('-h');
    if (wantsHelp) {
      const specs = COMMANDS.map((c) => c.spec);
      await write(streams.stdout, json ? `${JSON.stringify(generalHelpJson(specs), null, 2)}\n` : generalHelp(specs));
      return EXIT_OK;
    }
    const e = usageError('no command given (see backup-manager --help)');
    if (json) {
      await write(streams.stdout, `${JSON.stringify(errorDocument('', e), null, 2)}\n`);
    } else {
      await write(streams.stderr, generalHelp(COMMANDS.map((c) => c.spec)));
    }
    await write(streams.stderr, `backup-manager: ${e.message}\n`);
    return EXIT_USAGE;
  }
  const command = COMMANDS.find((c) => c.spec.name === first);
  const ctx = new CliContext(streams, json, optionWords.includes('--verbose'));
  activeContext = ctx;
  ctrlC = 0;
  const onSignal = (signal: NodeJS.Signals): void => onStopSignal(signal);
  for (const signal of STOP_SIGNALS) {
    process.on(signal, onSignal);
  }
  try {
    if (command === undefined) {
      const what = first.startsWith('-') ? `unknown option '${first}'` : `unknown command '${first}'`;
      throw usageError(`${what} (commands: ${COMMANDS.map((c) => c.spec.name).join(', ')}; see backup-manager --help)`);
    }
    const args = parseCommandArgs(command.spec, [...words.slice(0, at), ...words.slice(at + 1)]);
    if (args.flag('help')) {
      await write(streams.stdout, args.flag('json') ? `${JSON.stringify(commandHelpJson(command.spec), null, 2)}\n` :
        commandHelp(command.spec));
      return EXIT_OK;
    }
    const out = await command.handler(args, ctx);
    ctx.progress.end();
    await write(streams.stdout, json ? `${JSON.stringify(out.json, null, 2)}\n` : out.text);
    return out.exitCode;
  } catch (e) {
    ctx.progress.end();
    let err: CliError;
    if (e instanceof CliError) {
      err = e;
    } else {
      // A bug, not a user error: one line, the stack with --verbose.
      err = new CliError(`internal error: ${(e as Error).message ?? String(e)}`, EXIT_FAILED);
      if (ctx.verbose) {
        await write(streams.stderr, `${(e as Error).stack ?? String(e)}\n`);
      }
    }
    if (json) {
      await write(streams.stdout, `${JSON.stringify(errorDocument(first, err), null, 2)}\n`);
    }
    // One line, whatever the message quotes (a file name with a line feed or an escape sequence).
    await write(streams.stderr, `backup-manager: ${visibleText(err.message)}\n`);
    return err.exitCode;
  } finally {
    for (const signal of STOP_SIGNALS) {
      process.removeListener(signal, onSignal);
    }
    ctx.runCleanups();
    activeContext = undefined;
  }
}
