/*
 * prune: retention per app. Keeps the newest N good copies of each app and deletes every set that holds
 * none of them (so no app ever loses its newest good copy), then collects the blobs no set references any
 * more. Prints each set it deletes with the apps whose copies go with it, and the bytes freed. Holds the
 * repository's lock; --dry-run only says what it would delete.
 */
import { DeletionPlan, SetDeletion } from '../../../entry/src/main/ets/backup/repo/Retention';
import { DeletionResult } from '../../../entry/src/main/ets/backup/repo/Repository';
import { NodeFileStore } from '../../host/NodeFileStore';
import { CliError, CommandSpec, EXIT_FAILED, EXIT_OK, ParsedArgs, usageError } from '../args';
import { cliErrorOf, CliContext } from '../context';
import { formatBytes, formatTime, isoTime, plural, table } from '../format';
import { CommandOutput, Json, JsonObject } from '../output';
import { existingFolder, inSession, layoutOf, openRepository } from '../repo';

export const PRUNE_SPEC: CommandSpec = {
  name: 'prune',
  summary: 'keep the newest N good copies of each app; delete the sets that hold none of them',
  details: [
    'Per app, not per set: a set is deleted only when every good copy it holds is older than the newest N of',
    'its app, so backing up one app never costs another app its copies. Sets that cannot be read are never',
    'deleted by prune. Then the content no remaining set references is removed. Prints each deleted set with',
    'the apps whose copies went with it, and the bytes freed. Exit 2 when N is not a whole number of at',
    'least 1 or DIR is no repository; 1 when the deletion failed part-way (what was deleted stays deleted).',
  ],
  options: [
    { name: 'keep', value: 'N', help: 'good copies to keep per app (at least 1)', required: true },
    { name: 'dry-run', help: 'print what would be deleted and freed, delete nothing' },
  ],
  positionals: [{ name: 'DIR', help: 'the repository' }],
};

/** --keep N: a whole number from 1 (0 would delete every app's last copy: refused). */
export function keepOption(text: string): number {
  const n = Number(text);
  if (!/^[0-9]+$/.test(text.trim()) || !Number.isSafeInteger(n)) {
    throw usageError(`--keep ${text}: expected a whole number of copies per app (at least 1)`);
  }
  if (n < 1) {
    throw usageError(`--keep ${text}: at least 1 (prune never deletes an app's newest good copy)`);
  }
  return n;
}

function deletionJson(d: SetDeletion): JsonObject {
  return { id: d.setId, createdAt: isoTime(d.createdAt), damaged: d.damaged, apps: d.apps };
}

function planText(plan: DeletionPlan, verb: string): string {
  if (plan.sets.length === 0) {
    return '';
  }
  const rows = plan.sets.map((d) => [d.setId, d.createdAt > 0 ? formatTime(d.createdAt) : '-',
    d.apps.length > 0 ? d.apps.join(', ') : '(no good copy)']);
  return `${verb} ${plural(plan.sets.length, 'set', 'sets')}:\n\n${table(['SET', 'TIME', 'COPIES OF'], rows)}`;
}

export async function pruneCommand(args: ParsedArgs, ctx: CliContext): Promise<CommandOutput> {
  const dir = args.positionals[0];
  const keep = keepOption(args.required('keep'));
  const root = existingFolder(dir);
  if (layoutOf(root) !== 'repository') {
    throw usageError(`${dir}: not a backup repository (no repository.json)`);
  }
  const repo = openRepository(ctx, new NodeFileStore(), root);
  const dryRun = args.flag('dry-run');
  let plan: DeletionPlan;
  let result: DeletionResult | undefined = undefined;
  try {
    if (dryRun) {
      plan = await repo.planRetention(keep);
    } else {
      result = await inSession(ctx, repo, 'prune', (s) => s.applyRetention(keep));
      plan = result.plan;
    }
  } catch (e) {
    throw cliErrorOf(e as Error, `${dir}: cannot prune`);
  }
  const deleted = result === undefined ? [] : result.deleted;
  const gc = result?.gc ?? null;
  // What was freed: the sweep's count when it ran, else what the plan said only the deleted sets held.
  const bytesFreed = gc !== null && gc.swept ? gc.bytesFreed : plan.bytesFreed;
  const json: JsonObject = {
    command: 'prune', ok: true, exitCode: EXIT_OK, store: root, keep, dryRun,
    sets: plan.sets.map((d): Json => deletionJson(d)), deleted, copiesDeleted: plan.copiesDeleted,
    blobsFreed: gc !== null && gc.swept ? gc.blobsRemoved : plan.blobsFreed, bytesFreed,
    collected: gc === null ? null : { swept: gc.swept, skipReason: gc.skipReason === '' ? null : gc.skipReason,
      blobsRemoved: gc.blobsRemoved, bytesFreed: gc.bytesFreed, blobsLeft: gc.blobsLeft },
  };
  if (!dryRun && deleted.length !== plan.sets.length) {
    throw new CliError(`${dir}: prune deleted ${deleted.length} of ${plan.sets.length} sets`, EXIT_FAILED, json);
  }
  let text: string;
  if (plan.sets.length === 0) {
    text = `Nothing to prune in ${root}: every set holds one of the newest ${keep} good ` +
      `${keep === 1 ? 'copy' : 'copies'} of an app.\n`;
  } else {
    text = `${planText(plan, dryRun ? 'Would delete' : 'Deleted')}\n` +
      `${dryRun ? 'Would free' : 'Freed'} ${formatBytes(bytesFreed)} ` +
      `(${plural(plan.copiesDeleted, 'app copy', 'app copies')} older than the newest ${keep} of their app).\n`;
    if (gc !== null && !gc.swept && gc.skipReason !== '') {
      text += `Content was not collected: ${gc.skipReason} (the next writer collects it).\n`;
    }
  }
  return new CommandOutput(EXIT_OK, json, text);
}
