/*
 * platform/PlatformCrypto against the host stand-ins of cryptoFramework and HUKS (tools/host/ohos): the
 * shared test vectors (the same suite NodeCrypto passes), that open() never returns plaintext which the
 * framework handed out before its tag check failed, how framework codes become the port's errors, and the
 * HUKS keystore's wrap/unwrap (a changed byte, a removed key, another alias).
 */
import { afterEach, beforeEach, describe, expect, it } from '@ohos/hypium';
import { hostCrypto } from '@kit.CryptoArchitectureKit';
import { hostKeystore } from '@kit.UniversalKeystoreKit';
import { HuksKeystore, PlatformCrypto } from '../../entry/src/main/ets/platform/PlatformCrypto';
import { CryptoError, CryptoErrorKind } from '../../entry/src/main/ets/backup/port/Crypto';
import { cryptoVectorSuite, cryptoFailure } from '../../entry/src/test/crypt/CryptoVectors';
import { NodeCrypto, NodeKeystore } from '../host/NodeCrypto';
import { rejectionOf } from './AdapterKit';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CryptoFdIo } from '../../entry/src/main/ets/platform/CryptoFdIo';
import { readFull } from '../../entry/src/main/ets/backup/port/FdIo';
import { FileStoreError, StoreErrorKind } from '../../entry/src/main/ets/backup/port/FileStore';

const KEY = new Uint8Array(32).fill(7);
const NONCE = new Uint8Array(12).fill(9);

