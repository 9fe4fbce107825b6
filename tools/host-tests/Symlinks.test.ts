/*
 * Host-only: symbolic links and special files (FIFOs, devices) in a backup set, in a folder being imported
 * and as a capability file. ArkTS tests cannot make them (the FileStore port has no symlink or mkfifo
 * call), so these run on Node with real ones. What they hold: nothing outside the store is read or sent,
 * and nothing hangs or streams forever.
 */
import { afterAll, describe, expect, it } from '@ohos/hypium';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { NodeFileStore } from '../host/NodeFileStore';
import { SilentLogger } from '../../entry/src/main/ets/backup/port/Logger';
import { BackupSetStore } from '../../entry/src/main/ets/backup/store/BackupSetStore';
import {
  BundleOutcome, BundleRecord, DeviceInfo, SetStoreError, SetStoreErrorKind
} from '../../entry/src/main/ets/backup/model/SetManifest';
import { ErrorKind } from '../../entry/src/main/ets/backup/model/Errors';
import { BundleState } from '../../entry/src/main/ets/backup/model/Progress';
import { RunOutcome, RunResult } from '../../entry/src/main/ets/backup/model/RunResult';
import { MockEnv } from '../../entry/src/test/engine/MockEnv';
import { FILE_DID_NOT_MATCH } from '../../entry/src/main/ets/backup/session/RestoreRun';
import { run as runCli } from '../cli/main';

const CAPS = '{\n\t"bundleInfos" : [\n\t\t{\n\t\t\t"allToBackup" : true,\n\t\t\t"extensionName" : "BackupExtensionAbility",\n' +
  '\t\t\t"name" : "com.example.a",\n\t\t\t"spaceOccupied" : 0,\n\t\t\t"versionCode" : 1,\n\t\t\t"versionName" : "1"\n' +
  '\t\t}\n\t],\n\t"deviceType" : "default",\n\t"systemFullName" : "OpenHarmony-6.0.0.0"\n}\n';

const RESTORED = ['com.example.notes', 'com.example.mail'];

function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'bm-links-'));
}

/** FIFOs made here, released now and then: should a regression open one for reading, it is let go (and the
 *  test fails) instead of hanging the run. Nothing waits for this. */
const fifos: string[] = [];
let valve: NodeJS.Timeout | undefined;

