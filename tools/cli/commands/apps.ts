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
import { existingFolder, openRepository } from '../repo';

export const APPS_SPEC: CommandSpec = {
  name: 'apps',
  summary: 'list each app of a repository with its newest good copy and how many copies it has',
  details: [
    'One line per app (sorted by id): its newest good copy (the set holding it, its time, size and version)',
    'and how many good copies the repository keeps across all sets; an app without one shows its latest',
    'outcome, and an app whose latest attempt failed says so beside its older copy. `restore --from DIR`',
    'restores these newest copies by default. Exit 2 when DIR does not exist.',
  ],
  options: [],
  positionals: [{ name: 'DIR', help: 'the repository' }],
};

function copyJson(c: AppCopy): JsonObject {
  return {
    setId: c.setId, createdAt: isoTime(c.createdAt), createdAtMs: c.createdAt, files: c.fileCount, bytes: c.bytes,
    versionName: c.versionName, versionCode: c.versionCode, interrupted: c.interrupted,
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
  const root = existingFolder(dir);
  const repo = openRepository(ctx, new NodeFileStore(), root);
  let apps: AppHistory[];
  try {
    apps = await repo.apps();
  } catch (e) {
    throw cliErrorOf(e as Error, `${dir}: cannot list the apps`);
  }
  const json: JsonObject = {
    command: 'apps', ok: true, exitCode: EXIT_OK, store: root, apps: apps.map((h): Json => appJson(h)),
  };
  if (apps.length === 0) {
    return new CommandOutput(EXIT_OK, json, `No apps in ${root}.\n`);
  }
  const rows = apps.map((h) => {
    const c = h.copies.length > 0 ? h.copies[0] : undefined;
    const note = latestNote(h);
    if (c === undefined) {
      return [h.appId, '-', '-', '0', '-', '-', note !== '' ? `no good copy; ${note}` : 'no good copy'];
    }
    const version = c.versionName !== '' ? c.versionName : '-';
    return [h.appId, c.setId, formatTime(c.createdAt), String(h.copies.length), formatBytes(c.bytes), version, note];
  });
  const withNotes = rows.some((r) => r[6] !== '');
  const headers = ['APP', 'NEWEST SET', 'TIME', 'COPIES', 'SIZE', 'VERSION'];
  const align: ('left' | 'right')[] = ['left', 'left', 'left', 'right', 'right', 'left'];
  const text = `${plural(apps.length, 'app', 'apps')} in ${root}:\n\n` + (withNotes ?
    table([...headers, 'NOTE'], rows, [...align, 'left']) : table(headers, rows.map((r) => r.slice(0, 6)), align));
  return new CommandOutput(EXIT_OK, json, text);
}
