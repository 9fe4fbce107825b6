/*
 * Host-only: what the CLI does with what a person types (issue 9, items 7 and 8). Arguments are parsed
 * strictly (a flag where a value belongs, an empty value, a value that looks like an option: exit 2, and
 * nothing is written); --help --json is JSON; the mock's numbers and the time scale are bounded; tables of
 * any size print. All in this process (CliKit.cliIn): none of it is about the process.
 */
import { describe, expect, it } from '@ohos/hypium';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { VerifyProblem, VerifyReport } from '../../entry/src/main/ets/backup/store/SetVerifier';
import { table } from '../cli/format';
import { verifyText } from '../cli/commands/verify';
import { cliIn, CliRun, withTempDir } from './CliKit';

/** The case, its exit code and whether stderr is one 'backup-manager: ' line, as one comparable string. */
function outcome(args: string[], r: CliRun): string {
  const lines = r.errLines();
  const oneLine = lines.length === 1 && lines[0].startsWith('backup-manager: ');
  return `${JSON.stringify(args)} -> ${r.code}${oneLine ? '' : ` stderr: ${r.stderr}`}`;
}

/** A capability file of n valid apps (com.example.app0 ...), as the service writes it (compact here). */
function bigCapsText(n: number): string {
  const infos: string[] = [];
  for (let i = 0; i < n; i++) {
    infos.push(`{"allToBackup":true,"extensionName":"BackupExtensionAbility","name":"com.example.app${i}",` +
      `"spaceOccupied":${i},"versionCode":${i},"versionName":"1.0.${i}"}`);
  }
  return `{"backupVersion":"26","bundleInfos":[${infos.join(',')}],"deviceType":"phone",` +
    '"systemFullName":"OpenHarmony-6.0.0.0"}';
}

/** The usage errors of a few bad command lines, run in cwd (so nothing lands in the repository if one runs). */
async function usageMessagesIn(cwd: string): Promise<void> {
  const flag = await cliIn(['backup', '--to', '--json'], undefined, cwd);
  expect(flag.code).assertEqual(2);
  // Named on stderr; as --json was typed, stdout holds the error document, not a backup's result.
  expect(flag.stderr).assertContain('--to needs a value (DIR)');
  expect(flag.stderr).assertContain('\'--json\'');
  expect(flag.json().ok).assertEqual(false);
  expect(flag.json().exitCode).assertEqual(2);
  const empty = await cliIn(['restore', '--from', ''], undefined, cwd);
  expect(empty.stderr).assertContain('--from needs a value (DIR), got an empty one');
  const looks = await cliIn(['caps', '--file=-v'], undefined, cwd);
  expect(looks.stderr).assertContain('looks like an option');
  expect(looks.stderr).assertContain('./-v');
  const unknown = await cliIn(['backup', '--frob'], undefined, cwd);
  expect(unknown.stderr).assertContain('unknown option \'--frob\'');
  const twice = await cliIn(['backup', '--to', 'a', '--to', 'b'], undefined, cwd);
  expect(twice.stderr).assertContain('--to given twice');
}

