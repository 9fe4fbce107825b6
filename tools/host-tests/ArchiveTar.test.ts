/*
 * The archive is readable without the app (docs/archive-format.md): GNU tar lists and unpacks it, every
 * unpacked blob's name is the SHA-256 of its bytes, the table of contents and the manifests are plain
 * JSON; a split archive is the same tar once its segments are concatenated.
 */
import { describe, expect, it } from '@ohos/hypium';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { ManualClock } from '../../entry/src/main/ets/backup/port/Clock';
import { SilentLogger } from '../../entry/src/main/ets/backup/port/Logger';
import { BundleOutcome } from '../../entry/src/main/ets/backup/model/SetManifest';
import { Repository } from '../../entry/src/main/ets/backup/repo/Repository';
import { WriterStart } from '../../entry/src/main/ets/backup/repo/RepoWriter';
import { AppEntry } from '../../entry/src/main/ets/backup/repo/SnapshotManifest';
import { TOC_NAME, TRAILER_NAME } from '../../entry/src/main/ets/backup/archive/ArchiveFormat';
import { ArchiveSelection, ArchiveWriteOptions, ArchiveWriter } from '../../entry/src/main/ets/backup/archive/ArchiveWriter';
import { NodeByteChannel } from '../host/NodeByteChannel';
import { NodeFileStore } from '../host/NodeFileStore';

async function oneSet(root: string): Promise<string> {
  const repo = new Repository(new NodeFileStore(), root, new SilentLogger(), { clock: new ManualClock(Date.UTC(2026, 6, 1)) });
  const session = await repo.lock('test');
  try {
    const start = new WriterStart();
    start.apps = ['com.example.notes'];
    const w = await session.openWriter(start);
    await w.storeCapabilitiesText('{"bundleInfos": [], "systemFullName": "Open\u9e3f\u8499"}');
    for (const [uri, text] of [['part.0.tar', 'n'.repeat(7000)], ['manage.json', '[]']]) {
      const src = path.join(root, '..', uri);
      fs.writeFileSync(src, text);
      const fd = fs.openSync(src, 'r');
      try {
        await w.storeFile('com.example.notes', uri, fd);
      } finally {
        fs.closeSync(fd);
      }
    }
    const e = new AppEntry();
    e.id = 'com.example.notes';
    e.name = '\u5907\u5fd8\u5f55';
    e.outcome = BundleOutcome.DONE;
    await w.finishApp(e);
    return (await w.commit()).summary.id;
  } finally {
    await session.release();
  }
}

function tar(args: string[]): string {
  return execFileSync('tar', args, { encoding: 'utf8' });
}

export default function archiveTarTests(): void {
  describe('ArchiveTar', () => {
    it('gnuTarListsAndUnpacksItAndEveryBlobIsNamedByItsSha256', 0, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bm-tar-'));
      try {
        const root = path.join(dir, 'repo');
        const setId = await oneSet(root);
        const files = new NodeFileStore();
        const selection = new ArchiveSelection();
        selection.setIds = [setId];
        const o = new ArchiveWriteOptions();
        o.partBytes = 4096;
        const archive = path.join(dir, 'backup.bmbackup');
        await new ArchiveWriter(files, new NodeByteChannel(), new SilentLogger()).write(
          new Repository(files, root, new SilentLogger(), { clock: new ManualClock(0) }), selection, archive, o);
        const names = tar(['tf', archive]).trim().split('\n');
        expect(names[0]).assertEqual(TOC_NAME);
        expect(names[1]).assertEqual(`snapshots/${setId}.json`);
        expect(names[names.length - 1]).assertEqual(TRAILER_NAME);
        expect(names.filter((n) => /\.p00[12]$/.test(n)).length).assertEqual(2);
        const out = path.join(dir, 'x');
        fs.mkdirSync(out);
        tar(['xf', archive, '-C', out]);
        const toc = JSON.parse(fs.readFileSync(path.join(out, TOC_NAME), 'utf8')) as
          { entries: { name: string; size: number; sha256: string; parts: number[] }[] };
        for (const e of toc.entries) {
          const bytes = e.parts.length === 0 ? fs.readFileSync(path.join(out, e.name)) :
            Buffer.concat(e.parts.map((_, i) => fs.readFileSync(path.join(out, `${e.name}.p00${i + 1}`))));
          expect(bytes.length).assertEqual(e.size);
          expect(createHash('sha256').update(bytes).digest('hex')).assertEqual(e.sha256);
        }
        const m = JSON.parse(fs.readFileSync(path.join(out, 'snapshots', `${setId}.json`), 'utf8')) as
          { apps: { name: string }[] };
        expect(m.apps[0].name).assertEqual('\u5907\u5fd8\u5f55');

        // Split in segments: their concatenation is the same tar.
        const o2 = new ArchiveWriteOptions();
        o2.partBytes = 4096;
        o2.maxFileBytes = 5000;
        const split = path.join(dir, 'split.bmbackup');
        const written = await new ArchiveWriter(files, new NodeByteChannel(), new SilentLogger()).write(
          new Repository(files, root, new SilentLogger(), { clock: new ManualClock(0) }), selection, split, o2);
        const joined = path.join(dir, 'joined.tar');
        fs.writeFileSync(joined, Buffer.concat(written.files.map((f) => fs.readFileSync(f))));
        expect(fs.readFileSync(joined).equals(fs.readFileSync(archive))).assertTrue();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
