/*
 * Host stand-in for '@kit.UniversalKeystoreKit' (huks, @ohos.security.huks), the part
 * platform/PlatformCrypto's keystore uses, so its logic runs on Node in tools/host-tests:
 *  - hasKeyItem (11), generateKeyItem (9), deleteKeyItem (9): AES keys of 256 bits for
 *    ENCRYPT|DECRYPT, kept in memory (hostKeystore.keys), never exported;
 *  - initSession (9) / finishSession (9) / abortSession (9) for AES-256 GCM NoPadding: the properties of
 *    initSession carry ALGORITHM, PURPOSE, KEY_SIZE, PADDING, BLOCK_MODE, NONCE (12 bytes) and
 *    ASSOCIATED_DATA, and for decryption AE_TAG (the 16-byte tag); finishSession's inData is the whole
 *    plaintext (outData: ciphertext || tag) or the ciphertext without its tag (outData: plaintext).
 * Codes as the declarations list them: 401 (argument types, thrown), 12000011 (no such key), 12000003
 * (an invalid algorithm argument), 12000006 (crypto engine error: the tag did not match), all as rejections.
 */
import * as nodeCrypto from 'node:crypto';
import { businessError, parameterError } from '../HostDevice';

/** An open session: the key it runs under and the properties it was opened with. */
interface HostSession {
  key: Buffer;
  props: huks.HuksParam[];
}

export class HostKeystore {
  keys: Map<string, Buffer> = new Map<string, Buffer>();
  sessions: Map<number, HostSession> = new Map<number, HostSession>();
  nextHandle = 1;
  calls: string[] = [];

  reset(): void {
    this.keys = new Map<string, Buffer>();
    this.sessions = new Map<number, HostSession>();
    this.nextHandle = 1;
    this.calls = [];
  }
}

export const hostKeystore = new HostKeystore();

function checkAlias(alias: string): void {
  if (typeof alias !== 'string' || alias.length === 0 || alias.length > 128) {
    throw parameterError('keyAlias must be a string of 1..128 characters');
  }
}

function param(props: huks.HuksParam[], tag: huks.HuksTag): boolean | number | bigint | Uint8Array | undefined {
  const p = props.find((x) => x.tag === tag);
  return p === undefined ? undefined : p.value;
}

export namespace huks {
  export enum HuksExceptionErrCode {
    HUKS_ERR_CODE_ILLEGAL_ARGUMENT = 401,
    HUKS_ERR_CODE_INVALID_CRYPTO_ALG_ARGUMENT = 12000003,
    HUKS_ERR_CODE_CRYPTO_FAIL = 12000006,
    HUKS_ERR_CODE_ITEM_NOT_EXIST = 12000011
  }

  export enum HuksKeyPurpose {
    HUKS_KEY_PURPOSE_ENCRYPT = 1,
    HUKS_KEY_PURPOSE_DECRYPT = 2
  }

  export enum HuksKeyDigest {
    HUKS_DIGEST_NONE = 0
  }

  export enum HuksKeyPadding {
    HUKS_PADDING_NONE = 0
  }

  export enum HuksCipherMode {
    HUKS_MODE_GCM = 32
  }

  export enum HuksKeySize {
    HUKS_AES_KEY_SIZE_256 = 256
  }

  export enum HuksKeyAlg {
    HUKS_ALG_AES = 20
  }

  export enum HuksTagType {
    HUKS_TAG_TYPE_UINT = 2 << 28,
    HUKS_TAG_TYPE_BYTES = 5 << 28
  }

  export enum HuksTag {
    HUKS_TAG_ALGORITHM = HuksTagType.HUKS_TAG_TYPE_UINT | 1,
    HUKS_TAG_PURPOSE = HuksTagType.HUKS_TAG_TYPE_UINT | 2,
    HUKS_TAG_KEY_SIZE = HuksTagType.HUKS_TAG_TYPE_UINT | 3,
    HUKS_TAG_DIGEST = HuksTagType.HUKS_TAG_TYPE_UINT | 4,
    HUKS_TAG_PADDING = HuksTagType.HUKS_TAG_TYPE_UINT | 5,
    HUKS_TAG_BLOCK_MODE = HuksTagType.HUKS_TAG_TYPE_UINT | 6,
    HUKS_TAG_ASSOCIATED_DATA = HuksTagType.HUKS_TAG_TYPE_BYTES | 8,
    HUKS_TAG_NONCE = HuksTagType.HUKS_TAG_TYPE_BYTES | 9,
    HUKS_TAG_AE_TAG = HuksTagType.HUKS_TAG_TYPE_BYTES | 10009
  }

  export interface HuksParam {
    tag: HuksTag;
    value: boolean | number | bigint | Uint8Array;
  }

  export interface HuksOptions {
    properties?: Array<HuksParam>;
    inData?: Uint8Array;
  }

