/*
 * restore: apps from the repository back into the simulated device, whose apps check every byte they
 * receive: each app's newest good copy by default (whatever set holds it, in one run), or one set's copies.
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
import { CommandOutput, Json, JsonObject } from '../output';
import { existingFolder, layoutOf, setIdOption } from '../repo';
import { isoTime } from '../format';
import { isOldSetFolder } from './verify';
import { bundleTable, outcomeLine, resultJson, runErrorLine, runWithProgress } from '../runs';

export const RESTORE_SPEC: CommandSpec = {
  name: 'restore',
  summary: 'restore apps from the backup repository into the simulated device (which checks the bytes)',
  details: [
    'DIR is the repository as given to `backup --to`. By default each app\'s newest good copy is restored,',
    'whatever set holds it, in one run; --set restores the copies of one set. Every file is hashed while it is',
    'sent, and an app with a file that does not match its backup is never handed over; the simulated apps check',
    'what they receive against the data they were backed up from. Without --bundles every app is restored.',
    '--from DIR/sets/<set-id> restores a set of the old layout (before the repository) as before.',
    'Exit 0 when every app is restored, 1 when any failed (an app without a good copy, a file that does not',
    'match), 2 when DIR is no repository or the set is unknown.',
    '',
    ...scenarioHelp(),
  ],
  options: [
    { name: 'from', value: 'DIR', help: 'the repository folder (or DIR/sets/<set-id> of the old layout)', required: true },
    { name: 'set', value: 'ID', help: 'restore from this set (default: each app\'s newest good copy)' },
    { name: 'bundles', value: 'A,B', help: 'bundle ids to restore; default: every app with a good copy' },
    { name: 'scenario', value: 'S', help: 'mock scenario(s) for the simulated service' },
  ],
  positionals: [],
};

/**
 * Runs one restore from the repository (used by restore and demo): request.setId '' for each app's newest
 * good copy; the plan is made here unless given.
 */
export async function runRestore(ctx: CliContext, env: DeviceEnv, repo: Repository, request: RestoreRequest,
  given?: RestorePlan): Promise<RunResult> {
  let plan: RestorePlan;
  if (given !== undefined) {
    plan = given;
  } else {
    try {
      plan = await repo.planRestore(request);
    } catch (e) {
      throw cliErrorOf(e as Error, request.setId !== '' ? `${repo.root()}: set ${request.setId} cannot be read` :
        `${repo.root()}: not a readable backup repository`);
    }
  }
  const run = new RestoreRun({ module: env.module, files: env.files, repo, logger: ctx.logger,
    scratchDir: env.scratchDir }, request, plan);
  return runWithProgress(ctx, run, 'restore');
}

export function restorableBundles(m: SnapshotManifest): string[] {
  return m.apps.filter((b) => b.outcome === BundleOutcome.DONE).map((b) => b.id);
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

/** A skipped app's line: why the plan could not restore it. */
function skippedNote(plan: RestorePlan): string[] {
  return plan.skipped.map((k) => `${k.appId}: ${k.detail !== '' ? k.detail : k.reason}`);
}

/**
 * restore --from DIR [--set ID] [--bundles a,b]: the repository's newest good copy of each app (or the
 * copies of one set), in one run. --from DIR/sets/<id> is a set of the old layout, which the repository
 * reads where it is (and, once migrated, by its id).
 */
export async function restoreCommand(args: ParsedArgs, ctx: CliContext): Promise<CommandOutput> {
  const from = args.required('from');
  let setId = setIdOption(args.value('set')) ?? '';
  let root: string;
  let oldSet = false;
  if (isOldSetFolder(from)) {
    if (setId !== '') {
      throw usageError(`restore: --from ${from} is one set folder of the old layout; --set is for a repository`);
    }
    const abs = absolutePath(from).replace(/\/+$/, '');
    root = path.posix.dirname(path.posix.dirname(abs));
    setId = path.posix.basename(abs);
    // The repository reads a set of the old layout where it is, and one migrated meanwhile by its id.
    if (!fs.existsSync(abs) && !fs.existsSync(path.join(root, 'snapshots', `${setId}.json`))) {
      throw usageError(`${from}: no such backup set`);
    }
    oldSet = true;
  } else {
    root = existingFolder(from);
    if (layoutOf(root) === 'none') {
      throw usageError(`${from}: not a backup repository (no repository.json; a set of the old layout is ` +
        'given as DIR/sets/<set-id>)');
    }
  }
  const env = openDevice(ctx, args.value('scenario'));
  const repo = env.repo(ctx, root);
  const request = new RestoreRequest();
  request.setId = setId;
  request.apps = args.list('bundles') ?? [];
  let plan: RestorePlan;
  try {
    plan = await repo.planRestore(request);
  } catch (e) {
    throw cliErrorOf(e as Error, setId !== '' ? `${from}: set ${setId}` : `${from}: cannot be read`);
  }
  if (plan.apps.length === 0) {
    const why = plan.skipped.length > 0 ? ` (${skippedNote(plan).join('; ')})` : '';
    throw new CliError(`${from}: ${setId !== '' ? `set ${setId} holds` : 'the repository holds'} no app ` +
      `to restore${why}`, EXIT_FAILED);
  }
  const result = await runRestore(ctx, env, repo, request, plan);
  const out = restoreOutput(result, oldSet ? absolutePath(from) : setId !== '' ? `${root} (set ${setId})` : root);
  out.json.sets = plan.setIds;
  out.json.apps = plan.apps.map((a): Json => ({ id: a.appId, setId: a.setId, createdAt: isoTime(a.createdAt) }));
  return out;
}
