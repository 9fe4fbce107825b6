/*
 * The part of the copy worker's source (CopyWorkerSource.ts, where it is spliced in) that encrypts and
 * decrypts: FileStore.copyFromFdSealed ('seal') and copyToFdOpened ('open') in the segmented blob format of
 * backup/crypt/SegmentedBlob. Plain JavaScript; it uses the helpers of the rest of the source (staged,
 * failure, openStrict, isRegularFd, readFully, cannotSync) and parentPort.
 */
import { HASHER_SOURCE } from './CopyWorkerHasherSource';

export const SEALED_COPY_SOURCE = HASHER_SOURCE + String.raw`
const { createCipheriv, createDecipheriv, randomBytes } = require('node:crypto');

// FileStore.copyFromFdSealed: job.fd (from its offset) into a segmented blob at job.path, as
// backup/crypt/SegmentedBlob writes it: header, then per segment nonce | AES-256-GCM(content) | tag with the
// associated data header | index (u32 BE) | last (1 byte) | for the last: the content's hex SHA-256.
// A segment is sealed once the next one was read (that read says whether it is the last; the last one's
// associated data needs the whole content's hash). The work is split so that a sealed copy, which costs a
// cipher pass more than a plain one, keeps two cores busy: this thread encrypts; a file of more than one
// segment is hashed on the copy worker's hashing thread (CopyWorkerHasherSource.ts; a smaller one here,
// where a round trip would cost more than the hash); the reads (one segment ahead, into a ring of four
// shared segment buffers) and the writes of what was sealed (each at the segment's own offset, at most two
// behind) run on the thread pool. A buffer is read into again only after the segment it held was encrypted
// and hashed. On any failure every read, hash and write in flight is waited for before the file is closed
// and removed. job.key is this thread's own copy (transferred), zeroed when the
// job ends, however it ends (node:crypto keeps its own copy only inside each segment's cipher object).
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const SEAL_BUFFERS = 4;
const MAX_WRITES_IN_FLIGHT = 2;
let sealRing = [];

// Up to n bytes of fd from its offset into buf, on the thread pool; fewer only at the end. Never rejects:
// settles to {n} or {error}.
function readSegmentAsync(fd, buf, n) {
  return new Promise((resolve) => {
    const more = (got) => {
      if (got >= n) {
        resolve({ n: got });
        return;
      }
      fs.read(fd, buf, got, n - got, null, (e, r) => {
        if (e) resolve({ error: staged(e, 'copy') });
        else if (r <= 0) resolve({ n: got });
        else more(got + r);
      });
    };
    more(0);
  });
}

// Writes all of parts at pos of fd on the thread pool. Never rejects: settles to undefined or the error.
function writePartsAt(fd, parts, pos) {
  return new Promise((resolve) => {
    const total = parts.reduce((n, b) => n + b.length, 0);
    const rest = (done) => {
      if (done >= total) {
        resolve(undefined);
        return;
      }
      const left = Buffer.concat(parts).subarray(done);
      fs.write(fd, left, 0, left.length, pos + done, (e, n) => (e ? resolve(staged(e, 'copy')) : rest(done + n)));
    };
    fs.writev(fd, parts, pos, (e, n) => (e ? resolve(staged(e, 'copy')) : rest(n)));
  });
}

function nonceFor(job, index) {
  if (job.nonces === null) return randomBytes(NONCE_BYTES);
  const at = index * NONCE_BYTES;
  if (at + NONCE_BYTES > job.nonces.length) {
    throw failure('', 'copyFromFdSealed: the nonces given run out at segment ' + index, 'EINVAL', 0, 'copy');
  }
  return Buffer.from(job.nonces.subarray(at, at + NONCE_BYTES));
}

function sealAad(header, index, last, sha256) {
  const place = Buffer.alloc(5);
  place.writeUInt32BE(index, 0);
  place[4] = last ? 1 : 0;
  return last ? Buffer.concat([header, place, Buffer.from(sha256, 'utf8')]) : Buffer.concat([header, place]);
}

async function sealFrom(job) {
  const key = job.key;
  let reading = null;    // the read in flight, if any
  let remote = null;     // the RemoteHash of a copy of more than one segment
  const writes = [];     // {bytes: content bytes up to and with this segment, settled: Promise<Error | undefined>}
  try {
    try {
      if (!isRegularFd(job.fd)) return { fallback: true };
    } catch (e) {
      throw staged(e, 'copy');
    }
    if (key.length !== 32) throw failure('', 'copyFromFdSealed: the key is not an AES-256 key', 'EINVAL', 0, 'copy');
    const seg = job.segmentBytes;
    if (sealRing.length !== SEAL_BUFFERS || sealRing[0].length !== seg) {
      sealRing = [];
      for (let i = 0; i < SEAL_BUFFERS; i++) sealRing.push(Buffer.from(new SharedArrayBuffer(seg)));
    }
    let out;
    try {
      out = fs.openSync(job.path, 'w');
    } catch (e) {
      throw staged(e, 'open');
    }
    const cancel = job.cancel === null ? null : new Int32Array(job.cancel);
    const limited = (bytes) => {
      if (job.maxBytes >= 0 && bytes > job.maxBytes) throw failure('LIMIT', 'limit', '', 0, 'copy');
    };
    const readInto = async (buf) => {
      const r = await reading;
      reading = null;
      if (r.error) throw r.error;
      return r.n;
    };
    // The oldest write in flight: waited for, reported, its error thrown.
    const settleOldest = async () => {
      const w = writes.shift();
      const err = await w.settled;
      if (err !== undefined) throw err;
      if (job.progress && w.bytes > 0) parentPort.postMessage({ id: job.id, kind: 'progress', bytes: w.bytes });
      if (cancel !== null && Atomics.load(cancel, 0) !== 0) throw failure('CANCELLED', 'cancelled', '', 0, 'copy');
    };
    try {
      const header = Buffer.from(job.header);
      const hash = createHash('sha256');   // a copy of one segment or less
      fs.writeSync(out, header, 0, header.length, 0);
      const segmentLength = seg + NONCE_BYTES + TAG_BYTES;
      let cur = sealRing[0];
      reading = readSegmentAsync(job.fd, cur, seg);
      let n = await readInto(cur);
      limited(n);
      if (n === seg) {
        reading = readSegmentAsync(job.fd, sealRing[1], seg);
        remote = new RemoteHash(job.id);
      }
      let total = 0;
      let sha256 = '';
      let index = 0;
      for (; ; index++) {
        const content = cur.subarray(0, n);
        if (remote !== null) remote.update(cur.buffer, n);
        else hash.update(content);
        total += n;
        const next = sealRing[(index + 1) % SEAL_BUFFERS];
        const m = n === seg ? await readInto(next) : 0;
        limited(total + m);
        const last = m === 0;
        if (last) {
          sha256 = remote !== null ? await remote.digest() : hash.digest('hex');
        } else if (m === seg) {
          // that buffer held segment index - 2, encrypted already; its hash is waited for (done by now, as a rule)
          if (remote !== null && index >= 2) await remote.settleOldest();
          reading = readSegmentAsync(job.fd, sealRing[(index + 2) % SEAL_BUFFERS], seg);
        }
        const nonce = nonceFor(job, index);
        const c = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
        c.setAAD(sealAad(header, index, last, sha256));
        const body = c.update(content);
        const rest = c.final();
        const parts = rest.length > 0 ? [nonce, body, rest, c.getAuthTag()] : [nonce, body, c.getAuthTag()];
        while (writes.length >= MAX_WRITES_IN_FLIGHT) await settleOldest();
        writes.push({ bytes: total, settled: writePartsAt(out, parts, header.length + index * segmentLength) });
        if (last) break;
        cur = next;
        n = m;
      }
      while (writes.length > 0) await settleOldest();
      const stored = header.length + index * segmentLength + n + NONCE_BYTES + TAG_BYTES;
      const facts = { size: total, sha256, written: stored, synced: 0, syncFd: undefined };
      const sealed = out;
      out = -1;
      return handOver(job, facts, sealed);
    } catch (e) {
      // nothing may still be under way on the fds when the new file is closed (its number could be reused)
      await Promise.all(writes.map((w) => w.settled).concat(reading !== null ? [reading] : [],
        remote !== null ? [remote.drop()] : []));
      writes.length = 0;
      if (out >= 0) {
        try { fs.closeSync(out); } catch (ignored) { /* cleanup */ }
      }
      // A partial blob is of no use to anyone and may hold the space that ran out.
      try { fs.rmSync(job.path, { force: true }); } catch (ignored) { /* reported below */ }
      throw e;
    }
  } finally {
    if (key) key.fill(0);
  }
}

// FileStore.copyToFdOpened: the sealed blob at job.path decrypted into job.fd (at its offset) with job.key,
// as backup/crypt/SegmentedBlob reads it: each segment's content is written only after its tag was checked
// (the next segment is read first: it says whether this one is the last, whose associated data holds
// job.sha256). A blob that does not open is no throw: the answer names the check that failed (openFailure,
// segment, last, detail), with the authentic content written before it. job.key: as sealFrom's. A blob of more
// than one segment is hashed on the hashing thread (CopyWorkerHasherSource.ts) while this thread decrypts and
// writes the next segment: each authentic segment is copied into a ring of four shared buffers for it, and a
// buffer is reused once its segment was hashed.
const MAX_HEADER_SEGMENT_BYTES = 1 << 26;
const OPEN_HASH_BUFFERS = 4;
let openCurrent = null;
let openNext = null;
let openRing = [];

// Up to n bytes of fd at pos into buf (positioned, retrying short reads); fewer only at the end.
function readAt(fd, buf, n, pos) {
  try {
    return readFully(fd, buf, n, pos);
  } catch (e) {
    throw staged(e, 'copy');
  }
}

async function openTo(job) {
  const key = job.key;
  let remote = null;   // the RemoteHash of a blob of more than one segment, until its digest
  try {
    const src = openStrict(job.path, 'copyToFd');
    try {
      try {
        if (!isRegularFd(job.fd)) return { fallback: true };
      } catch (e) {
        throw staged(e, 'copy');
      }
      const stop = (openFailure, segment, last, detail, size, written) =>
        ({ size, sha256: '', written, synced: 0, openFailure, segment, last, detail });
      const header = Buffer.allocUnsafe(32);
      if (readAt(src, header, 32, 0) < 32 || header.toString('latin1', 0, 4) !== 'BMEB') {
        return stop('NOT_A_BLOB', 0, false, 0, 0, 0);
      }
      if (header[4] !== 1) return stop('VERSION', 0, false, header[4], 0, 0);
      const seg = header.readUInt32BE(24);
      if (seg < 1 || seg > MAX_HEADER_SEGMENT_BYTES) return stop('SEGMENT_SIZE', 0, false, 0, 0, 0);
      const segmentLength = seg + NONCE_BYTES + TAG_BYTES;
      if (openCurrent === null || openCurrent.length !== segmentLength) {
        openCurrent = Buffer.allocUnsafe(segmentLength);
        openNext = Buffer.allocUnsafe(segmentLength);
      }
      const cancel = job.cancel === null ? null : new Int32Array(job.cancel);
      const hash = createHash('sha256');
      let cur = openCurrent;
      let next = openNext;
      let at = 32;
      let n = readAt(src, cur, segmentLength, at);
      at += n;
      if (n === segmentLength) {
        remote = new RemoteHash(job.id);
        if (openRing.length !== OPEN_HASH_BUFFERS || openRing[0].length !== seg) {
          openRing = [];
          for (let i = 0; i < OPEN_HASH_BUFFERS; i++) openRing.push(Buffer.from(new SharedArrayBuffer(seg)));
        }
      }
      let size = 0;
      for (let index = 0; ; index++) {
        if (n < NONCE_BYTES + TAG_BYTES) {
          return stop(index === 0 && n === 0 ? 'NO_SEGMENTS' : 'TRUNCATED', index, false, 0, size, size);
        }
        const m = n === segmentLength ? readAt(src, next, segmentLength, at) : 0;
        at += m;
        const last = m === 0;
        const d = createDecipheriv('aes-256-gcm', key, cur.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
        d.setAAD(sealAad(header, index, last, last ? job.sha256 : ''));
        d.setAuthTag(cur.subarray(n - TAG_BYTES, n));
        const plain = d.update(cur.subarray(NONCE_BYTES, n - TAG_BYTES));
        try {
          d.final();
        } catch (e) {
          plain.fill(0);   // never written anywhere
          return stop('AUTH', index, last, 0, size, size);
        }
        if (remote !== null) {
          // segment index - 4, whose buffer this one takes
          if (remote.pending.length >= OPEN_HASH_BUFFERS) await remote.settleOldest();
          const slot = openRing[index % OPEN_HASH_BUFFERS];
          plain.copy(slot);
          remote.update(slot.buffer, plain.length);
        } else {
          hash.update(plain);
        }
        size += plain.length;
        if (plain.length > 0) {
          for (let off = 0; off < plain.length;) {
            try {
              off += fs.writeSync(job.fd, plain, off, plain.length - off, null);
            } catch (e) {
              throw staged(e, 'copy');
            }
          }
          if (job.progress) parentPort.postMessage({ id: job.id, kind: 'progress', bytes: size });
        }
        if (cancel !== null && Atomics.load(cancel, 0) !== 0) throw failure('CANCELLED', 'cancelled', '', 0, 'copy');
        if (last) break;
        const t = cur;
        cur = next;
        next = t;
        n = m;
      }
      const hashing = remote;
      remote = null;
      const sha256 = hashing !== null ? await hashing.digest() : hash.digest('hex');
      if ((job.size >= 0 && size !== job.size) || sha256 !== job.sha256) {
        return stop('CONTENT', 0, false, size, size, size);
      }
      let synced = 0;
      if (job.durable) {
        try {
          fs.fsyncSync(job.fd);
          synced = 1;
        } catch (e) {
          if (!cannotSync(e)) throw staged(e, 'sync');
        }
      }
      return { size, sha256, written: size, synced, openFailure: '', segment: 0, last: false, detail: 0 };
    } finally {
      // a blob that did not open, or a failure: the hashes in flight are waited for (their buffers are reused)
      if (remote !== null) await remote.drop();
      try { fs.closeSync(src); } catch (ignored) { /* cleanup */ }
    }
  } finally {
    if (key) key.fill(0);
  }
}
`;
