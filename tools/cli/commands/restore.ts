/*
 * restore: a backup set back into the simulated device, whose apps check every byte they receive.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunOutcome, RunResult } from '../../../entry/src/main/ets/backup/model/RunResult';
import { BundleOutcome } from '../../../entry/src/main/ets/backup/model/SetManifest';
import { Repository } from '../../../entry/src/main/ets/backup/repo/Repository';
import { RestorePlan, RestoreRequest } from '../../../entry/src/main/ets/backup/repo/RestorePlan';
import { SnapshotManifest } from '../../../entry/src/main/ets/backup/repo/SnapshotManifest';
import { RestoreRun } from '../../../entry/src/main/ets/backup/session/RestoreRun';
import { CliError, CommandSpec, EXIT_FAILED, EXIT_OK, ParsedArgs, usageError } from '../args';
import { absolutePath, cliErrorOf, CliContext } from '../context';
import { DeviceEnv, openDevice, scenarioHelp } from '../device';
import { CommandOutput, JsonObject } from '../output';
import { isRepository } from '../repo';
import { bundleTable, outcomeLine, resultJson, runErrorLine, runWithProgress } from '../runs';

export const RESTORE_SPEC: CommandSpec = {
  name: 'restore',
  summary: 'restore apps from the backup repository into the simulated device (which checks the bytes)',
  details: [
    'DIR is the repository as given to `backup --to`. By default each app\'s newest good copy is restored,',
    'whatever set holds it, in one run; --set restores the copies of one set. Every file is hashed while it is',
    'sent, and an app with a file that does not match its backup is never handed over; the simulated apps check',
    'what they receive against the data they were backed up from. Without --bundles every app is restored.',
    'Exit 0 when every app is restored, 1 when any failed, 2 when DIR or the set cannot be read.',
    '',
    ...scenarioHelp(),
  ],
  options: [
    { name: 'from', value: 'DIR', help: 'the repository folder', required: true },
    { name: 'set', value: 'ID', help: 'restore from this set (default: each app\'s newest good copy)' },
    { name: 'bundles', value: 'A,B', help: 'bundle ids to restore; default: every app with a good copy' },
    { name: 'scenario', value: 'S', help: 'mock scenario(s) for the simulated service' },
  ],
  positionals: [],
};

/** Runs one restore from the repository (used by restore and demo): setId '' for each app's newest good copy. */
export async function runRestore(ctx: CliContext, env: DeviceEnv, repo: Repository, setId: string,
  ids: string[]): Promise<RunResult> {
  const request = new RestoreRequest();
  request.setId = setId;
  request.apps = ids;
  let plan: RestorePlan;
  try {
    plan = await repo.planRestore(request);
  } catch (e) {
    throw cliErrorOf(e as Error, setId !== '' ? `${repo.root()}: set ${setId} cannot be read` :
      `${repo.root()}: not a readable backup repository`);
  }
  const run = new RestoreRun({ module: env.module, files: env.files, repo, logger: ctx.logger,
    scratchDir: env.scratchDir }, request, plan);
  return runWithProgress(ctx, run, 'restore');
}

export function restorableBundles(m: SnapshotManifest): string[] {
  return m.apps.filter((b) => b.outcome === BundleOutcome.DONE).map((b) => b.id);
}

/** --from as given: the repository, and the set when the path is an old-style <root>/sets/<id> or --set. */
function sourceOf(from: string, set: string | undefined): { root: string; setId: string } {
  const abs = absolutePath(from).replace(/\/+$/, '');
  if (set === undefined && path.posix.basename(path.posix.dirname(abs)) === 'sets' &&
    !isRepository(abs)) {
    return { root: path.posix.dirname(path.posix.dirname(abs)), setId: path.posix.basename(abs) };
  }
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) {
    throw usageError(`${from}: no such folder`);
  }
  return { root: abs, setId: set ?? '' };
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
  const from = args.required('from');
  const where = sourceOf(from, args.value('set'));
  if (!isRepository(where.root)) {
    throw usageError(`${from}: not a backup repository`);
  }
  const env = openDevice(ctx, args.value('scenario'));
  const repo = env.repo(ctx, where.root);
  const ids = args.list('bundles') ?? [];
  const result = await runRestore(ctx, env, repo, where.setId, ids);
  if (result.bundles.length === 0) {
    throw new CliError(`${from}: no app has a good copy to restore`, EXIT_FAILED);
  }
  return restoreOutput(result, where.setId !== '' ? `${where.root} (set ${where.setId})` : where.root);
}
