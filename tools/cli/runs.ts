/*
 * Running a backup or restore run from the CLI (progress bar, Ctrl-C cancels cleanly) and turning its
 * RunResult into text and JSON.
 */
import { ErrorKind } from '../../entry/src/main/ets/backup/model/Errors';
import { BundleState, RunKind, RunProgress } from '../../entry/src/main/ets/backup/model/Progress';
import { BundleResult, RunOutcome, RunResult } from '../../entry/src/main/ets/backup/model/RunResult';
import { BackupRun } from '../../entry/src/main/ets/backup/session/BackupRun';
import { RestoreRun } from '../../entry/src/main/ets/backup/session/RestoreRun';
import { ChainRestoreRun } from '../../entry/src/main/ets/backup/session/ChainRestore';
import { CliContext } from './context';
import { formatBytes, formatDuration, table } from './format';
import { errorJson, errorText, Json, JsonObject } from './output';

/** Runs to the end with a progress bar; Ctrl-C cancels the run (what finished is kept). */
export async function runWithProgress(ctx: CliContext, run: BackupRun | RestoreRun | ChainRestoreRun,
  label: string): Promise<RunResult> {
  ctx.progress.begin(label, 0);
  run.onProgress((p: RunProgress) => {
    const settled = p.bundlesDone + p.bundlesFailed + p.bundlesCancelled;
    // A chain restore says which of its restore sessions runs ("copy 2 of 3").
    const level = p.levels > 1 ? `, copy ${p.level} of ${p.levels}` : '';
    ctx.progress.update(p.bytesDone, p.bytesTotal, `${settled}/${p.bundlesTotal} apps${level}`, p.etaMs,
      p.bytesPerSecond);
  });
  ctx.setCanceller(() => run.cancel());
  try {
    return await run.start();
  } finally {
    ctx.setCanceller(undefined);
    ctx.progress.end();
  }
}

function stateWord(b: BundleResult): string {
  switch (b.state) {
    case BundleState.DONE:
      return 'done';
    case BundleState.FAILED:
      return 'failed';
    case BundleState.CANCELLED:
      return 'cancelled';
    default:
      return 'not run';
  }
}

export function bundleJson(b: BundleResult): JsonObject {
  return {
    id: b.id,
    state: b.state,
    files: b.files.length,
    bytes: b.bytes,
    // Backup: the copy holds only what changed since the copy in set base (issue 12); bytes = transferred.
    copy: b.state === BundleState.DONE ? (b.incremental ? 'incremental' : 'full') : null,
    base: b.incremental ? b.baseSetId : null,
    error: errorJson(b.error),
    resultReport: b.resultReport,
    processErrors: b.processErrors,
  };
}

export function resultJson(r: RunResult): JsonObject {
  return {
    kind: r.kind,
    outcome: r.outcome,
    error: errorJson(r.error),
    conflict: r.conflict === undefined ? null : {
      holder: r.conflict.holder, activeTime: r.conflict.activeTime, scenario: r.conflict.scenario,
      userId: r.conflict.userId,
    },
    setId: r.setId,
    bundles: r.bundles.map((b): Json => bundleJson(b)),
    unfinished: r.unfinished,
    elapsedMs: Math.max(0, r.finishedAt - r.startedAt),
  };
}

/** The per-bundle table: app, result, files, size, and the reason in words with the raw code. */
export function bundleTable(r: RunResult): string {
  const backup = r.kind === RunKind.BACKUP;
  const rows = r.bundles.map((b) => {
    const reason = b.error !== undefined && b.state !== BundleState.DONE ? errorText(b.error) : '';
    const done = b.state === BundleState.DONE;
    // A backup says which copies are incremental (their size is what was transferred).
    const word = backup && done ? `${stateWord(b)}, ${b.incremental ? 'incremental' : 'full'}` : stateWord(b);
    return [b.id, word, done ? String(b.files.length) : '-', done ? formatBytes(b.bytes) : '-', reason];
  });
  if (rows.every((row) => row[4] === '')) {
    return table(['APP', 'RESULT', 'FILES', 'SIZE'], rows.map((row) => row.slice(0, 4)), ['left', 'left', 'right', 'right']);
  }
  return table(['APP', 'RESULT', 'FILES', 'SIZE', 'REASON'], rows, ['left', 'left', 'right', 'right', 'left']);
}

export function countDone(r: RunResult): number {
  return r.bundles.filter((b) => b.state === BundleState.DONE).length;
}

export function bytesDone(r: RunResult): number {
  return r.bundles.filter((b) => b.state === BundleState.DONE).reduce((n, b) => n + b.bytes, 0);
}

/** One line saying how the run ended. */
export function outcomeLine(r: RunResult, verb: string): string {
  const done = countDone(r);
  const total = r.bundles.length;
  const took = formatDuration(Math.max(0, r.finishedAt - r.startedAt));
  const head = `${done} of ${total} app${total === 1 ? '' : 's'} ${verb}, ${formatBytes(bytesDone(r))} in ${took}`;
  switch (r.outcome) {
    case RunOutcome.SUCCEEDED:
      return `${head}.`;
    case RunOutcome.CANCELLED:
      return `${head}; cancelled.`;
    case RunOutcome.SERVICE_DIED:
      return `${head}; the backup service stopped during the run. Retry: --bundles ${r.unfinished.join(',')}`;
    default:
      return `${head}.`;
  }
}

/** The run-level error in words ('' when there is none), e.g. a session conflict or a missing permission. */
export function runErrorLine(r: RunResult, verb: string): string {
  const e = r.error;
  if (e === undefined) {
    return '';
  }
  if (e.kind === ErrorKind.SESSION_CONFLICT && r.conflict !== undefined) {
    const c = r.conflict;
    const who = c.holder !== '' ? c.holder : 'another app';
    const since = c.activeTime !== '' ? ` since ${c.activeTime}` : '';
    return `The ${verb} could not start: ${who} holds the backup service (${c.scenario || 'session'}${since}) ` +
      `(code ${e.rawCode})`;
  }
  return `The ${verb} ${r.bundles.some((b) => b.state === BundleState.DONE) ? 'ended early' : 'failed'}: ${errorText(e)}`;
}
