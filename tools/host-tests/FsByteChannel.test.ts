/*
 * platform/FsByteChannel on the host stand-in of @kit.CoreFileKit: what the archive code relies on. A read gives
 * the length asked (several reads where the fd hands out less) or what is left at the end, as its own
 * ArrayBuffer; a read of 0 bytes touches nothing; writes are whole; a FIFO's fsync refusal is not an error; a
 * closed fd is BAD_FD; the SHA-256 is the streamed one. Its reads, writes and fsync are CryptoFdIo's (one fd
 * loop in the platform code), so this pins the behaviour the archive had before they were shared.
 */
import { describe, expect, it } from '@ohos/hypium';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { FsByteChannel } from '../../entry/src/main/ets/platform/FsByteChannel';
import { FileStoreError, StoreErrorKind } from '../../entry/src/main/ets/backup/port/FileStore';
import { rejectionOf } from './AdapterKit';

function bytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = (i * 7 + 3) & 0xff;
  }
  return out;
}

export default function fsByteChannelTests(): void {
  describe('FsByteChannel', () => {
    it('readsTheLengthAskedOrWhatIsLeftAndWritesWhole', 0, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bm-channel-'));
      try {
        const channel = new FsByteChannel();
        const file = path.join(dir, 'f');
        const data = bytes(300000);
        const wfd = fs.openSync(file, 'w');
        await channel.write(wfd, data.slice(0, 1000).buffer as ArrayBuffer);
        await channel.write(wfd, data.slice(1000).buffer as ArrayBuffer);
        await channel.sync(wfd);
        fs.closeSync(wfd);
        expect(fs.statSync(file).size).assertEqual(300000);
        const rfd = fs.openSync(file, 'r');
        const head = await channel.read(rfd, 512);
        const zero = await channel.read(rfd, 0);
        const body = await channel.read(rfd, 200000);
        const rest = await channel.read(rfd, 200000);
        const end = await channel.read(rfd, 10);
        fs.closeSync(rfd);
        expect(head.byteLength).assertEqual(512);
        expect(zero.byteLength).assertEqual(0);
        expect(body.byteLength).assertEqual(200000);
        expect(rest.byteLength).assertEqual(300000 - 512 - 200000);
        expect(end.byteLength).assertEqual(0);
        const all = Buffer.concat([Buffer.from(head), Buffer.from(body), Buffer.from(rest)]);
        expect(all.equals(Buffer.from(data))).assertTrue();
        const h = channel.sha256();
        h.update(data.slice(0, 7).buffer as ArrayBuffer);
        h.update(data.slice(7).buffer as ArrayBuffer);
        expect(h.digest()).assertEqual(createHash('sha256').update(data).digest('hex'));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('aFifoIsReadToItsEndAndItsSyncIsNoErrorAClosedFdIsBadFd', 0, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bm-channel-fifo-'));
      try {
        const channel = new FsByteChannel();
        const fifo = path.join(dir, 'p');
        execFileSync('mkfifo', [fifo]);
        const rfd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
        const wfd = fs.openSync(fifo, 'w');
        await channel.write(wfd, new TextEncoder().encode('through a pipe').buffer as ArrayBuffer);
        await channel.sync(wfd);
        fs.closeSync(wfd);
        const got = await channel.read(rfd, 100);
        fs.closeSync(rfd);
        expect(new TextDecoder().decode(got)).assertEqual('through a pipe');

        const closed = fs.openSync(path.join(dir, 'c'), 'w');
        fs.closeSync(closed);
        for (const e of [await rejectionOf(channel.read(closed, 4)),
          await rejectionOf(channel.write(closed, new ArrayBuffer(4))), await rejectionOf(channel.sync(closed))]) {
          expect(e instanceof FileStoreError).assertTrue();
          expect((e as FileStoreError).kind).assertEqual(StoreErrorKind.BAD_FD);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
