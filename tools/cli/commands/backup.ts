/*
 * backup: a new backup set of the simulated device's apps in the repository at a folder.
 */
import * as fs from 'node:fs';
import { CapabilityFile, isBackupAllowed } from '../../../entry/src/main/ets/backup/model/Capabilities';
import { RunOutcome, RunResult } from '../../../entry/src/main/ets/backup/model/RunResult';
import { Repository, RepoSession } from '../../../entry/src/main/ets/backup/repo/Repository';
import { SnapshotManifest, summarizeSnapshot } from '../../../entry/src/main/ets/backup/repo/SnapshotManifest';
import { BackupRun } from '../../../entry/src/main/ets/backup/session/BackupRun';
import { CliError, CommandSpec, EXIT_FAILED, EXIT_OK, ParsedArgs, usageError } from '../args';
import { absolutePath, cliErrorOf, CliContext } from '../context';
import { DeviceEnv, openDevice, scenarioHelp } from '../device';
import { CommandOutput, JsonObject } from '../output';
import { bundleTable, outcomeLine, resultJson, runErrorLine, runWithProgress } from '../runs';
import { lockForRun } from '../repo';

export const BACKUP_SPEC: CommandSpec = {
  name: 'backup',
  summary: 'back up apps of the simulated device into a new backup set under DIR',
  details: [
    'DIR is the backup repository (created when missing): every file is stored once by its content, and the',
    'new set appears in one step when the run ends. Without --bundles every app that allows backup is included.',
    'Prints the new set\'s id and a result per app: done, or failed with the reason and the raw service code.',
    'Exit 0 when every app is done, 1 when any app failed (a partial set is still kept).',
    '',
    ...scenarioHelp(),
  ],
  options: [
    { name: 'to', value: 'DIR', help: 'the repository folder (created when missing)', required: true },
    { name: 'bundles', value: 'A,B', help: 'bundle ids to back up (clones as name:index); default: every allowed app' },
    { name: 'scenario', value: 'S', help: 'mock scenario(s) for the simulated service, store-full:<bytes> for this disk' },
  ],
  positionals: [],
};

/** The bundles a backup includes by default: every app the capability file allows. */
export async function allowedBundles(env: DeviceEnv): Promise<string[]> {
  let caps: CapabilityFile;
  try {
    caps = await env.readCapabilities();
  } catch (e) {
    throw cliErrorOf(e as Error, 'cannot read the device\'s capability file');
  }
  return caps.bundles.filter((b) => isBackupAllowed(b)).map((b) => b.id);
}

export class BackupOutcome {
  readonly result: RunResult;
  /** The committed set's manifest; undefined when no set was kept. */
  readonly manifest: SnapshotManifest | undefined;
  /** The repository folder. */
  readonly setDir: string;

  constructor(result: RunResult, manifest: SnapshotManifest | undefined, setDir: string) {
    this.result = result;
    this.manifest = manifest;
    this.setDir = setDir;
  }
}

/** Runs one backup into the repository (used by backup and demo); the run releases the session it is given. */
export async function runBackup(ctx: CliContext, env: DeviceEnv, repo: Repository, ids: string[],
  session?: RepoSession): Promise<BackupOutcome> {
  const run = new BackupRun({ module: env.module, files: env.files, repo, logger: ctx.logger }, ids, session);
  const result = await runWithProgress(ctx, run, 'backup');
  if (result.setId === '') {
    return new BackupOutcome(result, undefined, '');
  }
  let manifest: SnapshotManifest;
  try {
    manifest = await repo.getSet(result.setId);
  } catch (e) {
    throw cliErrorOf(e as Error, `the new set ${result.setId} cannot be read back`);
  }
  return new BackupOutcome(result, manifest, repo.root());
}

function statusOf(m: SnapshotManifest): string {
  return summarizeSnapshot(m).complete ? 'complete' : 'partial';
}

export function backupOutput(out: BackupOutcome, storeRoot: string): CommandOutput {
  const r = out.result;
  const lines: string[] = [];
  const setJson: JsonObject | null = out.manifest === undefined ? null :
    { id: out.manifest.id, path: out.setDir, status: statusOf(out.manifest) };
  if (out.manifest !== undefined) {
    lines.push(`Backup set ${out.manifest.id} (${statusOf(out.manifest)}): ${out.setDir}`);
  } else {
    lines.push('No backup set was kept: no app was backed up.');
  }
  const runError = runErrorLine(r, 'backup');
  if (runError !== '') {
    lines.push(runError);
  }
  if (r.bundles.length > 0) {
    lines.push('', bundleTable(r).trimEnd(), '');
  }
  lines.push(outcomeLine(r, 'backed up'));
  const ok = r.outcome === RunOutcome.SUCCEEDED && out.manifest !== undefined &&
    summarizeSnapshot(out.manifest).complete;
  const code = ok ? EXIT_OK : EXIT_FAILED;
  const json: JsonObject = { command: 'backup', ok, exitCode: code, store: storeRoot, set: setJson, ...resultJson(r) };
  return new CommandOutput(code, json, `${lines.join('\n')}\n`);
}

export async function backupCommand(args: ParsedArgs, ctx: CliContext): Promise<CommandOutput> {
  const root = absolutePath(args.required('to'));
  const env = openDevice(ctx, args.value('scenario'));
  if (fs.existsSync(root) && !fs.statSync(root).isDirectory()) {
    throw usageError(`--to ${args.required('to')}: not a folder`);
  }
  try {
    fs.mkdirSync(root, { recursive: true });
  } catch (e) {
    throw new CliError(`--to ${args.required('to')}: cannot create the folder: ${(e as Error).message}`, EXIT_FAILED);
  }
  const ids = args.list('bundles') ?? await allowedBundles(env);
  if (ids.length === 0) {
    throw new CliError('the device has no app that allows backup', EXIT_FAILED);
  }
  const repo = env.repo(ctx, root);
  // One writer at a time: say who holds the repository before the run starts (its recovery also records
  // what a run that was killed had saved); the run releases the lock when it ends.
  const session = await lockForRun(ctx, repo, 'backup');
  return backupOutput(await runBackup(ctx, env, repo, ids, session), root);
}