  export interface HuksSessionHandle {
    handle: number;
    challenge?: Uint8Array;
  }

  export interface HuksReturnResult {
    outData?: Uint8Array;
    properties?: Array<HuksParam>;
    certChains?: Array<string>;
  }

  export async function hasKeyItem(keyAlias: string, options: HuksOptions): Promise<boolean> {
    checkAlias(keyAlias);
    hostKeystore.calls.push(`hasKeyItem(${keyAlias})`);
    return hostKeystore.keys.has(keyAlias);
  }

  export async function generateKeyItem(keyAlias: string, options: HuksOptions): Promise<void> {
    checkAlias(keyAlias);
    hostKeystore.calls.push(`generateKeyItem(${keyAlias})`);
    const props = options.properties ?? [];
    const purpose = param(props, HuksTag.HUKS_TAG_PURPOSE);
    if (param(props, HuksTag.HUKS_TAG_ALGORITHM) !== HuksKeyAlg.HUKS_ALG_AES ||
      param(props, HuksTag.HUKS_TAG_KEY_SIZE) !== HuksKeySize.HUKS_AES_KEY_SIZE_256 ||
      purpose !== (HuksKeyPurpose.HUKS_KEY_PURPOSE_ENCRYPT | HuksKeyPurpose.HUKS_KEY_PURPOSE_DECRYPT)) {
      throw businessError(12000003, 'the stand-in generates AES-256 ENCRYPT|DECRYPT keys only');
    }
    hostKeystore.keys.set(keyAlias, nodeCrypto.randomBytes(32));
  }

  export async function deleteKeyItem(keyAlias: string, options: HuksOptions): Promise<void> {
    checkAlias(keyAlias);
    hostKeystore.calls.push(`deleteKeyItem(${keyAlias})`);
    if (!hostKeystore.keys.delete(keyAlias)) {
      throw businessError(12000011, 'queried entity does not exist');
    }
  }

  export async function initSession(keyAlias: string, options: HuksOptions): Promise<HuksSessionHandle> {
    checkAlias(keyAlias);
    hostKeystore.calls.push(`initSession(${keyAlias})`);
    const key = hostKeystore.keys.get(keyAlias);
    if (key === undefined) {
      throw businessError(12000011, 'queried entity does not exist');
    }
    const props = (options.properties ?? []).slice();
    const nonce = param(props, HuksTag.HUKS_TAG_NONCE);
    if (param(props, HuksTag.HUKS_TAG_BLOCK_MODE) !== HuksCipherMode.HUKS_MODE_GCM ||
      param(props, HuksTag.HUKS_TAG_PADDING) !== HuksKeyPadding.HUKS_PADDING_NONE ||
      !(nonce instanceof Uint8Array) || nonce.length !== 12) {
      throw businessError(12000003, 'the stand-in does AES-256 GCM NoPadding with a 12-byte nonce only');
    }
    const handle = hostKeystore.nextHandle++;
    hostKeystore.sessions.set(handle, { key, props });
    return { handle };
  }

  export async function finishSession(handle: number, options: HuksOptions): Promise<HuksReturnResult> {
    hostKeystore.calls.push(`finishSession(${handle})`);
    const session = hostKeystore.sessions.get(handle);
    if (session === undefined) {
      throw businessError(12000011, 'no such session');
    }
    hostKeystore.sessions.delete(handle);
    const key = session.key;
    const props = session.props;
    const nonce = param(props, HuksTag.HUKS_TAG_NONCE) as Uint8Array;
    const aadValue = param(props, HuksTag.HUKS_TAG_ASSOCIATED_DATA);
    const aad = aadValue instanceof Uint8Array ? aadValue : new Uint8Array(0);
    const input = options.inData ?? new Uint8Array(0);
    if (param(props, HuksTag.HUKS_TAG_PURPOSE) === HuksKeyPurpose.HUKS_KEY_PURPOSE_ENCRYPT) {
      const c = nodeCrypto.createCipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 });
      c.setAAD(aad);
      return { outData: new Uint8Array(Buffer.concat([c.update(input), c.final(), c.getAuthTag()])) };
    }
    const tag = param(props, HuksTag.HUKS_TAG_AE_TAG);
    if (!(tag instanceof Uint8Array) || tag.length !== 16) {
      throw businessError(12000003, 'decrypting needs HUKS_TAG_AE_TAG of 16 bytes');
    }
    const d = nodeCrypto.createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 });
    d.setAAD(aad);
    d.setAuthTag(tag);
    try {
      return { outData: new Uint8Array(Buffer.concat([d.update(input), d.final()])) };
    } catch (e) {
      throw businessError(12000006, 'error occurred in crypto engine');
    }
  }

  export async function abortSession(handle: number, options: HuksOptions): Promise<void> {
    hostKeystore.calls.push(`abortSession(${handle})`);
    hostKeystore.sessions.delete(handle);
  }
}
