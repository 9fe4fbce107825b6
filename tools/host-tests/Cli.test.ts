/*
 * Host-only tests of the backup-manager CLI (tools/cli): the real launcher spawned as a child process,
 * exactly as a user or a script runs it. Exit codes (0 success, 1 something failed, 2 bad usage or
 * input), one JSON document with --json, the field path of an invalid capability file, a damaged set
 * named file by file, and a backup -> verify -> restore round trip through the simulated device.
 */
import { describe, expect, it } from '@ohos/hypium';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';

/** The repository root: the nearest folder up from the working directory holding the CLI. */
function repoRoot(): string {
  let dir = process.cwd();
  for (;;) {
    if (fs.existsSync(path.join(dir, 'tools', 'cli', 'backup-manager.js'))) {
      return dir;
    }
    const up = path.dirname(dir);
    if (up === dir) {
      throw new Error('run the tests from the repository (tools/cli/backup-manager.js not found above the cwd)');
    }
    dir = up;
  }
}

const CLI = path.join(repoRoot(), 'tools', 'cli', 'backup-manager.js');

class CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;

  constructor(code: number, stdout: string, stderr: string) {
    this.code = code;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** stdout as the one JSON document it must be (throws when it is anything else). */
  json(): Record<string, unknown> {
    return JSON.parse(this.stdout) as Record<string, unknown>;
  }
}

function cli(args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: repoRoot(),
      env: { ...process.env, BACKUP_MANAGER_TIME_SCALE: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
    });
    child.stderr.on('data', (d: string) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code: number | null) => resolve(new CliRun(code ?? -1, out, err)));
  });
}

