/*
 * The worker threads of the benchmarks, one plain-JavaScript source (the bench is bundled into a cache
 * folder, so a worker file beside it could not be found by path; eval'd source needs no path). A worker
 * does what it is told, with synchronous fs calls (no thread-pool round trip) and node:crypto:
 *
 *   {kind: 'load', src, files, counter}    the job list of later runs: paths relative to src, and a
 *                                          SharedArrayBuffer whose first Int32 hands out the next index
 *                                          (so several workers share one list without messages)
 *   {kind: 'run', dst, chunk, collect,     takes files until the list is used up: reads each in chunks of
 *    durable}                              `chunk` bytes, hashes it (sha256) and, unless dst is '', writes
 *                                          it to dst/<relative path> (folders must exist; with durable,
 *                                          fsynced before it is closed, as the engine's backup copies are); answers
 *                                          {kind: 'done', bytes, files, hashes?} (hashes: relative path
 *                                          -> hex, only when collect) or {kind: 'failed', message}
 *   {kind: 'hash', id, path}               size and sha256 of one regular file, opened as the FileStore port
 *                                          says (no link followed, nothing else opened: code NOT_A_FILE);
 *                                          answers {kind: 'hashed', id, size, sha256} or {kind: 'hashed', id,
 *                                          code, message} (code: the errno name, or NOT_A_FILE)
 */
import { Worker } from 'node:worker_threads';

const SOURCE = String.raw`
'use strict';
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');

let job = { src: '', files: [], counter: null };
let buffer = Buffer.allocUnsafe(256 * 1024);
const STRICT = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | (fs.constants.O_NONBLOCK || 0);

function notAFile(p) {
  const e = new Error(p + ' is not a regular file');
  e.code = 'NOT_A_FILE';
  return e;
}

function openStrict(p) {
  let fd;
  try {
    fd = fs.openSync(p, STRICT);
  } catch (e) {
    if (e && (e.code === 'ELOOP' || e.code === 'ENXIO')) throw notAFile(p);
    throw e;
  }
  if (!fs.fstatSync(fd).isFile()) {
    fs.closeSync(fd);
    throw notAFile(p);
  }
  return fd;
}

function hashInto(srcPath, dstPath, hash, strict, durable) {
  const input = strict ? openStrict(srcPath) : fs.openSync(srcPath, 'r');
  let output = -1;
  let bytes = 0;
  try {
    if (dstPath !== '') output = fs.openSync(dstPath, 'w');
    for (;;) {
      const n = fs.readSync(input, buffer, 0, buffer.length, null);
      if (n === 0) break;
      hash.update(n === buffer.length ? buffer : buffer.subarray(0, n));
      for (let off = 0; output >= 0 && off < n;) off += fs.writeSync(output, buffer, off, n - off);
      bytes += n;
    }
    if (durable && output >= 0) fs.fsyncSync(output);
  } finally {
    fs.closeSync(input);
    if (output >= 0) fs.closeSync(output);
  }
  return bytes;
}

parentPort.on('message', (m) => {
  if (m.kind === 'load') {
    job = { src: m.src, files: m.files, counter: new Int32Array(m.counter) };
  } else if (m.kind === 'run') {
    try {
      if (buffer.length !== m.chunk) buffer = Buffer.allocUnsafe(m.chunk);
      let bytes = 0;
      let files = 0;
      const hashes = m.collect ? {} : undefined;
      for (;;) {
        const i = Atomics.add(job.counter, 0, 1);
        if (i >= job.files.length) break;
        const rel = job.files[i];
        const hash = createHash('sha256');
        bytes += hashInto(job.src + '/' + rel, m.dst === '' ? '' : m.dst + '/' + rel, hash, false, m.durable === true);
        const hex = hash.digest('hex');
        if (hashes !== undefined) hashes[rel] = hex;
        files++;
      }
      parentPort.postMessage({ kind: 'done', bytes, files, hashes });
    } catch (e) {
      parentPort.postMessage({ kind: 'failed', message: String(e && e.message ? e.message : e) });
    }
  } else if (m.kind === 'hash') {
    try {
      const hash = createHash('sha256');
      const size = hashInto(m.path, '', hash, true, false);
      parentPort.postMessage({ kind: 'hashed', id: m.id, size, sha256: hash.digest('hex') });
    } catch (e) {
      parentPort.postMessage({ kind: 'hashed', id: m.id, code: e && e.code ? String(e.code) : '',
        message: String(e && e.message ? e.message : e) });
    }
  }
});
`;

/** A new bench worker (see the top of this file); the caller terminates it. */
export function startBenchWorker(): Worker {
  return new Worker(SOURCE, { eval: true });
}
