/*
 * The source of one copy worker (see CopyWorkers.ts for what a job is and what it answers): plain
 * JavaScript evaluated by the Worker, because the host tools run bundled into a cache folder, where a
 * worker file beside this one could not be found by path. The encrypting and decrypting copies ('seal',
 * 'open') are in CopyWorkerSealedSource.ts, spliced in below.
 */
import { SEALED_COPY_SOURCE } from './CopyWorkerSealedSource';

export const COPY_WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');

const READ_FLAGS = workerData.readFlags;
let buffer = Buffer.allocUnsafe(workerData.chunk);

function failure(kind, message, code, errno, stage) {
  const e = new Error(message);
  e.storeKind = kind;
  e.code = code;
  e.errno = errno;
  e.stage = stage;
  return e;
}

function typeOf(st) {
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function notAFile(op, p, type, errno) {
  return failure('NOT_A_FILE', op + ': ' + p + ' is ' + type + ', not a regular file', '', errno || 0, 'open');
}

function staged(e, stage) {
  if (e && e.stage === undefined) e.stage = stage;
  return e;
}

// NodeFileStore.openReadFd, synchronously.
function openStrict(p, op) {
  let before;
  try {
    before = fs.lstatSync(p);
  } catch (e) {
    throw staged(e, 'lstat');
  }
  if (!before.isFile()) throw notAFile(op, p, typeOf(before));
  let fd;
  try {
    fd = fs.openSync(p, READ_FLAGS);
  } catch (e) {
    if (e && e.code === 'ELOOP') throw notAFile(op, p, 'a symbolic link', -e.errno);
    if (e && e.code === 'ENXIO') throw notAFile(op, p, 'a socket or a device without a driver', -e.errno);
    throw staged(e, 'open');
  }
  try {
    const after = fs.fstatSync(fd);
    if (!after.isFile()) throw notAFile(op, p, typeOf(after));
    if (after.ino !== before.ino || after.dev !== before.dev) {
      throw notAFile(op, p, 'another file than a moment before (replaced while it was opened)');
    }
    return fd;
  } catch (e) {
    try { fs.closeSync(fd); } catch (ignored) { /* cleanup */ }
    throw staged(e, 'open');
  }
}

function cannotSync(e) {
  const c = e && e.code;
  return c === 'EINVAL' || c === 'ENOTSUP' || c === 'EOPNOTSUPP' || c === 'EISDIR';
}

// The new file a copy wrote (fd, still open), its facts done: a durable one is synced (and closed) on the
// thread pool while this thread takes the next job (facts.syncFd), any other closed here.
function handOver(job, facts, fd) {
  if (job.durable) {
    facts.syncFd = fd;
    return facts;
  }
  try { fs.closeSync(fd); } catch (e) { throw staged(e, 'copy'); }
  return facts;
}

// Streams src to dst (-1: hash only); positioned: explicit offsets from 0, else the fd's own offset.
// start: {hash, total, written} of what is already in dst (copyUnlessSame), else undefined.
// Progress (job.progress) after a chunk once PROGRESS_BYTES more were written since the last report and,
// after the first report, PROGRESS_MS have passed since it; and at the end. Each report is a message the
// caller's thread handles: per MiB, a restore of 16 MiB files at the limit's speed cost the main thread
// about 2,000 of them a second (4-6 ms of CPU in a 230 ms run here), far more than a progress view shows
// (10 a second); now a 16 MiB file costs it about 3.
const PROGRESS_BYTES = 1024 * 1024;
const PROGRESS_MS = 25;
function pump(job, src, srcPositioned, dst, dstPositioned, start) {
  if (buffer.length !== job.chunk) buffer = Buffer.allocUnsafe(job.chunk);
  const hash = start === undefined ? createHash('sha256') : start.hash;
  const cancel = job.cancel === null ? null : new Int32Array(job.cancel);
  let total = start === undefined ? 0 : start.total;
  let written = start === undefined ? 0 : start.written;
  let reported = total;
  let reportedAt = 0;   // Date.now() of the last report; 0: none yet
  for (;;) {
    const room = job.maxBytes < 0 ? buffer.length : Math.min(buffer.length, job.maxBytes + 1 - total);
    let n;
    try {
      n = fs.readSync(src, buffer, 0, room, srcPositioned ? total : null);
    } catch (e) {
      throw staged(e, 'copy');
    }
    if (n <= 0) break;
    total += n;
    if (job.maxBytes >= 0 && total > job.maxBytes) throw failure('LIMIT', 'limit', '', 0, 'copy');
    const chunk = n === buffer.length ? buffer : buffer.subarray(0, n);
    hash.update(chunk);
    if (dst >= 0) {
      for (let off = 0; off < n;) {
        let w;
        try {
          w = fs.writeSync(dst, buffer, off, n - off, dstPositioned ? total - n + off : null);
        } catch (e) {
          throw staged(e, 'copy');
        }
        off += w;
        written += w;
      }
      if (job.progress && total - reported >= PROGRESS_BYTES) {
        const now = Date.now();
        if (reportedAt === 0 || now - reportedAt >= PROGRESS_MS) {
          parentPort.postMessage({ id: job.id, kind: 'progress', bytes: total });
          reported = total;
          reportedAt = now;
        }
      }
    }
    if (cancel !== null && Atomics.load(cancel, 0) !== 0) throw failure('CANCELLED', 'cancelled', '', 0, 'copy');
  }
  if (dst >= 0 && job.progress && total > reported) {
    parentPort.postMessage({ id: job.id, kind: 'progress', bytes: total });
  }
  return { size: total, sha256: hash.digest('hex'), written, synced: 0, syncFd: undefined };
}

function isRegularFd(fd) {
  return fs.fstatSync(fd).isFile();
}

function copyFrom(job) {
  try {
    if (!isRegularFd(job.fd)) return { fallback: true };
  } catch (e) {
    throw staged(e, 'copy');
  }
  let out;
  try {
    out = fs.openSync(job.path, 'w');
  } catch (e) {
    throw staged(e, 'open');
  }
  let open = true;
  try {
    const facts = pump(job, job.fd, false, out, true);
    open = false;
    return handOver(job, facts, out);
  } catch (e) {
    if (open) {
      try { fs.closeSync(out); } catch (ignored) { /* cleanup */ }
    }
    // A partial copy is of no use to anyone and may hold the space that ran out.
    try { fs.rmSync(job.path, { force: true }); } catch (ignored) { /* reported below */ }
    throw e;
  }
}

let baseBuffer = Buffer.allocUnsafe(workerData.chunk);

// Reads up to n bytes of fd at pos into buf (positioned, retrying short reads); fewer only at the end.
function readFully(fd, buf, n, pos) {
  let got = 0;
  while (got < n) {
    const r = fs.readSync(fd, buf, got, n - got, pos + got);
    if (r <= 0) break;
    got += r;
  }
  return got;
}

// Writes buf[0, n) at pos of dst, hashing it; returns bytes written.
function hashAndWrite(hash, dst, buf, n, pos) {
  hash.update(n === buf.length ? buf : buf.subarray(0, n));
  for (let off = 0; off < n;) {
    off += fs.writeSync(dst, buf, off, n - off, pos + off);
  }
  return n;
}

// FileStore.copyFromFdUnlessSame: compare job.fd with job.basePath (job.baseSize bytes); equal to the end:
// {same: true}, nothing written; else the new file gets the base's equal chunks and the fd's bytes from there.
function copyUnlessSame(job) {
  try {
    if (!isRegularFd(job.fd)) return { fallback: true };
  } catch (e) {
    throw staged(e, 'copy');
  }
  if (buffer.length !== job.chunk) buffer = Buffer.allocUnsafe(job.chunk);
  if (baseBuffer.length !== job.chunk) baseBuffer = Buffer.allocUnsafe(job.chunk);
  let base = -1;
  try {
    base = openStrict(job.basePath, 'copyFromFdUnlessSame');
    if (fs.fstatSync(base).size !== job.baseSize) {
      fs.closeSync(base);
      base = -1;
    }
  } catch (e) {
    // An unreadable base only means there is nothing to compare with: the fd is copied.
    if (base >= 0) { try { fs.closeSync(base); } catch (ignored) { /* cleanup */ } }
    base = -1;
  }
  const cancel = job.cancel === null ? null : new Int32Array(job.cancel);
  let out = -1;
  let created = false;
  try {
    let equal = 0;     // bytes of the fd known equal to the base's first bytes
    let pending = 0;   // bytes of the fd read into buffer that differ from the base (or lie past its end)
    let prefix = 0;
    if (base >= 0) {
      for (;;) {
        const room = job.maxBytes < 0 ? buffer.length : Math.min(buffer.length, job.maxBytes + 1 - equal);
        let n;
        try {
          n = fs.readSync(job.fd, buffer, 0, room, null);
        } catch (e) {
          throw staged(e, 'copy');
        }
        if (n <= 0) {
          if (equal === job.baseSize) {
            return { same: true, size: equal, sha256: '', written: 0, synced: 0, samePrefix: equal };
          }
          prefix = equal;
          break;
        }
        if (job.maxBytes >= 0 && equal + n > job.maxBytes) throw failure('LIMIT', 'limit', '', 0, 'copy');
        const want = Math.min(n, job.baseSize - equal);
        let m;
        try {
          m = want > 0 ? readFully(base, baseBuffer, want, equal) : 0;
        } catch (e) {
          throw staged(e, 'copy');
        }
        if (m !== n || buffer.compare(baseBuffer, 0, n, 0, n) !== 0) {
          let i = 0;
          while (i < m && buffer[i] === baseBuffer[i]) i++;
          prefix = equal + i;
          pending = n;
          break;
        }
        equal += n;
        if (job.progress) parentPort.postMessage({ id: job.id, kind: 'progress', bytes: equal });
        if (cancel !== null && Atomics.load(cancel, 0) !== 0) throw failure('CANCELLED', 'cancelled', '', 0, 'copy');
      }
    }
    try {
      out = fs.openSync(job.path, 'w');
      created = true;
    } catch (e) {
      throw staged(e, 'open');
    }
    const hash = createHash('sha256');
    let written = 0;
    try {
      // The base's first bytes, known equal to the fd's (read again through the same open base fd).
      while (written < equal) {
        const m = readFully(base, baseBuffer, Math.min(baseBuffer.length, equal - written), written);
        if (m <= 0) throw failure('', 'copyFromFdUnlessSame: ' + job.basePath + ' shrank while it was read', 'EIO', 0, 'copy');
        written += hashAndWrite(hash, out, baseBuffer, m, written);
      }
      if (pending > 0) {
        written += hashAndWrite(hash, out, buffer, pending, written);
        if (job.progress) parentPort.postMessage({ id: job.id, kind: 'progress', bytes: written });
      }
    } catch (e) {
      throw staged(e, 'copy');
    }
    const facts = pump(job, job.fd, false, out, true, { hash, total: written, written });
    facts.samePrefix = prefix;
    const copied = out;
    out = -1;
    return handOver(job, facts, copied);
  } catch (e) {
    if (out >= 0) {
      try { fs.closeSync(out); } catch (ignored) { /* cleanup */ }
    }
    if (created) {
      // A partial copy is of no use to anyone and may hold the space that ran out.
      try { fs.rmSync(job.path, { force: true }); } catch (ignored) { /* reported below */ }
    }
    throw e;
  } finally {
    if (base >= 0) { try { fs.closeSync(base); } catch (ignored) { /* cleanup */ } }
  }
}

${SEALED_COPY_SOURCE}

function copyTo(job) {
  const src = openStrict(job.path, 'copyToFd');
  try {
    try {
      if (!isRegularFd(job.fd)) return { fallback: true };
    } catch (e) {
      throw staged(e, 'copy');
    }
    const facts = pump(job, src, true, job.fd, false);
    if (job.durable) {
      try {
        fs.fsyncSync(job.fd);
        facts.synced = 1;
      } catch (e) {
        if (!cannotSync(e)) throw staged(e, 'sync');
      }
    }
    return facts;
  } finally {
    try { fs.closeSync(src); } catch (ignored) { /* cleanup */ }
  }
}

function hashOnly(job) {
  const src = openStrict(job.path, 'hashFile');
  try {
    return pump(job, src, true, -1, true);
  } finally {
    try { fs.closeSync(src); } catch (ignored) { /* cleanup */ }
  }
}

function failed(job, e) {
  const err = e || {};
  parentPort.postMessage({ id: job.id, kind: 'failed', fail: {
    kind: typeof err.storeKind === 'string' ? err.storeKind : '',
    code: typeof err.code === 'string' ? err.code : '',
    errno: typeof err.errno === 'number' ? err.errno : 0,
    message: typeof err.message === 'string' ? err.message : String(e),
    stage: typeof err.stage === 'string' ? err.stage : 'copy',
  } });
}

function done(job, r) {
  parentPort.postMessage({ id: job.id, kind: 'done', size: r.size, sha256: r.sha256, written: r.written,
    synced: r.synced, same: r.same === true, samePrefix: typeof r.samePrefix === 'number' ? r.samePrefix : 0,
    openFailure: typeof r.openFailure === 'string' ? r.openFailure : '', segment: r.segment || 0, last: r.last === true,
    detail: r.detail || 0 });
}

// Durable new files whose caller is asked whether to sync them (job.ask): id -> {job, r}.
const asking = new Map();

function closeAndAnswer(job, r, syncErr) {
  const out = r.syncFd;
  let err = syncErr;
  try {
    fs.closeSync(out);
  } catch (e) {
    err = err || e;
  }
  if (err) {
    try { fs.rmSync(job.path, { force: true }); } catch (ignored) { /* reported below */ }
    failed(job, staged(err, 'copy'));
  } else {
    done(job, r);
  }
}

// A durable new file: its fsync runs on the thread pool; this thread is free for the next job meanwhile.
// With job.ask the caller first says whether to sync at all ({kind: 'decide', id, skip}).
function syncThenClose(job, r) {
  const out = r.syncFd;
  if (job.ask) {
    asking.set(job.id, { job, r });
    parentPort.postMessage({ id: job.id, kind: 'ask', size: r.size, sha256: r.sha256 });
    return;
  }
  parentPort.postMessage({ id: job.id, kind: 'free' });
  fs.fsync(out, (syncErr) => {
    let err = syncErr;
    try {
      fs.closeSync(out);
    } catch (e) {
      err = err || e;
    }
    if (err) {
      try { fs.rmSync(job.path, { force: true }); } catch (ignored) { /* reported below */ }
      failed(job, staged(err, 'copy'));
    } else {
      r.synced = 1;
      done(job, r);
    }
  });
}

function decided(m) {
  const a = asking.get(m.id);
  if (a === undefined) return;
  asking.delete(m.id);
  if (m.skip) {
    closeAndAnswer(a.job, a.r, null);
    return;
  }
  fs.fsync(a.r.syncFd, (syncErr) => {
    if (!syncErr) a.r.synced = 1;
    closeAndAnswer(a.job, a.r, syncErr);
  });
}

function settle(job, r) {
  if (r.fallback) {
    parentPort.postMessage({ id: job.id, kind: 'fallback' });
  } else if (r.syncFd !== undefined) {
    syncThenClose(job, r);
  } else {
    done(job, r);
  }
}

parentPort.on('message', (job) => {
  if (job.kind === 'decide') {
    decided(job);
    return;
  }
  if (job.kind === 'warm') {
    hasher().online.then(() => parentPort.postMessage({ id: -1, kind: 'warm' }));
    return;
  }
  jobsHere.push(job);
  runJobs();
});

// The jobs this worker was given and has not started, in their order (CopyWorkers.ts: it may hold one
// behind the one it runs), and whether an asynchronous one ('seal', 'open') runs. One job at a time; a job
// whose claim the caller took back first is skipped without an answer.
const jobsHere = [];
let asyncJobRuns = false;

function runJobs() {
  while (!asyncJobRuns && jobsHere.length > 0) {
    const job = jobsHere.shift();
    if (Atomics.compareExchange(new Int32Array(job.claim), 0, 0, 1) !== 0) continue;
    if (job.op === 'seal' || job.op === 'open') {
      asyncJobRuns = true;
      (job.op === 'seal' ? sealFrom(job) : openTo(job)).then((r) => {
        try {
          settle(job, r);
        } catch (e) {
          failed(job, e);
        }
      }, (e) => failed(job, e)).then(() => {
        asyncJobRuns = false;
        runJobs();
      });
      return;
    }
    try {
      settle(job, job.op === 'from' ? copyFrom(job) : (job.op === 'same' ? copyUnlessSame(job) :
        (job.op === 'to' ? copyTo(job) : hashOnly(job))));
    } catch (e) {
      failed(job, e);
    }
  }
}
`;
