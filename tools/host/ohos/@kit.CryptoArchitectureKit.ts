/*
 * Host stand-in for '@kit.CryptoArchitectureKit' (cryptoFramework, @ohos.security.cryptoFramework), the part
 * platform/PlatformCrypto uses, run by node:crypto so the adapter's logic runs on Node in tools/host-tests:
 *  - createRandom().generateRandomSync(len) (12);
 *  - createMd('SHA256') with updateSync/digestSync (12);
 *  - createSymKeyGenerator('AES256' | 'HMAC').convertKeySync(blob) (12): AES256 takes exactly 32 bytes;
 *  - createMac('SHA256') with initSync/updateSync/doFinalSync (12);
 *  - createKdf('HKDF|SHA256').generateSecretSync(HKDFSpec) (12; extract-and-expand, the default mode);
 *  - createCipher('AES256|GCM|NoPadding') with initSync/updateSync/doFinalSync (12) and GcmParamsSpec:
 *    encrypting, authTag must be a 16-byte placeholder and doFinalSync returns the 16-byte tag; decrypting,
 *    the tag is given in authTag at init, updateSync returns plaintext BEFORE the tag is checked (as on the
 *    device), and doFinalSync throws 17630001 when it does not match.
 * Names, sync forms and codes follow @arkts/declarations (api/@ohos.security.cryptoFramework): 401 for bad
 * parameters (thrown synchronously), 801 for an algorithm string it does not know, 17630001 for a failed
 * crypto operation. hostCrypto records calls and can script a failure.
 */
import * as nodeCrypto from 'node:crypto';
import { businessError, parameterError } from '../HostDevice';

export class HostCrypto {
  /** Every factory call, as `name(arg)`. */
  calls: string[] = [];
  /** Code the next factory call throws (undefined: none). */
  nextFailure: number | undefined = undefined;
  /** Plaintext handed out by a decrypting updateSync whose doFinalSync then failed (what must never be used). */
  leakedBeforeCheck: number = 0;

  reset(): void {
    this.calls = [];
    this.nextFailure = undefined;
    this.leakedBeforeCheck = 0;
  }

  enter(call: string): void {
    this.calls.push(call);
    const f = this.nextFailure;
    if (f !== undefined) {
      this.nextFailure = undefined;
      throw businessError(f, 'scripted failure');
    }
  }
}

export const hostCrypto = new HostCrypto();

function blobData(b: cryptoFramework.DataBlob | null | undefined, what: string): Uint8Array {
  if (b === null || b === undefined || !(b.data instanceof Uint8Array)) {
    throw parameterError(`${what} must be a DataBlob`);
  }
  return b.data;
}

function out(b: Buffer): cryptoFramework.DataBlob {
  return { data: new Uint8Array(b.buffer, b.byteOffset, b.length) };
}

export namespace cryptoFramework {
  export interface DataBlob {
    data: Uint8Array;
  }

  export interface ParamsSpec {
    algName: string;
  }

  export interface GcmParamsSpec extends ParamsSpec {
    iv: DataBlob;
    aad: DataBlob;
    authTag: DataBlob;
  }

  export enum CryptoMode {
    ENCRYPT_MODE = 0,
    DECRYPT_MODE = 1
  }

  export interface Key {
    readonly format: string;
    readonly algName: string;
    getEncoded(): DataBlob;
  }

  export interface SymKey extends Key {
    clearMem(): void;
  }

  export interface SymKeyGenerator {
    convertKeySync(key: DataBlob): SymKey;
    readonly algName: string;
  }

  export interface Random {
    generateRandomSync(len: number): DataBlob;
    readonly algName: string;
  }

  export interface Md {
    updateSync(input: DataBlob): void;
    digestSync(): DataBlob;
    readonly algName: string;
  }

  export interface Mac {
    initSync(key: SymKey): void;
    updateSync(input: DataBlob): void;
    doFinalSync(): DataBlob;
    readonly algName: string;
  }

  export interface KdfSpec {
    algName: string;
  }

  export interface HKDFSpec extends KdfSpec {
    key: string | Uint8Array;
    salt: Uint8Array;
    info: Uint8Array;
    keySize: number;
  }

  export interface Kdf {
    generateSecretSync(params: KdfSpec): DataBlob;
    readonly algName: string;
  }

  export interface Cipher {
    initSync(opMode: CryptoMode, key: Key, params: ParamsSpec | null): void;
    updateSync(data: DataBlob): DataBlob;
    doFinalSync(data: DataBlob | null): DataBlob;
    readonly algName: string;
  }

  class HostSymKey implements SymKey {
    readonly format = 'RAW';
    readonly algName: string;
    bytes: Uint8Array;

    constructor(algName: string, bytes: Uint8Array) {
      this.algName = algName;
      this.bytes = Uint8Array.from(bytes);
    }

    getEncoded(): DataBlob {
      return { data: Uint8Array.from(this.bytes) };
    }

    clearMem(): void {
      this.bytes.fill(0);
    }
  }

  export function createRandom(): Random {
    hostCrypto.enter('createRandom()');
    return {
      algName: 'CTR_DRBG',
      generateRandomSync: (len: number): DataBlob => {
        if (!Number.isInteger(len) || len <= 0) {
          throw parameterError('len must be a positive integer');
        }
        return out(nodeCrypto.randomBytes(len));
      },
    };
  }

  export function createMd(algName: string): Md {
    hostCrypto.enter(`createMd(${algName})`);
    if (algName !== 'SHA256') {
      throw businessError(801, `${algName} not supported by the stand-in`);
    }
    const h = nodeCrypto.createHash('sha256');
    return {
      algName,
      updateSync: (input: DataBlob): void => {
        h.update(blobData(input, 'input'));
      },
      digestSync: (): DataBlob => out(h.digest()),
    };
  }

