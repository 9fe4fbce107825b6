/*
 * apps: each app of a repository with its newest good copy (the set holding it, when, size, version), how
 * many good copies there are, and its latest attempt when that failed. Reads only; takes no lock.
 */
import { BundleOutcome } from '../../../entry/src/main/ets/backup/model/SetManifest';
import { AppCopy, AppHistory } from '../../../entry/src/main/ets/backup/repo/AppHistory';
import { NodeFileStore } from '../../host/NodeFileStore';
import { CommandSpec, EXIT_OK, ParsedArgs } from '../args';
import { cliErrorOf, CliContext } from '../context';
import { formatBytes, formatTime, isoTime, plural, table } from '../format';
import { CommandOutput, Json, JsonObject } from '../output';
import { readSource } from '../archive';
import { openUnlocked } from '../repo';
import { KEY_OPTION } from '../repokey';

export const APPS_SPEC: CommandSpec = {
  name: 'apps',
  summary: 'list each app of a repository with its newest good copy and how many copies it has',
  details: [
    'One line per app (sorted by id): its newest good copy (the set holding it, its time, size and version)',
    'and how many good copies the repository keeps across all sets; an app without one shows its latest',
    'outcome, and an app whose latest attempt failed says so beside its older copy. `restore --from DIR`',
    'restores these newest copies by default. CHAIN is how many copies a restore of the newest one replays',
    '(1 for a full copy; a full copy and its increments otherwise). Exit 2 when DIR does not exist.',
  ],
  options: [KEY_OPTION],
  positionals: [{ name: 'DIR', help: 'the repository' }],
};

function copyJson(c: AppCopy): JsonObject {
  return {
    setId: c.setId, createdAt: isoTime(c.createdAt), createdAtMs: c.createdAt, files: c.fileCount, bytes: c.bytes,
    versionName: c.versionName, versionCode: c.versionCode, interrupted: c.interrupted,
    copy: c.incrementalBase !== null ? 'incremental' : 'full', base: c.incrementalBase?.setId ?? null,
    chainLength: c.chainLength, chainProblem: c.chainProblem === '' ? null : c.chainDetail,
  };
}

export function appJson(h: AppHistory): JsonObject {
  const newest = h.copies.length > 0 ? h.copies[0] : undefined;
  return {
    id: h.appId, name: h.name, appIndex: h.appIndex, copies: h.copies.length,
    newest: newest === undefined ? null : copyJson(newest),
    latest: {
      setId: h.latest.setId, createdAt: isoTime(h.latest.createdAt), outcome: h.latest.outcome,
      errorCode: h.latest.errorCode, errorKind: h.latest.errorKind, errorMessage: h.latest.errorMessage,
    },
    history: h.copies.map((c): Json => copyJson(c)),
  };
}

function latestNote(h: AppHistory): string {
  const l = h.latest;
  if (l.outcome === BundleOutcome.DONE) {
    return '';
  }
  const code = l.errorCode !== 0 ? ` (code ${l.errorCode})` : '';
  const why = l.errorMessage !== '' ? `: ${l.errorMessage}` : '';
  return `latest ${l.outcome} in ${l.setId}${why}${code}`;
}

export async function appsCommand(args: ParsedArgs, ctx: CliContext): Promise<CommandOutput> {
  const dir = args.positionals[0];
  const src = await readSource(ctx, dir);
  const root = src.root;
  const shown = src.display();
  const repo = await openUnlocked(ctx, new NodeFileStore(), root, args, dir);
  let apps: AppHistory[];
  try {
    apps = await repo.apps();
  } catch (e) {
    throw cliErrorOf(e as Error, `${dir}: cannot list the apps`);
  }
  const json: JsonObject = {
    command: 'apps', ok: true, exitCode: EXIT_OK, store: shown, apps: apps.map((h): Json => appJson(h)),
  };
  if (apps.length === 0) {
    return new CommandOutput(EXIT_OK, json, `No apps in ${shown}.\n`);
  }
  const rows = apps.map((h) => {
    const c = h.copies.length > 0 ? h.copies[0] : undefined;
    const note = latestNote(h);
    if (c === undefined) {
      return [h.appId, '-', '-', '0', '-', '-', '-', note !== '' ? `no good copy; ${note}` : 'no good copy'];
    }
    const version = c.versionName !== '' ? c.versionName : '-';
    // CHAIN: copies a restore of the newest one replays (1: a full copy; more: a full copy and increments).
    const chainNote = c.chainProblem !== '' ? `cannot be restored: ${c.chainDetail}` : '';
    const notes = [note, chainNote].filter((n) => n !== '').join('; ');
    return [h.appId, c.setId, formatTime(c.createdAt), String(h.copies.length), String(c.chainLength),
      formatBytes(c.bytes), version, notes];
  });
  const withNotes = rows.some((r) => r[7] !== '');
  const headers = ['APP', 'NEWEST SET', 'TIME', 'COPIES', 'CHAIN', 'SIZE', 'VERSION'];
  const align: ('left' | 'right')[] = ['left', 'left', 'left', 'right', 'right', 'right', 'left'];
  const text = `${plural(apps.length, 'app', 'apps')} in ${shown}:\n\n` + (withNotes ?
    table([...headers, 'NOTE'], rows, [...align, 'left']) : table(headers, rows.map((r) => r.slice(0, 7)), align));
  return new CommandOutput(EXIT_OK, json, text);
}
