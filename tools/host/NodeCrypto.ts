/*
 * The Crypto port on Node (node:crypto): AES-256-GCM by createCipheriv/createDecipheriv (setAAD,
 * getAuthTag/setAuthTag), HKDF by hkdfSync, HMAC, SHA-256, randomBytes. The plaintext of open() is returned
 * only after final() checked the tag.
 *
 * NodeFdIo: the FdIo port by fs.read/fs.write/fs.fsync at the fd's current offset.
 *
 * NodeKeystore: a DeviceKeystore stand-in for the CLI and tests on a PC, where there is no device-bound key:
 * it keeps its keys in memory for the life of the process (so nothing it wraps survives the process, the
 * honest equivalent of "this machine only").
 */
import * as nodeCrypto from 'node:crypto';
import * as fs from 'node:fs';
import {
  Crypto, CryptoError, CryptoErrorKind, DeviceKeystore, KEY_BYTES, NONCE_BYTES, Sha256Stream, TAG_BYTES,
} from '../../entry/src/main/ets/backup/port/Crypto';
import type { FdIo } from '../../entry/src/main/ets/backup/port/FdIo';
import { toStoreError } from './NodeFileStore';

function bytes(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

function checkGcm(key: Uint8Array, nonce: Uint8Array): void {
  if (key.length !== KEY_BYTES) {
    throw new CryptoError(CryptoErrorKind.BAD_INPUT, `AES-256-GCM takes a ${KEY_BYTES}-byte key, got ${key.length}`);
  }
  if (nonce.length !== NONCE_BYTES) {
    throw new CryptoError(CryptoErrorKind.BAD_INPUT, `AES-256-GCM takes a ${NONCE_BYTES}-byte nonce, got ${nonce.length}`);
  }
}

export class NodeCrypto implements Crypto {
  randomBytes(length: number): Uint8Array {
    return bytes(nodeCrypto.randomBytes(length));
  }

  sha256(data: Uint8Array): Uint8Array {
    return bytes(nodeCrypto.createHash('sha256').update(data).digest());
  }

  sha256Stream(): Sha256Stream {
    const h = nodeCrypto.createHash('sha256');
    return {
      update: (data: Uint8Array): void => {
        h.update(data);
      },
      digest: (): Uint8Array => bytes(h.digest()),
    };
  }

  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
    return bytes(nodeCrypto.createHmac('sha256', key).update(data).digest());
  }

  hkdfSha256(secret: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
    if (!Number.isInteger(length) || length < 1 || length > 255 * 32) {
      throw new CryptoError(CryptoErrorKind.BAD_INPUT, `HKDF-SHA256 length must be 1..8160, got ${length}`);
    }
    return new Uint8Array(nodeCrypto.hkdfSync('sha256', secret, salt, info, length));
  }

  seal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
    checkGcm(key, nonce);
    const c = nodeCrypto.createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    c.setAAD(aad);
    return bytes(Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]));
  }

  open(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array {
    checkGcm(key, nonce);
    if (sealed.length < TAG_BYTES) {
      throw new CryptoError(CryptoErrorKind.AUTH, `sealed data of ${sealed.length} bytes is shorter than its tag`);
    }
    const d = nodeCrypto.createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    d.setAAD(aad);
    d.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const head = d.update(sealed.subarray(0, sealed.length - TAG_BYTES));
    let tail: Buffer;
    try {
      tail = d.final();
    } catch (e) {
      head.fill(0);
      throw new CryptoError(CryptoErrorKind.AUTH, 'authentication failed: wrong key or changed bytes');
    }
    return bytes(Buffer.concat([head, tail]));
  }
}

export class NodeKeystore implements DeviceKeystore {
  private readonly keys: Map<string, Uint8Array> = new Map<string, Uint8Array>();
  private readonly crypto: NodeCrypto = new NodeCrypto();

  async wrap(alias: string, secret: Uint8Array): Promise<Uint8Array> {
    let key = this.keys.get(alias);
    if (key === undefined) {
      key = this.crypto.randomBytes(KEY_BYTES);
      this.keys.set(alias, key);
    }
    const nonce = this.crypto.randomBytes(NONCE_BYTES);
    return Buffer.concat([nonce, this.crypto.seal(key, nonce, Buffer.from(alias), secret)]);
  }

  async unwrap(alias: string, wrapped: Uint8Array): Promise<Uint8Array> {
    const key = this.keys.get(alias);
    if (key === undefined) {
      throw new CryptoError(CryptoErrorKind.UNAVAILABLE, `no keystore key '${alias}' on this machine`);
    }
    if (wrapped.length < NONCE_BYTES + TAG_BYTES) {
      throw new CryptoError(CryptoErrorKind.AUTH, 'wrapped key is too short');
    }
    return this.crypto.open(key, wrapped.subarray(0, NONCE_BYTES), Buffer.from(alias), wrapped.subarray(NONCE_BYTES));
  }

  async remove(alias: string): Promise<void> {
    this.keys.delete(alias);
  }
}

function fsCall<T>(what: string, run: (done: (err: NodeJS.ErrnoException | null, value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    run((err, value) => (err ? reject(toStoreError(err, what)) : resolve(value)));
  });
}

export class NodeFdIo implements FdIo {
  async read(fd: number, length: number): Promise<Uint8Array> {
    const buf = new Uint8Array(length);
    const n = await fsCall<number>(`read fd ${fd}`, (done) => fs.read(fd, buf, 0, length, null, done));
    return n === length ? buf : buf.slice(0, n);
  }

  async write(fd: number, data: Uint8Array): Promise<void> {
    let done = 0;
    while (done < data.length) {
      const n = await fsCall<number>(`write fd ${fd}`, (cb) => fs.write(fd, data, done, data.length - done, null, cb));
      if (n <= 0) {
        throw toStoreError(new Error('write made no progress'), `write fd ${fd}`);
      }
      done += n;
    }
  }

  async sync(fd: number): Promise<void> {
    try {
      await fsCall<void>(`sync fd ${fd}`, (done) => fs.fsync(fd, (err) => done(err, undefined)));
    } catch (e) {
      const raw = (e as { rawCode?: number }).rawCode;
      // EINVAL/ENOTSUP/EROFS-like answers come from pipes and sockets, which cannot be synced
      if (raw === 22 || raw === 95) {
        return;
      }
      throw e;
    }
  }
}
