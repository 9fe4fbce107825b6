/*
 * ByteChannel on Node for the host (unit tests, CLI): the device's FdIoChannel (backup/port/ByteChannel) over
 * NodeFdIo, as platform/FsByteChannel is over CryptoFdIo, so the reads to the end of a length, the whole writes
 * and the fsync a pipe may refuse are the same code on both; the SHA-256 streams are node:crypto's. Failures are
 * FileStoreErrors mapped as NodeFileStore maps them (ENOSPC -> NO_SPACE, EROFS -> READ_ONLY, ...).
 */
import { createHash } from 'node:crypto';
import { FdIoChannel } from '../../entry/src/main/ets/backup/port/ByteChannel';
import type { Sha256Stream } from '../../entry/src/main/ets/backup/port/ByteChannel';
import { NodeFdIo } from './NodeCrypto';

function nodeSha256(): Sha256Stream {
  const h = createHash('sha256');
  return {
    update: (data: ArrayBuffer): void => {
      h.update(new Uint8Array(data));
    },
    digest: (): string => h.digest('hex'),
  };
}

export class NodeByteChannel extends FdIoChannel {
  constructor() {
    super(new NodeFdIo(), nodeSha256);
  }
}
