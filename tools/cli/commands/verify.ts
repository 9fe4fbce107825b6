/*
 * verify: re-hash every file of a backup set and check it against the set's manifest.
 */
import { BackupSetStore, VerifyReport } from '../../../entry/src/main/ets/backup/store/BackupSetStore';
import { CommandSpec, EXIT_FAILED, EXIT_OK, ParsedArgs } from '../args';
import { absolutePath, cliErrorOf, CliContext, splitSetPath } from '../context';
import { isRepository, openRepo, repoVerifyJson, repoVerifyText, runRepoVerify } from '../repo';
import { NodeFileStore } from '../../host/NodeFileStore';
import { formatBytes, plural, table } from '../format';
import { CommandOutput, Json, JsonObject } from '../output';

export const VERIFY_SPEC: CommandSpec = {
  name: 'verify',
  summary: 'check every file of a backup set against its recorded size and sha256',
  details: [
    'Names each bad file: missing, wrong size, checksum mismatch, a file the set does not list (extra),',
    'or a manifest problem (manage.json and set.json disagree). Exit 1 when there is any problem,',
    '2 when SET is not a readable backup set. A backup repository (as given to `backup --to`) is verified',
    'whole: every stored file rehashed once, however many sets share it, each problem with every set and app',
    'it affects.',
  ],
  options: [],
  positionals: [{ name: 'SET', help: 'the backup set folder (<store>/sets/<set-id>), or a repository folder' }],
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

export async function verifyCommand(args: ParsedArgs, ctx: CliContext): Promise<CommandOutput> {
  const setPath = args.positionals[0];
  if (isRepository(setPath)) {
    const root = absolutePath(setPath);
    const report = await runRepoVerify(ctx, openRepo(ctx, new NodeFileStore(), root), '');
    const code = report.ok ? EXIT_OK : EXIT_FAILED;
    const json: JsonObject = { command: 'verify', ok: report.ok, exitCode: code, set: root, ...repoVerifyJson(report) };
    return new CommandOutput(code, json, repoVerifyText(report, root));
  }
  const where = splitSetPath(setPath);
  const store = new BackupSetStore(new NodeFileStore(), where.root, ctx.logger);
  const report = await runVerify(ctx, store, where.id, setPath);
  const code = report.ok ? EXIT_OK : EXIT_FAILED;
  const json: JsonObject = { command: 'verify', ok: report.ok, exitCode: code, set: store.setDir(where.id), ...verifyJson(report) };
  return new CommandOutput(code, json, verifyText(report, store.setDir(where.id)));
}
