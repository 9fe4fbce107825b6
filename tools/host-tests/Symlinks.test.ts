/*
 * Host-only: symbolic links in a backup set or in a folder being imported. ArkTS tests cannot make links
 * (the FileStore port has no symlink call), so these run on Node with real links.
 */
import { describe, expect, it } from '@ohos/hypium';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeFileStore } from '../host/NodeFileStore';
import { SilentLogger } from '../../entry/src/main/ets/backup/port/Logger';
import { BackupSetStore } from '../../entry/src/main/ets/backup/store/BackupSetStore';
import { BundleOutcome, BundleRecord, DeviceInfo } from '../../entry/src/main/ets/backup/model/SetManifest';

const CAPS = '{\n\t"bundleInfos" : [],\n\t"deviceType" : "default",\n\t"systemFullName" : "OpenHarmony-6.0.0.0"\n}\n';

function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'bm-links-'));
}

export default function symlinkTests(): void {
  describe('Symlinks', () => {
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
      const files = new NodeFileStore();
      const store = new BackupSetStore(files, root, new SilentLogger());
      const staging = await store.createStaging();
      await staging.saveCapabilitiesText(CAPS);
      const target = await staging.prepareFile('com.example.a', 'manage.json');
      fs.writeFileSync(target, '[]');
      staging.recordFile('com.example.a', 'manage.json', await files.hashFile(target));
      const rec = new BundleRecord();
      rec.id = 'com.example.a';
      rec.name = 'com.example.a';
      rec.outcome = BundleOutcome.DONE;
      staging.setBundle(rec);
      const summary = await staging.commit(Date.UTC(2026, 10, 27), new DeviceInfo());
      expect((await store.verify(summary.id)).ok).assertTrue();
      // Same bytes, but behind a link that points out of the set.
      const outside = path.join(root, 'outside.json');
      fs.writeFileSync(outside, '[]');
      const inSet = store.filePath(summary.id, 'com.example.a', 'manage.json');
      fs.rmSync(inSet);
      fs.symlinkSync(outside, inSet);
      const report = await store.verify(summary.id);
      expect(report.ok).assertFalse();
      expect(report.problems.some((p) => p.uri === 'manage.json' && /symbolic link/.test(p.detail))).assertTrue();
      fs.rmSync(root, { recursive: true, force: true });
    });

    it('importSkipsLinkedFiles', 0, async () => {
      const root = scratch();
      const src = scratch();
      const secret = path.join(src, 'secret.txt');
      fs.writeFileSync(secret, 'not app data');
      fs.mkdirSync(path.join(src, 'com.example.a'));
      fs.writeFileSync(path.join(src, 'com.example.a', 'manage.json'),
        '[{"fileName":"part.0.tar","information":{"path":"/data/storage/el2/backup/backup/part.0.tar"},"isBigFile":false,"isUserTar":false}]');
      fs.symlinkSync(secret, path.join(src, 'com.example.a', 'part.0.tar'));
      fs.writeFileSync(path.join(src, 'caps.json'), CAPS);
      const store = new BackupSetStore(new NodeFileStore(), root, new SilentLogger());
      const summary = await store.importFolder(src, path.join(src, 'caps.json'));
      const m = await store.get(summary.id);
      const b = m.bundles.find((x) => x.id === 'com.example.a');
      expect(b !== undefined && b.outcome === BundleOutcome.FAILED).assertTrue();
      expect(b !== undefined && b.files.every((f) => f.uri !== 'part.0.tar')).assertTrue();
      expect(fs.existsSync(store.filePath(summary.id, 'com.example.a', 'part.0.tar'))).assertFalse();
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(src, { recursive: true, force: true });
    });
  });
}
