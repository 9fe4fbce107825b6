/*
 * The part of the copy worker's source (spliced into CopyWorkerSealedSource.ts) that lets a sealed or an
 * opened copy hash on another thread: a copy worker starts, the first time such a copy of more than one
 * segment needs it (or at warmUp), one hashing thread of its own (a nested Worker, unref'd: it never keeps
 * the process alive, and it ends with its copy worker). Such a copy costs a SHA-256 pass and an AES-GCM
 * pass over every byte; on one thread they run one after the other, with the hashing thread side by side
 * (this thread encrypts or decrypts segment i while that one hashes it), so it keeps two cores busy where
 * a plain copy keeps one. The segments travel as SharedArrayBuffers; the key never does.
 * Plain JavaScript; it uses failure() of the rest of the source.
 *
 * Requests are answered one by one, in the order they were sent: update (a segment's bytes into the hash
 * of a job id), digest (that hash's hex, and the end of it) and drop (a failed job's hash thrown away).
 * An answer settles to {hex} or {error}, never rejects; a hashing thread that stops answers every request
 * still waiting with an error, and the next sealed copy starts a new one.
 */
export const HASHER_SOURCE = String.raw`
function hasherMain() {
  const { parentPort } = require('node:worker_threads');
  const { createHash } = require('node:crypto');
  const hashes = new Map();
  parentPort.on('message', (m) => {
    try {
      let h = hashes.get(m.id);
      if (m.op === 'update') {
        if (h === undefined) {
          h = createHash('sha256');
          hashes.set(m.id, h);
        }
        h.update(new Uint8Array(m.buf, 0, m.n));
        parentPort.postMessage({ ok: true, hex: '' });
      } else if (m.op === 'digest') {
        hashes.delete(m.id);
        parentPort.postMessage({ ok: true, hex: (h === undefined ? createHash('sha256') : h).digest('hex') });
      } else {
        hashes.delete(m.id);
        parentPort.postMessage({ ok: true, hex: '' });
      }
    } catch (e) {
      hashes.delete(m.id);
      parentPort.postMessage({ ok: false, message: String(e && e.message ? e.message : e) });
    }
  });
}

let hashingThread = null;

function hasher() {
  if (hashingThread !== null) return hashingThread;
  const { Worker } = require('node:worker_threads');
  const t = { worker: new Worker('(' + hasherMain.toString() + ')()', { eval: true }), waiting: [], online: null };
  t.worker.unref();
  t.online = new Promise((resolve) => {
    t.worker.once('online', resolve);
    t.worker.once('exit', resolve);
  });
  const stopped = (why) => {
    if (hashingThread === t) hashingThread = null;
    for (const answer of t.waiting.splice(0)) {
      answer({ error: failure('', 'copyFromFdSealed: the hashing thread stopped (' + why + ')', 'EIO', 0, 'copy') });
    }
  };
  t.worker.on('message', (m) => {
    const answer = t.waiting.shift();
    if (answer === undefined) return;
    answer(m.ok ? { hex: m.hex } : { error: failure('', 'copyFromFdSealed: hashing failed: ' + m.message, 'EIO', 0, 'copy') });
  });
  t.worker.on('error', (e) => stopped(e && e.message ? e.message : String(e)));
  t.worker.on('exit', (code) => stopped('exit ' + code));
  hashingThread = t;
  return t;
}

// One request to thread t; settles to {hex} or {error}.
function askHasher(t, request) {
  return new Promise((resolve) => {
    if (hashingThread !== t) {
      resolve({ error: failure('', 'copyFromFdSealed: the hashing thread stopped', 'EIO', 0, 'copy') });
      return;
    }
    t.waiting.push(resolve);
    t.worker.postMessage(request);
  });
}

// The hash of one sealed copy (job id) on the hashing thread: update(buf, n) hashes the first n bytes of
// the SharedArrayBuffer buf, which must not change until the promise it returns settles; digest() waits
// for every update and gives the hex (or throws the first error); settleOldest() waits for the oldest
// update still pending (throwing its error), so that its buffer may be reused; drop() waits for them all and
// forgets the hash.
class RemoteHash {
  constructor(id) {
    this.id = id;
    this.thread = hasher();
    this.pending = [];
  }

  update(buf, n) {
    const p = askHasher(this.thread, { op: 'update', id: this.id, buf, n });
    this.pending.push(p);
    return p;
  }

  // Waits for the oldest update still pending (its buffer may then be reused); throws its error.
  async settleOldest() {
    const a = await this.pending.shift();
    if (a !== undefined && a.error !== undefined) throw a.error;
  }

  async settled() {
    const answers = await Promise.all(this.pending.splice(0));
    const bad = answers.find((a) => a.error !== undefined);
    if (bad !== undefined) throw bad.error;
  }

  async digest() {
    const d = askHasher(this.thread, { op: 'digest', id: this.id });
    await this.settled();
    const r = await d;
    if (r.error !== undefined) throw r.error;
    return r.hex;
  }

  async drop() {
    const d = askHasher(this.thread, { op: 'drop', id: this.id });
    await Promise.all(this.pending.splice(0).concat([d]));
  }
}
`;
