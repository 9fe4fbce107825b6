/*
 * verify: a repository (every set, or one with --set): quick, every referenced blob there with its size;
 * --full, every referenced blob rehashed once however many sets share it. A bad blob is named with every
 * set, app and uri it affects. A set folder of the old layout (DIR/sets/<id>) is verified as before: every
 * file rehashed against set.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isValidSetId } from '../../../entry/src/main/ets/backup/model/SetManifest';
import { Repository } from '../../../entry/src/main/ets/backup/repo/Repository';
import { RepoProblem, RepoVerifyReport, VerifyOptions } from '../../../entry/src/main/ets/backup/repo/RepoVerifier';
import { BlobUse } from '../../../entry/src/main/ets/backup/repo/RepoIndex';
import { REPO_HEADER_NAME } from '../../../entry/src/main/ets/backup/repo/RepoLayout';
import { BackupSetStore, VerifyReport } from '../../../entry/src/main/ets/backup/store/BackupSetStore';
import { CommandSpec, EXIT_FAILED, EXIT_OK, ParsedArgs, usageError } from '../args';
import { absolutePath, cliErrorOf, CliContext, splitSetPath } from '../context';
import { existingFolder, layoutOf, openRepository, setIdOption } from '../repo';
import { NodeFileStore } from '../../host/NodeFileStore';
import { formatBytes, plural, table } from '../format';
import { CommandOutput, Json, JsonObject } from '../output';
export const VERIFY_SPEC: CommandSpec = {
  name: 'verify',
  summary: 'check a repository (or one set of it) against the sizes and checksums its sets record',
  details: [
    'Quick by default: every blob a set references is there with its recorded size, each set has its',
    'capability file and each done app its manage.json. --full also rehashes every blob once (however many',
    'sets share it) and parses what a restore would hand to the service. Each bad blob is named with every',
    'set, app and uri it affects. Exit 1 when there is any problem, 2 when DIR is no repository or --set',
    'names no set. DIR may also be a set folder of the old layout (<store>/sets/<set-id>): every file of it is',
    'rehashed against its set.json, as before.',
  ],
  options: [
    { name: 'set', value: 'ID', help: 'verify this set only (its blobs are still reported with every set using them)' },
    { name: 'full', help: 'rehash every blob (default: check that each is there with its size)' },
  ],
  positionals: [{ name: 'DIR', help: 'the repository, or a set folder of the old layout' }],
};

/** Verifies one set (used by verify and demo) with a progress bar. */
export async function runVerify(ctx: CliContext, store: BackupSetStore, setId: string, setPath: string): Promise<VerifyReport> {
  ctx.progress.begin('verify', 0);
  try {
    return await store.verify(setId, (done: number, total: number) => {
      ctx.progress.update(done, total, 'hashing', -1, 0);
    });
  } catch (e) {
    throw cliErrorOf(e as Error, `${setPath}: cannot verify`);
  } finally {
    ctx.progress.end();
  }
}

export function verifyJson(report: VerifyReport): JsonObject {
  return {
    setId: report.setId,
    ok: report.ok,
    filesChecked: report.filesChecked,
    bytesChecked: report.bytesChecked,
    problems: report.problems.map((p): Json => ({ bundleId: p.bundleId, uri: p.uri, kind: p.kind, detail: p.detail })),
  };
}

export function verifyText(report: VerifyReport, setDir: string): string {
  const checked = `${plural(report.filesChecked, 'file', 'files')}, ${formatBytes(report.bytesChecked)}`;
  if (report.ok) {
    return `Set ${report.setId} is intact: ${checked} checked.\n`;
  }
  const rows = report.problems.map((p) => {
    const file = p.bundleId === '' ? (p.uri === '' ? '(set)' : p.uri) : `${p.bundleId}/${p.uri}`;
    return [file, p.kind, p.detail];
  });
  return `Set ${report.setId} has ${plural(report.problems.length, 'problem', 'problems')} (${checked} checked): ` +
    `${setDir}\n\n${table(['FILE', 'PROBLEM', 'DETAIL'], rows)}`;
}

/** Whether PATH is a set folder of the old layout: <store>/sets/<set-id>, not a repository. */
export function isOldSetFolder(p: string): boolean {
  const abs = absolutePath(p).replace(/\/+$/, '');
  return path.posix.basename(path.posix.dirname(abs)) === 'sets' && isValidSetId(path.posix.basename(abs)) &&
    !fs.existsSync(path.join(abs, REPO_HEADER_NAME));
}

function useText(u: BlobUse): string {
  if (u.appId === '') {
    return u.uri === '' ? u.setId : `${u.setId} ${u.uri}`;
  }
  return `${u.setId} ${u.appId}/${u.uri}`;
}

function usesText(uses: BlobUse[]): string {
  const shown = uses.slice(0, 3).map((u) => useText(u)).join(', ');
  return uses.length > 3 ? `${shown} and ${uses.length - 3} more` : shown;
}

export function repoVerifyJson(r: RepoVerifyReport): JsonObject {
  return {
    full: r.full, sets: r.setIds, blobsChecked: r.blobsChecked, bytesChecked: r.bytesChecked,
    problems: r.problems.map((p: RepoProblem): Json => ({
      kind: p.kind, blob: p.blob === '' ? null : p.blob, detail: p.detail,
      uses: p.uses.map((u): Json => ({ setId: u.setId, appId: u.appId, uri: u.uri })),
    })),
    affectedSets: r.affectedSets(),
  };
}