  export function createSymKeyGenerator(algName: string): SymKeyGenerator {
    hostCrypto.enter(`createSymKeyGenerator(${algName})`);
    if (algName !== 'AES256' && algName !== 'HMAC') {
      throw businessError(801, `${algName} not supported by the stand-in`);
    }
    return {
      algName,
      convertKeySync: (key: DataBlob): SymKey => {
        const data = blobData(key, 'key');
        if ((algName === 'AES256' && data.length !== 32) || data.length === 0) {
          throw businessError(17630001, `a ${algName} key of ${data.length} bytes`);
        }
        return new HostSymKey(algName, data);
      },
    };
  }

  export function createMac(algName: string): Mac {
    hostCrypto.enter(`createMac(${algName})`);
    if (algName !== 'SHA256') {
      throw businessError(801, `${algName} not supported by the stand-in`);
    }
    let h: nodeCrypto.Hmac | undefined = undefined;
    const started = (): nodeCrypto.Hmac => {
      if (h === undefined) {
        throw businessError(17630001, 'mac not initialized');
      }
      return h;
    };
    return {
      algName,
      initSync: (key: SymKey): void => {
        if (!(key instanceof HostSymKey) || key.algName !== 'HMAC') {
          throw parameterError('key must be an HMAC SymKey');
        }
        h = nodeCrypto.createHmac('sha256', key.bytes);
      },
      updateSync: (input: DataBlob): void => {
        started().update(blobData(input, 'input'));
      },
      doFinalSync: (): DataBlob => {
        const r = out(started().digest());
        h = undefined;
        return r;
      },
    };
  }

  export function createKdf(algName: string): Kdf {
    hostCrypto.enter(`createKdf(${algName})`);
    if (algName !== 'HKDF|SHA256') {
      throw businessError(801, `${algName} not supported by the stand-in`);
    }
    return {
      algName,
      generateSecretSync: (params: KdfSpec): DataBlob => {
        const p = params as HKDFSpec;
        if (p.algName !== 'HKDF' || !(p.salt instanceof Uint8Array) || !(p.info instanceof Uint8Array) ||
          !Number.isInteger(p.keySize) || p.keySize <= 0) {
          throw parameterError('params must be an HKDFSpec');
        }
        if (p.keySize > 255 * 32) {
          throw businessError(17630001, 'HKDF output too long');
        }
        const key = typeof p.key === 'string' ? Buffer.from(p.key, 'utf8') : p.key;
        return { data: new Uint8Array(nodeCrypto.hkdfSync('sha256', key, p.salt, p.info, p.keySize)) };
      },
    };
  }

  export function createCipher(transformation: string): Cipher {
    hostCrypto.enter(`createCipher(${transformation})`);
    if (transformation !== 'AES256|GCM|NoPadding') {
      throw businessError(801, `${transformation} not supported by the stand-in`);
    }
    let enc: nodeCrypto.CipherGCM | undefined = undefined;
    let dec: nodeCrypto.DecipherGCM | undefined = undefined;
    let handedOut = 0;
    return {
      algName: transformation,
      initSync: (opMode: CryptoMode, key: Key, params: ParamsSpec | null): void => {
        if (!(key instanceof HostSymKey) || key.algName !== 'AES256') {
          throw parameterError('key must be an AES256 SymKey');
        }
        const g = params as GcmParamsSpec | null;
        if (g === null || g.algName !== 'GcmParamsSpec') {
          throw parameterError('params must be a GcmParamsSpec');
        }
        const iv = blobData(g.iv, 'iv');
        const aad = blobData(g.aad, 'aad');
        const tag = blobData(g.authTag, 'authTag');
        if (iv.length !== 12 || tag.length !== 16) {
          throw businessError(17630001, `iv of ${iv.length} and authTag of ${tag.length} bytes`);
        }
        enc = undefined;
        dec = undefined;
        handedOut = 0;
        if (opMode === CryptoMode.ENCRYPT_MODE) {
          enc = nodeCrypto.createCipheriv('aes-256-gcm', key.bytes, iv, { authTagLength: 16 });
          enc.setAAD(aad);
        } else if (opMode === CryptoMode.DECRYPT_MODE) {
          dec = nodeCrypto.createDecipheriv('aes-256-gcm', key.bytes, iv, { authTagLength: 16 });
          dec.setAAD(aad);
          dec.setAuthTag(tag);
        } else {
          throw parameterError('opMode');
        }
      },
      updateSync: (data: DataBlob): DataBlob => {
        const input = blobData(data, 'data');
        if (enc !== undefined) {
          return out(enc.update(input));
        }
        if (dec !== undefined) {
          const r = dec.update(input);
          handedOut += r.length;
          return out(r);
        }
        throw businessError(17630001, 'cipher not initialized');
      },
      doFinalSync: (data: DataBlob | null): DataBlob => {
        const input = data === null ? new Uint8Array(0) : blobData(data, 'data');
        if (enc !== undefined) {
          const c = enc;
          enc = undefined;
          const body = Buffer.concat([c.update(input), c.final()]);
          return out(Buffer.concat([body, c.getAuthTag()]));
        }
        if (dec !== undefined) {
          const d = dec;
          dec = undefined;
          const body = d.update(input);
          try {
            return out(Buffer.concat([body, d.final()]));
          } catch (e) {
            hostCrypto.leakedBeforeCheck += handedOut + body.length;
            throw businessError(17630001, 'crypto operation error');
          }
        }
        throw businessError(17630001, 'cipher not initialized');
      },
    };
  }
}
