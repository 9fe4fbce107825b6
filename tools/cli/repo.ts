/*
 * The backup repository as the CLI opens it (a stop-gap until the CLI's own repository commands): this
 * process for the store lock, the lock's wait as for the set store, and a verification report in the
 * shape `verify` prints.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileStore } from '../../entry/src/main/ets/backup/port/FileStore';
import { SystemClock } from '../../entry/src/main/ets/backup/port/Clock';
import { REPO_HEADER_NAME } from '../../entry/src/main/ets/backup/repo/RepoLayout';
import { Repository, RepoSession } from '../../entry/src/main/ets/backup/repo/Repository';
import { RepoVerifyReport, VerifyOptions } from '../../entry/src/main/ets/backup/repo/RepoVerifier';
import { StoreLockedError } from '../../entry/src/main/ets/backup/store/BackupSetStore';
import { NodeProcessInfo } from '../host/NodeProcessInfo';
import { absolutePath, cliErrorOf, CliContext } from './context';
import { formatBytes, plural, table } from './format';
import { Json, JsonObject } from './output';
import { lockedError, lockWaitMs } from './store';

/** The repository at root, with this process's identity for its lock; waitMs overrides the env's wait. */
export function openRepo(ctx: CliContext, files: FileStore, root: string, waitMs?: number): Repository {
  return new Repository(files, absolutePath(root), ctx.logger, {
    clock: new SystemClock(), process: new NodeProcessInfo(),
    lockOptions: { waitMs: waitMs ?? lockWaitMs(), logger: ctx.logger },
  });
}

/** Whether root holds a repository (its header). */
export function isRepository(root: string): boolean {
  return fs.existsSync(path.join(absolutePath(root), REPO_HEADER_NAME));
}

/**
 * The repository's lock for a command that writes, taken before its run so that a busy repository is said
 * at once (lockedError). undefined when the lock cannot even be written (a full disk, a read-only one): the
 * run then takes it itself and fails on that with its own message, naming the folder.
 */
export async function lockRepo(ctx: CliContext, repo: Repository, purpose: string): Promise<RepoSession | undefined> {
  try {
    return await repo.lock(purpose);
  } catch (e) {
    if (e instanceof StoreLockedError) {
      throw lockedError(e, repo.root());
    }
    ctx.logger.warn('the repository lock was not taken: %{public}s', (e as Error).message);
    return undefined;
  }
}

/** Verifies the repository (or one set of it), every referenced blob rehashed once, with a progress bar. */
export async function runRepoVerify(ctx: CliContext, repo: Repository, setId: string): Promise<RepoVerifyReport> {
  const o = new VerifyOptions();
  o.setId = setId;
  o.full = true;
  o.onProgress = (done: number, total: number) => {
    ctx.progress.update(done, total, 'hashing', -1, 0);
  };
  ctx.progress.begin('verify', 0);
  try {
    return await repo.verify(o);
  } catch (e) {
    throw cliErrorOf(e as Error, `${repo.root()}: cannot verify`);
  } finally {
    ctx.progress.end();
  }
}

export function repoVerifyJson(report: RepoVerifyReport): JsonObject {
  return {
    setId: report.setIds.length === 1 ? report.setIds[0] : null,
    sets: report.setIds,
    ok: report.ok,
    filesChecked: report.blobsChecked,
    bytesChecked: report.bytesChecked,
    problems: report.problems.map((p): Json => ({
      blob: p.blob, kind: p.kind, detail: p.detail,
      uses: p.uses.map((u): Json => ({ setId: u.setId, bundleId: u.appId, uri: u.uri })),
    })),
  };
}

export function repoVerifyText(report: RepoVerifyReport, root: string): string {
  const checked = `${plural(report.blobsChecked, 'stored file', 'stored files')}, ${formatBytes(report.bytesChecked)}`;
  const what = report.setIds.length === 1 ? `Set ${report.setIds[0]}` : `The repository ${root}`;
  if (report.ok) {
    return `${what} is intact: ${checked} checked.\n`;
  }
  const rows: string[][] = [];
  for (const p of report.problems) {
    const places = p.uses.length === 0 ? ['(repository)'] :
      p.uses.map((u) => `${u.setId} ${u.appId === '' ? '(set)' : `${u.appId}/${u.uri}`}`);
    for (const place of places) {
      rows.push([place, p.kind, p.detail]);
    }
  }
  return `${what} has ${plural(report.problems.length, 'problem', 'problems')} (${checked} checked): ${root}\n\n` +
    table(['FILE', 'PROBLEM', 'DETAIL'], rows);
}