export function repoVerifyText(r: RepoVerifyReport, root: string, setId: string): string {
  const what = setId !== '' ? `Set ${setId} of ${root}` : `Repository ${root}`;
  const sets = plural(r.setIds.length, 'set', 'sets');
  const how = r.full ? `${plural(r.blobsChecked, 'blob', 'blobs')} rehashed, ${formatBytes(r.bytesChecked)}` :
    `${plural(r.blobsChecked, 'blob', 'blobs')} present with their sizes (--full rehashes them)`;
  if (r.ok) {
    return `${what} is intact: ${sets}, ${how}.\n`;
  }
  const rows = r.problems.map((p) => [p.blob === '' ? '-' : p.blob.substring(0, 12), p.kind, p.detail, usesText(p.uses)]);
  return `${what} has ${plural(r.problems.length, 'problem', 'problems')} (${sets}, ${how}); ` +
    `affected sets: ${r.affectedSets().join(', ')}\n\n${table(['BLOB', 'PROBLEM', 'DETAIL', 'AFFECTS'], rows)}`;
}

/** Verifies a repository (or one set of it) with a progress bar (used by verify and demo). */
export async function runRepoVerify(ctx: CliContext, repo: Repository, setId: string, full: boolean): Promise<RepoVerifyReport> {
  const o = new VerifyOptions();
  o.setId = setId;
  o.full = full;
  o.onProgress = (done: number, total: number) => ctx.progress.update(done, total, 'hashing', -1, 0);
  ctx.progress.begin('verify', 0);
  try {
    return await repo.verify(o);
  } catch (e) {
    throw cliErrorOf(e as Error, `${repo.root()}: cannot verify`);
  } finally {
    ctx.progress.end();
  }
}

async function verifyRepository(args: ParsedArgs, ctx: CliContext, dir: string,
  set: string | undefined): Promise<CommandOutput> {
  const root = existingFolder(dir);
  const setId = setIdOption(set) ?? '';
  const layout = layoutOf(root);
  if (layout === 'none') {
    throw usageError(`${dir}: not a backup repository (no ${REPO_HEADER_NAME} and no sets/ folder)`);
  }
  const repo = openRepository(ctx, new NodeFileStore(), root);
  let report: RepoVerifyReport;
  try {
    report = await runRepoVerify(ctx, repo, setId, args.flag('full'));
  } catch (e) {
    if (setId !== '' && fs.existsSync(path.join(root, 'sets', setId, 'set.json'))) {
      return verifyOldSet(ctx, path.join(root, 'sets', setId));
    }
    throw e;
  }
  if (layout === 'sets' && report.setIds.length === 0) {
    return verifyOldStore(ctx, root, dir);
  }
  const code = report.ok ? EXIT_OK : EXIT_FAILED;
  const json: JsonObject = {
    command: 'verify', ok: report.ok, exitCode: code, store: root, setId: setId === '' ? null : setId,
    ...repoVerifyJson(report),
  };
  return new CommandOutput(code, json, repoVerifyText(report, root, setId));
}

/** A folder of the old layout only (the repository does not read it yet): each of its sets, as before. */
async function verifyOldStore(ctx: CliContext, root: string, dir: string): Promise<CommandOutput> {
  const store = new BackupSetStore(new NodeFileStore(), root, ctx.logger);
  let ids: string[];
  try {
    ids = (await store.list()).map((s) => s.id);
  } catch (e) {
    throw cliErrorOf(e as Error, `${dir}: cannot list the sets`);
  }
  const reports: VerifyReport[] = [];
  for (const id of ids) {
    reports.push(await runVerify(ctx, store, id, store.setDir(id)));
  }
  const ok = reports.every((r) => r.ok);
  const code = ok ? EXIT_OK : EXIT_FAILED;
  const json: JsonObject = {
    command: 'verify', ok, exitCode: code, store: root, layout: 'sets', reports: reports.map((r): Json => verifyJson(r)),
  };
  const text = reports.length === 0 ? `No backup sets in ${root}.\n` :
    reports.map((r) => verifyText(r, store.setDir(r.setId))).join('\n');
  return new CommandOutput(code, json, text);
}

export async function verifyCommand(args: ParsedArgs, ctx: CliContext): Promise<CommandOutput> {
  const dir = args.positionals[0];
  if (!isOldSetFolder(dir)) {
    return verifyRepository(args, ctx, dir, args.value('set'));
  }
  const abs = absolutePath(dir).replace(/\/+$/, '');
  const root = path.posix.dirname(path.posix.dirname(abs));
  const setId = path.posix.basename(abs);
  if (!fs.existsSync(abs) && fs.existsSync(path.join(root, 'snapshots', `${setId}.json`))) {
    // Migrated into the repository since (same id): verified there.
    return verifyRepository(args, ctx, root, setId);
  }
  if (args.value('set') !== undefined) {
    throw usageError(`verify: ${dir} is one set folder of the old layout; --set is for a repository`);
  }
  return verifyOldSet(ctx, dir);
}

async function verifyOldSet(ctx: CliContext, setPath: string): Promise<CommandOutput> {
  const where = splitSetPath(setPath);
  const store = new BackupSetStore(new NodeFileStore(), where.root, ctx.logger);
  const report = await runVerify(ctx, store, where.id, setPath);
  const code = report.ok ? EXIT_OK : EXIT_FAILED;
  const json: JsonObject = { command: 'verify', ok: report.ok, exitCode: code, set: store.setDir(where.id), ...verifyJson(report) };
  return new CommandOutput(code, json, verifyText(report, store.setDir(where.id)));
}
