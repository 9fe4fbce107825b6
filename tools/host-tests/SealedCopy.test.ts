/*
 * Host-only tests of NodeFileStore.copyFromFdSealed (the encrypting copy in its copy workers; the contract
 * and the byte-for-byte comparison with the core are entry/src/test/crypt/SealedCopy.test.ets): where it
 * declines (a store copying on its own thread, the fd of a pipe) it has read nothing and BlobCipher seals the
 * same fd on its own thread; copyToFdOpened declines alike; a durable sealed or opened copy is synced in the
 * worker.
 */
import { describe, expect, it } from '@ohos/hypium';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { NodeFileStore } from '../host/NodeFileStore';
import { NodeCrypto, NodeFdIo } from '../host/NodeCrypto';
import type { FileStore, SealSpec } from '../../entry/src/main/ets/backup/port/FileStore';
import { createKeys, RepoKeys } from '../../entry/src/main/ets/backup/crypt/RepoKeys';
import { BlobCipher, sealedSize } from '../../entry/src/main/ets/backup/crypt/SegmentedBlob';

const SEG = 4096;

function scratch(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `bm-sealed-${label}-`));
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function specOf(keys: RepoKeys): SealSpec {
  const header = new Uint8Array(32);
  header.set(Buffer.from('BMEB'), 0);
  header[4] = 1;
  header.set(Buffer.from([0, 0, SEG >> 8, SEG & 255]), 24);
  return { key: keys.blobKey, header, segmentBytes: SEG };
}

/** What BlobCipher.openToFd (the core reader) writes out of the blob at p. */
async function opened(keys: RepoKeys, store: FileStore, p: string, sha: string, size: number): Promise<Buffer> {
  const fd = fs.openSync(`${p}.out`, 'w');
  try {
    await new BlobCipher(keys, store, new NodeFdIo()).openToFd(p, fd, sha, size, 'blob');
  } finally {
    fs.closeSync(fd);
  }
  return fs.readFileSync(`${p}.out`);
}

export default function sealedCopyHostTests(): void {
  describe('NodeSealedCopy', () => {
    it('aStoreCopyingOnItsOwnThreadDeclinesHavingReadNothing', 0, async () => {
      const dir = scratch('inthread');
      try {
        const store = new NodeFileStore({ copyThreads: 0 });
        const keys = createKeys(new NodeCrypto(), SEG).keys;
        const data = Buffer.alloc(3 * SEG + 5, 'x');
        fs.writeFileSync(`${dir}/src`, data);
        const fd = await store.openRead(`${dir}/src`);
        try {
          expect(await store.copyFromFdSealed(fd, `${dir}/b`, specOf(keys), { durable: true })).assertUndefined();
          expect(fs.existsSync(`${dir}/b`)).assertFalse();
          // nothing was read: the core seals the whole content
          const f = await new BlobCipher(keys, store, new NodeFdIo()).sealFromFd(fd, `${dir}/b`, { durable: true });
          expect(f.size).assertEqual(data.length);
          expect(f.sha256).assertEqual(sha256(data));
        } finally {
          await store.close(fd);
        }
        expect((await opened(keys, store, `${dir}/b`, sha256(data), data.length)).equals(data)).assertTrue();
        const out = fs.openSync(`${dir}/out`, 'w');
        try {
          expect(await store.copyToFdOpened(`${dir}/b`, out, { key: keys.blobKey, sha256: sha256(data), size: data.length },
            {})).assertUndefined();
        } finally {
          fs.closeSync(out);
        }
        expect(fs.statSync(`${dir}/out`).size).assertEqual(0);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('theFdOfAPipeIsDeclinedAndSealedOnTheCoresThread', 0, async () => {
      const dir = scratch('fifo');
      try {
        execFileSync('mkfifo', [`${dir}/pipe`]);
        const store = new NodeFileStore();
        expect(store.copyThreads() > 0).assertTrue();
        const keys = createKeys(new NodeCrypto(), SEG).keys;
        const data = Buffer.alloc(5 * SEG + 1, 'p');
        const openReader = new Promise<number>((resolve, reject) => {
          fs.open(`${dir}/pipe`, 'r', (err, fd) => (err ? reject(err) : resolve(fd)));
        });
        const ends = await Promise.all([openReader, store.openWrite(`${dir}/pipe`)]);
        const reader = ends[0];
        const writer = ends[1];
        try {
          expect(await store.copyFromFdSealed(reader, `${dir}/declined`, specOf(keys), {})).assertUndefined();
          expect(fs.existsSync(`${dir}/declined`)).assertFalse();
          const sealing = new BlobCipher(keys, store, new NodeFdIo()).sealFromFd(reader, `${dir}/b`, { durable: true });
          await new Promise<void>((resolve, reject) => {
            fs.write(writer, data, (err) => fs.close(writer, (closeErr) => (err ?? closeErr ? reject(err ?? closeErr) : resolve())));
          });
          const f = await sealing;
          expect(f.size).assertEqual(data.length);
          expect(f.storedSize).assertEqual(sealedSize(data.length, SEG));
        } finally {
          await store.close(reader);
        }
        expect((await opened(keys, store, `${dir}/b`, sha256(data), data.length)).equals(data)).assertTrue();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('syncsADurableSealedCopyAndADurableOpenedOneInTheWorker', 0, async () => {
      const dir = scratch('durable');
      try {
        const store = new NodeFileStore();
        const keys = createKeys(new NodeCrypto(), SEG).keys;
        fs.writeFileSync(`${dir}/src`, Buffer.alloc(2 * SEG, 'd'));
        for (const durable of [false, true]) {
          const before = store.copySyncs();
          const fd = await store.openRead(`${dir}/src`);
          try {
            expect((await store.copyFromFdSealed(fd, `${dir}/b${durable}`, specOf(keys), { durable }))?.size).assertEqual(2 * SEG);
          } finally {
            await store.close(fd);
          }
          expect(store.copySyncs() - before).assertEqual(durable ? 1 : 0);
          const sha = sha256(Buffer.alloc(2 * SEG, 'd'));
          const syncs = store.copySyncs();
          const out = fs.openSync(`${dir}/out${durable}`, 'w');
          try {
            const o = await store.copyToFdOpened(`${dir}/b${durable}`, out, { key: keys.blobKey, sha256: sha, size: 2 * SEG },
              { durable });
            expect(o?.failure).assertEqual('');
            expect(o?.sha256).assertEqual(sha);
          } finally {
            fs.closeSync(out);
          }
          expect(store.copySyncs() - syncs).assertEqual(durable ? 1 : 0);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('saysWhenADurableSealedCopyHasWrittenEverythingBeforeItsSync', 0, async () => {
      // As a plain durable copy does (CopyOptions.onCopied): the run frees the copy's slot while the disk syncs.
      const dir = scratch('copied');
      try {
        const store = new NodeFileStore();
        const keys = createKeys(new NodeCrypto(), SEG).keys;
        const size = 5 * SEG + 7;
        fs.writeFileSync(`${dir}/src`, Buffer.alloc(size, 's'));
        const events: string[] = [];
        const fd = await store.openRead(`${dir}/src`);
        try {
          const facts = await store.copyFromFdSealed(fd, `${dir}/b`, specOf(keys), {
            durable: true,
            onCopied: (): void => { events.push(`copied ${fs.statSync(`${dir}/b`).size}`); },
          });
          events.push(`settled ${facts?.storedSize}`);
        } finally {
          await store.close(fd);
        }
        const stored = sealedSize(size, SEG);
        expect(events.join(',')).assertEqual(`copied ${stored},settled ${stored}`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
