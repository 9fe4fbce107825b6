/*
 * ByteChannel on Node's fs and crypto, for the host (unit tests, CLI): reads and writes at an fd's current
 * offset (position null), short writes retried, fsync where the fd can be synced. Failures are
 * FileStoreErrors mapped as NodeFileStore maps them (ENOSPC -> NO_SPACE, EROFS -> READ_ONLY, ...).
 */
import * as fs from 'node:fs';
import { createHash } from 'node:crypto';
import type { ByteChannel, Sha256Stream } from '../../entry/src/main/ets/backup/port/ByteChannel';
import { toStoreError } from './NodeFileStore';

function readFd(fd: number, buf: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    fs.read(fd, buf, 0, buf.length, null, (err, n) => (err ? reject(err) : resolve(n)));
  });
}

function writeFd(fd: number, buf: Buffer, offset: number): Promise<number> {
  return new Promise((resolve, reject) => {
    fs.write(fd, buf, offset, buf.length - offset, null, (err, n) => (err ? reject(err) : resolve(n)));
  });
}

export class NodeByteChannel implements ByteChannel {
  async read(fd: number, length: number): Promise<ArrayBuffer> {
    const buf = Buffer.allocUnsafe(Math.max(0, Math.floor(length)));
    let got = 0;
    try {
      while (got < buf.length) {
        const n = await readFd(fd, buf.subarray(got));
        if (n === 0) {
          break;
        }
        got += n;
      }
    } catch (e) {
      throw toStoreError(e, `read ${fd}`);
    }
    return buf.buffer.slice(buf.byteOffset, buf.byteOffset + got) as ArrayBuffer;
  }

  async write(fd: number, data: ArrayBuffer): Promise<void> {
    const buf = Buffer.from(data);
    let done = 0;
    try {
      while (done < buf.length) {
        done += await writeFd(fd, buf, done);
      }
    } catch (e) {
      throw toStoreError(e, `write ${fd}`);
    }
  }

  async sync(fd: number): Promise<void> {
    try {
      await new Promise<void>((resolve, reject) => fs.fsync(fd, (err) => (err ? reject(err) : resolve())));
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'EINVAL' || code === 'ENOTSUP') {
        return;   // a pipe or a socket cannot be synced; that is not an error
      }
      throw toStoreError(e, `sync ${fd}`);
    }
  }

  sha256(): Sha256Stream {
    const h = createHash('sha256');
    return {
      update: (data: ArrayBuffer): void => {
        h.update(new Uint8Array(data));
      },
      digest: (): string => h.digest('hex'),
    };
  }
}