function mkfifo(p: string): void {
  execFileSync('mkfifo', [p]);
  fifos.push(p);
  if (valve === undefined) {
    valve = setInterval(() => {
      for (const f of fifos) {
        try {
          fs.closeSync(fs.openSync(f, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
        } catch {
          // ENXIO: nobody is reading it, as it should be; ENOENT: removed meanwhile.
        }
      }
    }, 2000);
  }
}

/** A store with one committed set holding com.example.a (manage.json and part.0.tar). */
async function oneSet(root: string): Promise<{ store: BackupSetStore; id: string }> {
  const files = new NodeFileStore();
  const store = new BackupSetStore(files, root, new SilentLogger());
  const staging = await store.createStaging();
  await staging.saveCapabilitiesText(CAPS);
  for (const entry of [['part.0.tar', 'tar bytes'], ['manage.json', '[{"fileName":"part.0.tar"}]']]) {
    const target = await staging.prepareFile('com.example.a', entry[0]);
    fs.writeFileSync(target, entry[1]);
    staging.recordFile('com.example.a', entry[0], await files.hashFile(target));
  }
  const rec = new BundleRecord();
  rec.id = 'com.example.a';
  rec.name = 'com.example.a';
  rec.outcome = BundleOutcome.DONE;
  staging.setBundle(rec);
  const summary = await staging.commit(Date.UTC(2026, 10, 27), new DeviceInfo());
  return { store, id: summary.id };
}

async function setErrorOf(work: Promise<unknown>): Promise<SetStoreError> {
  try {
    await work;
  } catch (e) {
    if (e instanceof SetStoreError) {
      return e;
    }
    throw new Error(`not a SetStoreError: ${String(e)}`);
  }
  throw new Error('expected a SetStoreError, the call succeeded');
}

function bundleOf(r: RunResult, id: string): { state: string; kind: string; message: string; files: number } {
  const b = r.bundles.find((x) => x.id === id);
  if (b === undefined) {
    throw new Error(`no bundle ${id} in the result`);
  }
  return { state: b.state, kind: b.error?.kind ?? '', message: b.error?.message ?? '', files: b.files.length };
}

/** The CLI run in this process; what it wrote to stderr. */
async function cliRun(args: string[]): Promise<{ code: number; stderr: string }> {
  let err = '';
  const sink = (keep: boolean): NodeJS.WriteStream => new Writable({
    write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
      if (keep) {
        err += chunk.toString();
      }
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  const code = await runCli(args, { stdout: sink(false), stderr: sink(true) });
  return { code, stderr: err };
}

/** Moves path out of the set (to outside) and puts a symbolic link to it in its place. */
function replaceByLink(p: string, outside: string): void {
  fs.renameSync(p, outside);
  fs.symlinkSync(outside, p);
}

export default function symlinkTests(): void {
  describe('Symlinks', () => {
    afterAll(() => {
      if (valve !== undefined) {
        clearInterval(valve);
        valve = undefined;
      }
    });

    it('statReportsTheLinkItself', 0, async () => {
      const dir = scratch();
      fs.writeFileSync(path.join(dir, 'target'), 'data');
      fs.symlinkSync(path.join(dir, 'target'), path.join(dir, 'link'));
      const st = await new NodeFileStore().stat(path.join(dir, 'link'));
      expect(st !== undefined && st.isSymbolicLink && !st.isDirectory).assertTrue();
      const plain = await new NodeFileStore().stat(path.join(dir, 'target'));
      expect(plain !== undefined && !plain.isSymbolicLink && plain.size === 4).assertTrue();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('verifyFlagsAFileReplacedByALink', 0, async () => {
      const root = scratch();
      const made = await oneSet(root);
      expect((await made.store.verify(made.id)).ok).assertTrue();
      // Same bytes, but behind a link that points out of the set.
      const inSet = made.store.filePath(made.id, 'com.example.a', 'manage.json');
      replaceByLink(inSet, path.join(root, 'outside.json'));
      const report = await made.store.verify(made.id);
      expect(report.ok).assertFalse();
      expect(report.problems.some((p) => p.uri === 'manage.json' && /symbolic link/.test(p.detail))).assertTrue();
      fs.rmSync(root, { recursive: true, force: true });
    });

    it('verifyFlagsAnAppFolderThatIsALinkAndReadsNothingThroughIt', 0, async () => {
      const root = scratch();
      const made = await oneSet(root);
      const folder = path.join(made.store.setDir(made.id), 'com.example.a');
      replaceByLink(folder, path.join(root, 'outside-app'));
      const report = await made.store.verify(made.id);
      expect(report.ok).assertFalse();
      expect(report.filesChecked).assertEqual(0);
      const about = report.problems.filter((p) => p.bundleId === 'com.example.a');
      expect(about.length).assertEqual(1);
      expect(about[0].detail).assertContain('symbolic link');
      fs.rmSync(root, { recursive: true, force: true });
    });

    it('refusesASetManifestReadThroughALinkOrFromADevice', 0, async () => {
      const root = scratch();
      const made = await oneSet(root);
      const good = await oneSet(root);
      const manifest = path.join(made.store.setDir(made.id), 'set.json');
      // A link to a sound manifest outside the set: still refused, nothing is read through links.
      replaceByLink(manifest, path.join(root, 'outside-set.json'));
      const linked = await setErrorOf(made.store.get(made.id));
      expect(linked.kind).assertEqual(SetStoreErrorKind.MALFORMED);
      expect(linked.message).assertContain('symbolic link');
      // A link to /dev/urandom ends at once (it used to read 1.1 GB past the 32 MiB bound).
      fs.rmSync(manifest);
      fs.symlinkSync('/dev/urandom', manifest);
      expect((await setErrorOf(made.store.get(made.id))).kind).assertEqual(SetStoreErrorKind.MALFORMED);
      expect((await setErrorOf(made.store.verify(made.id))).kind).assertEqual(SetStoreErrorKind.MALFORMED);
      // The listing goes on and names the bad set.
      const listing = await good.store.listDetailed();
      expect(listing.sets.map((s) => s.id)).assertDeepEquals([good.id]);
      expect(listing.unreadable.map((u) => u.id)).assertDeepEquals([made.id]);
      expect(listing.unreadable[0].message).assertContain('symbolic link');
      fs.rmSync(root, { recursive: true, force: true });
    });

    it('endsPromptlyOnAFifoAsSetManifestOrCapabilityFile', 0, async () => {
      const root = scratch();
      const made = await oneSet(root);
      const manifest = path.join(made.store.setDir(made.id), 'set.json');
      const saved = fs.readFileSync(manifest, 'utf8');
      fs.rmSync(manifest);
      mkfifo(manifest);
      const err = await setErrorOf(made.store.get(made.id));
      expect(err.kind).assertEqual(SetStoreErrorKind.MALFORMED);
      expect(err.message).assertContain('FIFO');
      expect((await made.store.list()).length).assertEqual(0);
      fs.rmSync(manifest);
      fs.writeFileSync(manifest, saved);
      const caps = made.store.capabilitiesPath(made.id);
      fs.rmSync(caps);
      mkfifo(caps);
      const report = await made.store.verify(made.id);
      expect(report.ok).assertFalse();
      const capsProblem = report.problems.find((p) => p.uri === 'capabilities.json');
      expect(capsProblem !== undefined && /FIFO/.test(capsProblem.detail)).assertTrue();
      fs.rmSync(root, { recursive: true, force: true });
    });

    it('verifyNamesAFifoOrADeviceInPlaceOfADataFile', 0, async () => {
      const root = scratch();
      const made = await oneSet(root);
      const data = made.store.filePath(made.id, 'com.example.a', 'part.0.tar');
      fs.rmSync(data);
      mkfifo(data);
      const report = await made.store.verify(made.id);
      const about = report.problems.filter((p) => p.uri === 'part.0.tar');
      expect(about.length).assertEqual(1);
      expect(about[0].kind).assertEqual('missing');
      expect(about[0].detail).assertContain('FIFO');
      fs.rmSync(root, { recursive: true, force: true });
    });

    it('importSkipsLinkedAndSpecialFiles', 0, async () => {
      const root = scratch();
      const src = scratch();
      const secret = path.join(src, 'secret.txt');
      fs.writeFileSync(secret, 'not app data');
      fs.mkdirSync(path.join(src, 'com.example.a'));
      fs.writeFileSync(path.join(src, 'com.example.a', 'manage.json'),
        '[{"fileName":"part.0.tar","information":{"path":"/data/storage/el2/backup/backup/part.0.tar"},"isBigFile":false,"isUserTar":false}]');
      fs.symlinkSync(secret, path.join(src, 'com.example.a', 'part.0.tar'));
      mkfifo(path.join(src, 'com.example.a', 'part.1.tar'));
      fs.symlinkSync('/dev/zero', path.join(src, 'com.example.a', 'part.2.tar'));
      fs.writeFileSync(path.join(src, 'caps.json'), CAPS);
      const store = new BackupSetStore(new NodeFileStore(), root, new SilentLogger());
      const summary = await store.importFolder(src, path.join(src, 'caps.json'));
      const m = await store.get(summary.id);
      const b = m.bundles.find((x) => x.id === 'com.example.a');
      expect(b !== undefined && b.outcome === BundleOutcome.FAILED).assertTrue();
      expect(b !== undefined && b.files.map((f) => f.uri).join(',') === 'manage.json').assertTrue();
      expect(b !== undefined && b.errorMessage.includes('part.1.tar (not a regular file)')).assertTrue();
      expect(fs.existsSync(store.filePath(summary.id, 'com.example.a', 'part.0.tar'))).assertFalse();
      // A FIFO as the capability file fails the import at once, and leaves nothing behind.
      mkfifo(path.join(src, 'caps.fifo'));
      const err = await setErrorOf(store.importFolder(src, path.join(src, 'caps.fifo')));
      expect(err.kind).assertEqual(SetStoreErrorKind.MALFORMED);
      expect(err.message).assertContain('FIFO');
      expect((await store.list()).length).assertEqual(1);
      expect(fs.readdirSync(path.join(root, 'staging'))).assertDeepEquals([]);
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(src, { recursive: true, force: true });
    });

    it('restoreSendsNothingThroughABlobFolderThatIsALink', 0, async () => {
      const env = new MockEnv('links-restore-folder');
      const set = await env.backup(RESTORED);
      expect(set.outcome).assertEqual(RunOutcome.SUCCEEDED);
      // The same bytes, but the fan-out folder of one of notes' blobs now points out of the repository.
      const data = (await env.filesOf(set.setId, 'com.example.notes')).find((f) => f.uri !== 'manage.json');
      if (data === undefined) {
        throw new Error('no data file of com.example.notes');
      }
      const folder = path.dirname(env.repo.blobPath(data.blob));
      const affected: string[] = [];
      for (const id of RESTORED) {
        if ((await env.filesOf(set.setId, id)).some((f) => path.dirname(env.repo.blobPath(f.blob)) === folder)) {
          affected.push(id);
        }
      }
      replaceByLink(folder, `${env.base}/outside-notes`);
      env.newModule('ok');
      const r = await env.restore(set.setId, RESTORED);
      for (const id of RESTORED) {
        const b = bundleOf(r, id);
        if (affected.indexOf(id) >= 0) {
          expect(`${id} ${b.state} ${b.kind}`).assertEqual(`${id} ${BundleState.FAILED} ${ErrorKind.CHECKSUM_MISMATCH}`);
          expect(b.message).assertEqual(FILE_DID_NOT_MATCH);
          expect(b.files).assertEqual(0);
        } else {
          expect(`${id} ${b.state}`).assertEqual(`${id} ${BundleState.DONE}`);
        }
      }
      expect(env.module.hasActiveSession()).assertFalse();
    });

    it('restoreSendsNothingFromABlobThatIsALinkOrAFifo', 0, async () => {
      const env = new MockEnv('links-restore-file');
      const set = await env.backup(RESTORED);
      expect(set.outcome).assertEqual(RunOutcome.SUCCEEDED);
      const data = (await env.filesOf(set.setId, 'com.example.notes')).find((f) => f.uri !== 'manage.json');
      if (data === undefined) {
        throw new Error('no data file of com.example.notes');
      }
      const inRepo = env.repo.blobPath(data.blob);
      replaceByLink(inRepo, `${env.base}/outside-data`);
      env.newModule('ok');
      const linked = await env.restore(set.setId, RESTORED);
      expect(bundleOf(linked, 'com.example.notes').state).assertEqual(BundleState.FAILED);
      expect(bundleOf(linked, 'com.example.notes').kind).assertEqual(ErrorKind.CHECKSUM_MISMATCH);
      expect(bundleOf(linked, 'com.example.notes').message).assertEqual(FILE_DID_NOT_MATCH);
      expect(bundleOf(linked, 'com.example.mail').state).assertEqual(BundleState.DONE);
      // A FIFO in its place ends as promptly.
      fs.rmSync(inRepo);
      mkfifo(inRepo);
      env.newModule('ok');
      const fifo = await env.restore(set.setId, RESTORED);
      expect(bundleOf(fifo, 'com.example.notes').state).assertEqual(BundleState.FAILED);
      expect(bundleOf(fifo, 'com.example.notes').kind).assertEqual(ErrorKind.CHECKSUM_MISMATCH);
      expect(env.module.hasActiveSession()).assertFalse();
    });

    it('capsFileEndsPromptlyOnAFifoOrALinkToADevice', 0, async () => {
      const dir = scratch();
      const fifo = path.join(dir, 'caps.fifo');
      mkfifo(fifo);
      fs.symlinkSync('/dev/urandom', path.join(dir, 'caps.json'));
      const onFifo = await cliRun(['caps', '--file', fifo]);
      expect(onFifo.code).assertEqual(2);
      expect(onFifo.stderr).assertContain('FIFO');
      const onLink = await cliRun(['caps', '--file', path.join(dir, 'caps.json')]);
      expect(onLink.code).assertEqual(2);
      expect(onLink.stderr).assertContain('symbolic link');
      fs.writeFileSync(path.join(dir, 'caps.real.json'), CAPS);
      expect((await cliRun(['caps', '--file', path.join(dir, 'caps.real.json')])).code).assertEqual(0);
      fs.rmSync(dir, { recursive: true, force: true });
    });
  });
}
