/*
 * restore: a backup set back into the simulated device, whose apps check every byte they receive.
 */
import { RunOutcome, RunResult } from '../../../entry/src/main/ets/backup/model/RunResult';
import { BundleOutcome, SetManifest } from '../../../entry/src/main/ets/backup/model/SetManifest';
import { BackupSetStore } from '../../../entry/src/main/ets/backup/store/BackupSetStore';
import { RestoreRun } from '../../../entry/src/main/ets/backup/session/RestoreRun';
import { CliError, CommandSpec, EXIT_FAILED, EXIT_OK, ParsedArgs } from '../args';
import { cliErrorOf, CliContext, splitSetPath } from '../context';
import { DeviceEnv, openDevice, scenarioHelp } from '../device';
import { CommandOutput, JsonObject } from '../output';
import { bundleTable, outcomeLine, resultJson, runErrorLine, runWithProgress } from '../runs';

export const RESTORE_SPEC: CommandSpec = {
  name: 'restore',
  summary: 'restore a backup set into the simulated device (which checks the bytes)',
  details: [
    'SET is a set folder as `backup` prints it (<store>/sets/<set-id>). Every file is checked against the',
    'set\'s checksums before it is sent, and the simulated apps check what they receive against the data',
    'they were backed up from. Without --bundles every app the set holds complete is restored.',
    'Exit 0 when every app is restored, 1 when any failed, 2 when SET is not a readable backup set.',
    '',
    ...scenarioHelp(),
  ],
  options: [
    { name: 'from', value: 'SET', help: 'the backup set folder', required: true },
    { name: 'bundles', value: 'A,B', help: 'bundle ids to restore; default: every app done in the set' },
    { name: 'scenario', value: 'S', help: 'mock scenario(s) for the simulated service' },
  ],
  positionals: [],
};

/** Runs one restore of a set (used by restore and demo). */
export async function runRestore(ctx: CliContext, env: DeviceEnv, store: BackupSetStore, setId: string,
  ids: string[]): Promise<RunResult> {
  const run = new RestoreRun({ module: env.module, files: env.files, sets: store, logger: ctx.logger }, setId, ids);
  return runWithProgress(ctx, run, 'restore');
}

export function restorableBundles(m: SetManifest): string[] {
  return m.bundles.filter((b) => b.outcome === BundleOutcome.DONE).map((b) => b.id);
}

export function restoreOutput(r: RunResult, setDir: string): CommandOutput {
  const lines = [`Restore from ${setDir}`];
  const runError = runErrorLine(r, 'restore');
  if (runError !== '') {
    lines.push(runError);
  }
  if (r.bundles.length > 0) {
    lines.push('', bundleTable(r).trimEnd(), '');
  }
  lines.push(outcomeLine(r, 'restored'));
  const ok = r.outcome === RunOutcome.SUCCEEDED;
  const code = ok ? EXIT_OK : EXIT_FAILED;
  const json: JsonObject = { command: 'restore', ok, exitCode: code, set: setDir, ...resultJson(r) };
  return new CommandOutput(code, json, `${lines.join('\n')}\n`);
}

export async function restoreCommand(args: ParsedArgs, ctx: CliContext): Promise<CommandOutput> {
  const setPath = args.required('from');
  const where = splitSetPath(setPath);
  const env = openDevice(ctx, args.value('scenario'));
  const store = env.store(ctx, where.root);
  let manifest: SetManifest;
  try {
    manifest = await store.get(where.id);
  } catch (e) {
    throw cliErrorOf(e as Error, `${setPath}: not a readable backup set`);
  }
  const ids = args.list('bundles') ?? restorableBundles(manifest);
  if (ids.length === 0) {
    throw new CliError(`${setPath}: the set holds no app backed up completely`, EXIT_FAILED);
  }
  const result = await runRestore(ctx, env, store, where.id, ids);
  return restoreOutput(result, store.setDir(where.id));
}
