/*
 * demo (npm start): back up every allowed app of the simulated device into a temporary store, verify
 * the set, restore it, and summarise.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunOutcome, RunResult } from '../../../entry/src/main/ets/backup/model/RunResult';
import { RepoVerifyReport } from '../../../entry/src/main/ets/backup/repo/RepoVerifier';
import { RestoreRequest } from '../../../entry/src/main/ets/backup/repo/RestorePlan';
import { CommandSpec, EXIT_FAILED, EXIT_OK, ParsedArgs } from '../args';
import { absolutePath, CliContext } from '../context';
import { openDevice, scenarioHelp } from '../device';
import { formatBytes, formatDuration } from '../format';
import { CommandOutput, JsonObject } from '../output';
import { allowedBundles, backupOutput, runBackup } from './backup';
import { restorableBundles, restoreOutput, runRestore } from './restore';
import { repoVerifyJson, repoVerifyText, runRepoVerify } from './verify';

export const DEMO_SPEC: CommandSpec = {
  name: 'demo',
  summary: 'back up every allowed app, verify the set, restore it, and summarise',
  details: [
    'Works in a temporary store folder that is removed afterwards (--keep keeps it and prints where).',
    'Exit 0 when the backup, the verification and the restore all succeeded, else 1.',
    '',
    ...scenarioHelp(),
  ],
  options: [
    { name: 'keep', help: 'keep the temporary store folder' },
    { name: 'scenario', value: 'S', help: 'mock scenario(s) for the simulated service' },
  ],
  positionals: [],
};

function phase(ctx: CliContext, text: string): void {
  ctx.note(text);
}

export async function demoCommand(args: ParsedArgs, ctx: CliContext): Promise<CommandOutput> {
  const started = Date.now();
  const env = openDevice(ctx, args.value('scenario'));
  const keep = args.flag('keep');
  const root = absolutePath(keep ? fs.mkdtempSync(path.join(os.tmpdir(), 'backup-manager-demo-')) : ctx.tempDir('demo'));
  const repo = env.repo(ctx, root);
  const ids = await allowedBundles(env);
  phase(ctx, `1/3 Backing up ${ids.length} apps of the simulated device (${env.device.deviceType}, ` +
    `${env.device.systemFullName})...`);
  const backup = await runBackup(ctx, env, repo, ids);
  const backupOut = backupOutput(backup, root);
  const sections: string[] = [backupOut.text];
  const json: JsonObject = { command: 'demo', store: keep ? root : null, backup: backupOut.json };
  let report: RepoVerifyReport | undefined = undefined;
  let restore: RunResult | undefined = undefined;
  if (backup.manifest !== undefined) {
    phase(ctx, '2/3 Verifying the set...');
    report = await runRepoVerify(ctx, repo, backup.manifest.id, true);
    sections.push(repoVerifyText(report, backup.setDir, backup.manifest.id));
    json.verify = repoVerifyJson(report);
    const restoreIds = restorableBundles(backup.manifest);
    phase(ctx, `3/3 Restoring ${restoreIds.length} apps into the simulated device...`);
    const request = new RestoreRequest();
    request.setId = backup.manifest.id;
    request.apps = restoreIds;
    restore = await runRestore(ctx, env, repo, request);
    const out = restoreOutput(restore, backup.setDir);
    sections.push(out.text);
    json.restore = out.json;
  } else {
    sections.push('Nothing to verify or restore.\n');
    json.verify = null;
    json.restore = null;
  }
  const backedUp = backup.result.outcome === RunOutcome.SUCCEEDED;
  const verified = report !== undefined && report.ok;
  const restored = restore !== undefined && restore.outcome === RunOutcome.SUCCEEDED;
  const ok = backedUp && verified && restored;
  const size = backup.manifest === undefined ? 0 :
    backup.manifest.apps.reduce((n, b) => n + b.files.reduce((m, f) => m + f.size, 0), 0);
  const summary = `Demo ${ok ? 'succeeded' : 'found problems'}: backup ${backedUp ? 'ok' : 'not ok'}, ` +
    `verification ${verified ? 'ok' : 'not ok'}, restore ${restored ? 'ok' : 'not ok'}; ` +
    `${formatBytes(size)} in ${formatDuration(Date.now() - started)}.` +
    (keep ? `\nThe store is kept in ${root}.` : '');
  const code = ok ? EXIT_OK : EXIT_FAILED;
  json.ok = ok;
  json.exitCode = code;
  return new CommandOutput(code, json, `${sections.join('\n')}\n${summary}\n`);
}