export default function platformCryptoTests(): void {
  cryptoVectorSuite('platform', () => new PlatformCrypto());

  describe('PlatformCrypto', () => {
    beforeEach(() => { hostCrypto.reset(); hostKeystore.reset(); });
    afterEach(() => { hostCrypto.reset(); hostKeystore.reset(); });

    it('usesTheFrameworkAlgorithmsTheDeviceHas', 0, () => {
      const c = new PlatformCrypto();
      const sealed = c.seal(KEY, NONCE, new Uint8Array(0), new Uint8Array([1, 2, 3]));
      c.open(KEY, NONCE, new Uint8Array(0), sealed);
      c.hkdfSha256(KEY, NONCE, NONCE, 32);
      c.hmacSha256(KEY, NONCE);
      expect(hostCrypto.calls).assertDeepEquals([
        'createSymKeyGenerator(AES256)', 'createCipher(AES256|GCM|NoPadding)',
        'createSymKeyGenerator(AES256)', 'createCipher(AES256|GCM|NoPadding)',
        'createKdf(HKDF|SHA256)', 'createSymKeyGenerator(HMAC)', 'createMac(SHA256)',
      ]);
    });

    it('neverReturnsPlaintextTheFrameworkGaveOutBeforeItsTagCheckFailed', 0, () => {
      const c = new PlatformCrypto();
      const text = new Uint8Array(4096).fill(0x41);
      const sealed = c.seal(KEY, NONCE, new Uint8Array(0), text);
      sealed[sealed.length - 1] ^= 1;
      expect(cryptoFailure(() => c.open(KEY, NONCE, new Uint8Array(0), sealed))).assertEqual(CryptoErrorKind.AUTH);
      // the stand-in did hand plaintext out of update() first, as the device does: open() kept it back
      expect(hostCrypto.leakedBeforeCheck).assertEqual(4096);
    });

    it('turnsFrameworkCodesIntoThePortsErrors', 0, () => {
      const c = new PlatformCrypto();
      hostCrypto.nextFailure = 801;
      let e: CryptoError | undefined = undefined;
      try {
        c.sha256(new Uint8Array(1));
      } catch (x) {
        e = x as CryptoError;
      }
      expect(e instanceof CryptoError).assertTrue();
      expect(e!.kind).assertEqual(CryptoErrorKind.UNAVAILABLE);
      expect(e!.rawCode).assertEqual(801);
      hostCrypto.nextFailure = 17620001;
      expect(cryptoFailure(() => c.randomBytes(8))).assertEqual(CryptoErrorKind.OTHER);
    });

    it('agreesWithNodeCryptoOnRandomInputs', 0, () => {
      const p = new PlatformCrypto();
      const n = new NodeCrypto();
      for (let i = 0; i < 20; i++) {
        const key = n.randomBytes(32);
        const nonce = n.randomBytes(12);
        const aad = n.randomBytes(i);
        const text = n.randomBytes(i * 97);
        const sealed = p.seal(key, nonce, aad, text);
        expect(Buffer.from(sealed).toString('hex')).assertEqual(Buffer.from(n.seal(key, nonce, aad, text)).toString('hex'));
        expect(Buffer.from(n.open(key, nonce, aad, sealed)).equals(Buffer.from(text))).assertTrue();
        expect(Buffer.from(p.hkdfSha256(key, aad, nonce, 1 + i)).toString('hex'))
          .assertEqual(Buffer.from(n.hkdfSha256(key, aad, nonce, 1 + i)).toString('hex'));
      }
    });
  });

  describe('HuksKeystore', () => {
    beforeEach(() => { hostCrypto.reset(); hostKeystore.reset(); });
    afterEach(() => { hostCrypto.reset(); hostKeystore.reset(); });

    it('wrapsAndUnwrapsUnderOneDeviceKeyMadeOnFirstUse', 0, async () => {
      const ks = new HuksKeystore(new PlatformCrypto());
      const secret = new NodeCrypto().randomBytes(32);
      const w1 = await ks.wrap('bm.repo.test', secret);
      const w2 = await ks.wrap('bm.repo.test', secret);
      expect(w1.length).assertEqual(12 + 32 + 16);
      expect(Buffer.from(w1).equals(Buffer.from(w2))).assertFalse();
      expect(Buffer.from(await ks.unwrap('bm.repo.test', w1)).equals(Buffer.from(secret))).assertTrue();
      expect(hostKeystore.keys.size).assertEqual(1);
      expect(hostKeystore.calls.filter((c) => c.startsWith('generateKeyItem')).length).assertEqual(1);
      expect(hostKeystore.sessions.size).assertEqual(0);
    });

    it('refusesAChangedWrappedKeyAndAnotherAlias', 0, async () => {
      const ks = new HuksKeystore(new PlatformCrypto());
      const w = await ks.wrap('bm.a', new Uint8Array(32).fill(1));
      for (const i of [0, 12, 40, w.length - 1]) {
        const bad = w.slice();
        bad[i] ^= 1;
        const e = await rejectionOf(ks.unwrap('bm.a', bad));
        expect((e as CryptoError).kind).assertEqual(CryptoErrorKind.AUTH);
      }
      await ks.wrap('bm.b', new Uint8Array(1));
      expect(((await rejectionOf(ks.unwrap('bm.b', w))) as CryptoError).kind).assertEqual(CryptoErrorKind.AUTH);
      expect(hostKeystore.sessions.size).assertEqual(0);
    });

    it('saysTheKeyIsGoneAfterRemove', 0, async () => {
      const ks = new HuksKeystore(new PlatformCrypto());
      const w = await ks.wrap('bm.gone', new Uint8Array(32));
      await ks.remove('bm.gone');
      await ks.remove('bm.gone');
      const e = (await rejectionOf(ks.unwrap('bm.gone', w))) as CryptoError;
      expect(e.kind).assertEqual(CryptoErrorKind.UNAVAILABLE);
      expect(e.rawCode).assertEqual(12000011);
    });

    it('nodeKeystoreBehavesTheSame', 0, async () => {
      const ks = new NodeKeystore();
      const w = await ks.wrap('bm.n', new Uint8Array(32).fill(3));
      expect(Buffer.from(await ks.unwrap('bm.n', w))[0]).assertEqual(3);
      const bad = w.slice();
      bad[20] ^= 1;
      expect(((await rejectionOf(ks.unwrap('bm.n', bad))) as CryptoError).kind).assertEqual(CryptoErrorKind.AUTH);
      await ks.remove('bm.n');
      expect(((await rejectionOf(ks.unwrap('bm.n', w))) as CryptoError).kind).assertEqual(CryptoErrorKind.UNAVAILABLE);
    });
  });

  describe('CryptoFdIo', () => {
    it('readsAndWritesAtTheFdsOffsetThroughFileIo', 0, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bm-fdio-'));
      try {
        const io = new CryptoFdIo();
        const file = path.join(dir, 'f');
        const data = new NodeCrypto().randomBytes(70000);
        const wfd = fs.openSync(file, 'w');
        await io.write(wfd, data.subarray(0, 1000));
        await io.write(wfd, data.subarray(1000));
        await io.sync(wfd);
        fs.closeSync(wfd);
        const rfd = fs.openSync(file, 'r');
        const first = await io.read(rfd, 10);
        const rest = await readFull(io, rfd, 100000);
        const end = await io.read(rfd, 10);
        fs.closeSync(rfd);
        expect(Buffer.from(first).equals(Buffer.from(data.subarray(0, 10)))).assertTrue();
        expect(Buffer.from(rest).equals(Buffer.from(data.subarray(10)))).assertTrue();
        expect(end.length).assertEqual(0);
        const closed = fs.openSync(file, 'r');
        fs.closeSync(closed);
        const e = await rejectionOf(io.read(closed, 4));
        expect(e instanceof FileStoreError).assertTrue();
        expect((e as FileStoreError).kind).assertEqual(StoreErrorKind.BAD_FD);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