/** Runs body with a fresh temporary folder, removed afterwards whether body passes or throws. */
async function withTempDir(label: string, body: (dir: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bm-cli-${label}-`));
  try {
    await body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface BundleJson {
  id: string;
  state: string;
  files: number;
  bytes: number;
  error: { kind: string; code: number; message: string } | null;
}

function bundlesOf(doc: Record<string, unknown>): BundleJson[] {
  return doc.bundles as BundleJson[];
}

/** Lines of stderr that are not empty. */
function errLines(r: CliRun): string[] {
  return r.stderr.split('\n').filter((l) => l.trim() !== '');
}

export default function cliTests(): void {
  describe('CliUsage', () => {
    it('helpExitsZeroAndListsEveryCommand', 0, async () => {
      const r = await cli(['--help']);
      expect(r.code).assertEqual(0);
      for (const name of ['caps', 'backup', 'restore', 'verify', 'sets', 'demo']) {
        expect(r.stdout).assertContain(`  ${name} `);
      }
      const sub = await cli(['backup', '--help']);
      expect(sub.code).assertEqual(0);
      expect(sub.stdout).assertContain('--to DIR');
      expect(sub.stdout).assertContain('store-full:<bytes>');
    });

    it('unknownCommandOptionOrScenarioIsExitTwoWithOneLine', 0, async () => {
      await withTempDir('usage', async (store: string) => {
        const cases: string[][] = [
          ['frobnicate'],
          ['backup', '--to', store, '--frob'],
          ['backup'],
          ['backup', '--to', store, '--scenario', 'no-such-scenario'],
          ['backup', '--to', store, '--scenario', 'store-full:lots'],
          ['verify', path.join(store, 'sets', '20250101-000000-abcd')],
          ['sets', path.join(store, 'missing')],
        ];
        const runs = await Promise.all(cases.map((c) => cli(c)));
        for (let i = 0; i < runs.length; i++) {
          expect(`${cases[i].join(' ')} -> ${runs[i].code}`).assertEqual(`${cases[i].join(' ')} -> 2`);
          expect(runs[i].stdout).assertEqual('');
          const lines = errLines(runs[i]);
          expect(lines.length).assertEqual(1);
          expect(lines[0].startsWith('backup-manager: ')).assertTrue();
        }
        expect(runs[3].stderr).assertContain('no-such-scenario');
        // Nothing was written for a run refused before it started.
        expect(fs.existsSync(path.join(store, 'sets'))).assertFalse();
      });
    });

    it('jsonErrorIsOneDocumentOnStdout', 0, async () => {
      const r = await cli(['sets', '/nonexistent/backup-manager-store', '--json']);
      expect(r.code).assertEqual(2);
      const doc = r.json();
      expect(doc.ok).assertEqual(false);
      expect(doc.exitCode).assertEqual(2);
      expect((doc.error as Record<string, unknown>).message as string).assertContain('no such folder');
    });
  });

  describe('CliCaps', () => {
    it('deviceCapsAsTableAndJson', 0, async () => {
      const [text, json] = await Promise.all([cli(['caps']), cli(['caps', '--json'])]);
      expect(text.code).assertEqual(0);
      expect(text.stdout).assertContain('com.example.gallery:1');
      expect(text.stdout).assertContain('clone 1');
      expect(text.stdout).assertContain('no: the app does not allow it');
      expect(text.stdout).assertContain('no: no backup extension');
      expect(json.code).assertEqual(0);
      const doc = json.json();
      const bank = bundlesOf(doc).find((b) => b.id === 'com.example.bank') as unknown as Record<string, unknown>;
      expect(bank.allowed).assertEqual(false);
      expect(bank.label).assertEqual('Bank');
      expect(doc.systemFullName).assertEqual('OpenHarmony-6.0.0.0');
    });

    it('invalidCapsFileIsExitTwoNamingTheField', 0, async () => {
      await withTempDir('caps', async (dir: string) => {
        const good = await cli(['caps', '--json']);
        expect(good.code).assertEqual(0);
        const caps = {
          backupVersion: '26',
          bundleInfos: [
            { allToBackup: true, extensionName: 'BackupExtensionAbility', name: 'com.a', spaceOccupied: 10,
              versionCode: 1, versionName: '1.0' },
            { allToBackup: true, extensionName: 'BackupExtensionAbility', name: 'com.b', spaceOccupied: 10,
              versionCode: 'seven', versionName: '1.0' },
          ],
          deviceType: 'phone',
          systemFullName: 'OpenHarmony-5.1.0.0',
        };
        const bad = path.join(dir, 'bad.json');
        fs.writeFileSync(bad, JSON.stringify(caps));
        const r = await cli(['caps', '--file', bad]);
        expect(r.code).assertEqual(2);
        expect(r.stdout).assertEqual('');
        expect(errLines(r).length).assertEqual(1);
        expect(r.stderr).assertContain('bundleInfos[1].versionCode');
        const j = await cli(['caps', '--file', bad, '--json']);
        expect(j.code).assertEqual(2);
        expect((j.json().error as Record<string, unknown>).field).assertEqual('bundleInfos[1].versionCode');

        (caps.bundleInfos[1] as Record<string, unknown>).versionCode = 7;
        const fixed = path.join(dir, 'good.json');
        fs.writeFileSync(fixed, JSON.stringify(caps));
        const ok = await cli(['caps', '--file', fixed, '--json']);
        expect(ok.code).assertEqual(0);
        expect(ok.json().valid).assertEqual(true);
        expect(bundlesOf(ok.json()).length).assertEqual(2);
      });
    });
  });

  describe('CliRuns', () => {
    it('backupVerifyRestoreRoundTrip', 0, async () => {
      await withTempDir('roundtrip', async (store: string) => {
        const backup = await cli(['backup', '--to', store, '--json']);
        expect(backup.code).assertEqual(0);
        const doc = backup.json();
        expect(doc.outcome).assertEqual('succeeded');
        const set = doc.set as Record<string, string>;
        expect(set.status).assertEqual('complete');
        expect(fs.existsSync(path.join(set.path, 'set.json'))).assertTrue();
        const ids = bundlesOf(doc).map((b) => b.id);
        expect(ids.indexOf('com.example.gallery:1') >= 0).assertTrue();
        expect(ids.indexOf('com.example.bank')).assertEqual(-1);
        for (const b of bundlesOf(doc)) {
          expect(`${b.id}:${b.state}`).assertEqual(`${b.id}:done`);
          expect(b.bytes).assertLarger(0);
        }

        const [verify, sets] = await Promise.all([cli(['verify', set.path, '--json']), cli(['sets', store, '--json'])]);
        expect(verify.code).assertEqual(0);
        expect(verify.json().ok).assertEqual(true);
        expect(verify.json().filesChecked as number).assertLarger(ids.length);
        expect(sets.code).assertEqual(0);
        const listed = sets.json().sets as Record<string, unknown>[];
        expect(listed.length).assertEqual(1);
        expect(listed[0].id).assertEqual(set.id);
        expect(listed[0].status).assertEqual('complete');

        const restore = await cli(['restore', '--from', set.path, '--json']);
        expect(restore.code).assertEqual(0);
        expect(restore.json().outcome).assertEqual('succeeded');
        expect(bundlesOf(restore.json()).map((b) => `${b.id}:${b.state}`).join(' '))
          .assertEqual(ids.map((id) => `${id}:done`).join(' '));

        // A flipped byte: verify names the file (exit 1), restore refuses that app and restores the rest.
        // The first data file (not the index) the set recorded for com.example.notes.
        const manifest = JSON.parse(fs.readFileSync(path.join(set.path, 'set.json'), 'utf8')) as
          { bundles: { id: string; files: { uri: string }[] }[] };
        const notesFiles = manifest.bundles.filter((b) => b.id === 'com.example.notes')[0].files;
        const uri = notesFiles.filter((f) => f.uri !== 'manage.json')[0].uri;
        const damaged = path.join(set.path, 'com.example.notes', uri);
        const bytes = fs.readFileSync(damaged);
        bytes[bytes.length - 1] = bytes[bytes.length - 1] ^ 0x01;
        fs.writeFileSync(damaged, bytes);
        const bad = await cli(['verify', set.path]);
        expect(bad.code).assertEqual(1);
        expect(bad.stdout).assertContain(`com.example.notes/${uri}`);
        expect(bad.stdout).assertContain('checksum');
        const partial = await cli(['restore', '--from', set.path, '--bundles', 'com.example.notes,com.example.mail', '--json']);
        expect(partial.code).assertEqual(1);
        const states = bundlesOf(partial.json()).map((b) => `${b.id}:${b.state}:${b.error === null ? '' : b.error.kind}`);
        expect(states.join(' ')).assertEqual('com.example.notes:failed:CHECKSUM_MISMATCH com.example.mail:done:');
      });
    });

    it('failingBundleIsExitOneWithReasonAndCode', 0, async () => {
      await withTempDir('failing', async (store: string) => {
        const r = await cli(['backup', '--to', store, '--bundles', 'com.example.notes,com.example.mail',
          '--scenario', 'bundle-error:13500001:com.example.notes']);
        expect(r.code).assertEqual(1);
        expect(r.stdout).assertContain('(partial)');
        expect(r.stdout).assertContain('The app does not allow backup and restore (code 13500001)');
        expect(r.stdout).assertContain('1 of 2 apps backed up');
        const j = await cli(['backup', '--to', store, '--bundles', 'com.example.notes,com.example.mail',
          '--scenario', 'bundle-error:13500001:com.example.notes', '--json']);
        expect(j.code).assertEqual(1);
        const notes = bundlesOf(j.json()).find((b) => b.id === 'com.example.notes') as BundleJson;
        expect(notes.state).assertEqual('failed');
        expect((notes.error as Record<string, unknown>).code).assertEqual(13500001);
        expect((notes.error as Record<string, unknown>).kind).assertEqual('NOT_ALLOWED');
      });
    });

    it('fullLocalDiskFailsTheBundleNotTheStore', 0, async () => {
      await withTempDir('full', async (store: string) => {
        const r = await cli(['backup', '--to', store, '--bundles', 'com.example.gallery', '--scenario', 'store-full:200000',
          '--json']);
        expect(r.code).assertEqual(1);
        const gallery = bundlesOf(r.json())[0];
        expect(gallery.state).assertEqual('failed');
        expect((gallery.error as Record<string, unknown>).kind).assertEqual('LOCAL_NO_SPACE');
        // Nothing half-written is left as a set.
        const sets = await cli(['sets', store, '--json']);
        expect((sets.json().sets as unknown[]).length).assertEqual(0);
      });
    });

    it('restoreOfAMissingSetIsExitTwo', 0, async () => {
      await withTempDir('missing', async (store: string) => {
        const r = await cli(['restore', '--from', path.join(store, 'sets', '20250101-000000-abcd')]);
        expect(r.code).assertEqual(2);
        expect(errLines(r).length).assertEqual(1);
        const notASet = await cli(['restore', '--from', store]);
        expect(notASet.code).assertEqual(2);
      });
    });
  });
}