export default function cliInputTests(): void {
  describe('CliArguments', () => {
    it('aFlagOrNothingWhereAValueBelongsIsAUsageErrorAndWritesNothing', 0, async () => {
      await withTempDir('args', async (cwd: string) => {
        const store = path.join(cwd, 'store');
        const cases: string[][] = [
          ['backup', '--to', '--json'],
          ['backup', '--to', '--verbose', store],
          ['backup', '--to', ''],
          ['backup', '--to='],
          ['backup', '--to=--json'],
          ['backup', '--to', '-x'],
          ['backup', '--to', store, '--bundles', ''],
          ['backup', '--to', store, '--bundles', '--json'],
          ['backup', '--to', store, '--scenario', ''],
          ['backup', '--to', store, '--to', store],
          ['backup', '--to', store, '--json=yes'],
          ['restore', '--from', ''],
          ['restore', '--from', '--json'],
          ['caps', '--file', ''],
          ['caps', '--file', '--json'],
          ['caps', '--file'],
          ['verify', ''],
          ['sets', ''],
          ['sets', store, 'extra'],
        ];
        for (const c of cases) {
          const r = await cliIn(c, undefined, cwd);
          expect(outcome(c, r)).assertEqual(`${JSON.stringify(c)} -> 2`);
        }
        // Neither the current folder, nor a folder named after a flag, nor the store was written into.
        expect(fs.readdirSync(cwd).join(',')).assertEqual('');
      });
    });

    it('usageErrorsNameTheOptionAndWhatWasWrong', 0, async () => {
      await withTempDir('messages', async (cwd: string) => {
        await usageMessagesIn(cwd);
      });
    });

    it('aPositionalAfterDoubleDashMayStartWithADash', 0, async () => {
      await withTempDir('dashdash', async (cwd: string) => {
        // `sets -- -store`: '-store' is the folder (missing here, so exit 2 naming it), not an option.
        const r = await cliIn(['sets', '--', '-store'], undefined, cwd);
        expect(r.code).assertEqual(2);
        expect(r.stderr).assertContain('-store: no such folder');
        fs.mkdirSync(path.join(cwd, '-store'));
        const ok = await cliIn(['sets', '--', '-store'], undefined, cwd);
        expect(ok.code).assertEqual(0);
      });
    });

    it('helpWithJsonIsOneJsonDocument', 0, async () => {
      const general = await cliIn(['--help', '--json']);
      expect(general.code).assertEqual(0);
      const doc = general.json();
      expect(doc.ok).assertEqual(true);
      const names = (doc.commands as Record<string, unknown>[]).map((c) => c.name).join(',');
      expect(names).assertEqual('caps,backup,restore,verify,sets,apps,prune,export,import,demo,init,rekey,mirror');
      const before = await cliIn(['--json', '--help']);
      expect(before.json().ok).assertEqual(true);
      const backup = await cliIn(['backup', '--help', '--json']);
      expect(backup.code).assertEqual(0);
      const b = backup.json();
      expect(b.command).assertEqual('backup');
      expect(b.usage as string).assertContain('--to DIR');
      const to = (b.options as Record<string, unknown>[]).find((o) => o.name === '--to') as Record<string, unknown>;
      expect(to.required).assertEqual(true);
      expect(to.value).assertEqual('DIR');
    });
  });

  describe('CliCapsFileInput', () => {
    it('aCapsFileThatIsNotARegularFileIsRefusedAtOnce', 0, async () => {
      await withTempDir('capsinput', async (dir: string) => {
        const fifo = path.join(dir, 'fifo');
        execFileSync('mkfifo', [fifo]);
        fs.writeFileSync(path.join(dir, 'caps.json'), bigCapsText(1));
        fs.symlinkSync(path.join(dir, 'caps.json'), path.join(dir, 'link'));
        // A safety valve only: should a regression block opening the FIFO, a writer comes and goes after a
        // while, so the case fails (an empty text, not the refusal) instead of hanging the run.
        const valve = setTimeout(() => {
          try {
            fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
          } catch {
            // ENXIO: nobody is opening it, as it should be.
          }
        }, 2000);
        try {
          const cases: string[][] = [[fifo, 'FIFO'], [path.join(dir, 'link'), 'symbolic link'], ['/dev/zero', 'device'],
            [dir, 'folder'], [path.join(dir, 'nothing'), 'no such file']];
          for (const c of cases) {
            const r = await cliIn(['caps', '--file', c[0]]);
            expect(`${c[0]} -> ${r.code}`).assertEqual(`${c[0]} -> 2`);
            expect(r.stderr).assertContain(c[1]);
          }
        } finally {
          clearTimeout(valve);
        }
        expect((await cliIn(['caps', '--file', path.join(dir, 'caps.json')])).code).assertEqual(0);
      });
    });
  });

  describe('CliBounds', () => {
    it('aMockScenarioPastItsBoundIsRefusedAtOnceNamingTheBound', 0, async () => {
      for (const scenario of ['many-bundles:99999999', 'many-bundles:10001', 'service-died:99999999999999999999',
        'bundle-error:99999999999']) {
        const r = await cliIn(['caps', '--scenario', scenario]);
        expect(`${scenario} -> ${r.code}`).assertEqual(`${scenario} -> 2`);
        expect(r.stderr).assertContain('must be at most');
      }
      const many = await cliIn(['caps', '--scenario', 'many-bundles:99999999']);
      expect(many.stderr).assertContain('10000');
      const ok = await cliIn(['caps', '--scenario', 'many-bundles:3', '--json']);
      expect(ok.code).assertEqual(0);
    });

    it('aTimeScaleOutOfRangeIsAUsageErrorSayingTheRange', 0, async () => {
      for (const scale of ['1e300', '0', '-1', 'NaN', 'soon', '1e-300', 'Infinity']) {
        const r = await cliIn(['caps'], { BACKUP_MANAGER_TIME_SCALE: scale });
        expect(`${scale} -> ${r.code}`).assertEqual(`${scale} -> 2`);
        expect(r.stderr).assertContain('BACKUP_MANAGER_TIME_SCALE must be a number from 0.000001 to 100');
        expect(r.stdout).assertEqual('');
      }
      const slow = await cliIn(['caps', '--json'], { BACKUP_MANAGER_TIME_SCALE: '0.01' });
      expect(slow.code).assertEqual(0);
    });
  });

  describe('CliBigOutput', () => {
    it('aTableOfAnySizePrints', 0, () => {
      // Math.max(...widths) overflowed the stack above about 125,000 rows.
      const rows: string[][] = [];
      for (let i = 0; i < 200000; i++) {
        rows.push([`com.example.app${i}/part.${i}.tar`, 'missing', 'not in the set folder']);
      }
      const text = table(['FILE', 'PROBLEM', 'DETAIL'], rows);
      const lines = text.trimEnd().split('\n');
      expect(lines.length).assertEqual(200002);
      expect(lines[200001]).assertEqual('com.example.app199999/part.199999.tar  missing  not in the set folder');
      expect(lines[2]).assertEqual(`${'com.example.app0/part.0.tar'.padEnd(37)}  missing  not in the set folder`);
    });

    it('verifyOfASetWith200000BadFilesNamesEveryOne', 0, () => {
      // Verifying 200,000 real files takes longer than a test may; the report is what verify prints.
      const report = new VerifyReport();
      report.setId = '20250101-000000-abcd';
      for (let i = 0; i < 200000; i++) {
        const p = new VerifyProblem();
        p.bundleId = 'com.example.notes';
        p.uri = `f${i}`;
        p.kind = 'missing';
        p.detail = 'the file is not in the set folder';
        report.problems.push(p);
      }
      report.filesChecked = 200000;
      const lines = verifyText(report, '/store/sets/20250101-000000-abcd').trimEnd().split('\n');
      // (Not assertContain on the whole text: hypium's walks a string character by character.)
      expect(lines[0]).assertContain('has 200000 problems');
      expect(lines.length).assertEqual(200004);
      expect(lines[200003].startsWith('com.example.notes/f199999  missing')).assertTrue();
    });

    it('capsFileOf150000AppsIsShownAsATable', 0, async () => {
      await withTempDir('bigcaps', async (dir: string) => {
        const file = path.join(dir, 'caps.json');
        fs.writeFileSync(file, bigCapsText(150000));
        const r = await cliIn(['caps', '--file', file]);
        expect(r.stderr).assertEqual('');
        expect(r.code).assertEqual(0);
        // (Not assertContain on the whole output: hypium's walks a string character by character.)
        const lines = r.stdout.trimEnd().split('\n');
        expect(lines.length).assertEqual(150007);
        expect(lines[150004].startsWith('com.example.app149999  1.0.149999 (149999)')).assertTrue();
        expect(lines[150006]).assertContain('150000 apps; 150000 can be backed up');
      });
    });
  });
}
