/*
 * The limit: the same bytes copied and hashed by the best plain Node code on this machine, to say how
 * close the engine gets to what Node can do at all. Two worker threads (one per core of the 2-core
 * machines the targets were set on) share one list of files; each takes the next file, reads it with
 * synchronous fs calls in 256 KiB chunks (the fastest of 64 KiB, 256 KiB and 1 MiB here), hashes each
 * chunk with crypto.createHash('sha256') and writes it out. No event loop, no thread pool, no copy
 * between threads: nothing but read, hash and write on every core.
 *
 * hashOnly() is the same without the write: what hashing the bytes from the page cache costs on every
 * core, the ceiling of anything that hashes every byte. copy(dst, false, true) also fsyncs every file
 * before closing it: the limit of a copy that is durable file by file, as the engine's backup is.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { elapsedMs } from './Measure';
import { startBenchWorker } from './Workers';

export const LIMIT_WORKERS = 2;
export const LIMIT_CHUNK_BYTES = 256 * 1024;

interface WorkerAnswer {
  kind: string;
  bytes?: number;
  files?: number;
  hashes?: { [rel: string]: string };
  message?: string;
}

export class LimitPool {
  readonly src: string;
  readonly files: string[];
  private readonly workers: Worker[] = [];
  private readonly counter: Int32Array;
  private readonly counterBuffer: SharedArrayBuffer;
  /** Folders (relative) that a copy needs, parents first. */
  private readonly folders: string[];

  /** A pool for copying the files under src (paths relative to src). */
  constructor(src: string, files: string[]) {
    this.src = src;
    this.files = files;
    this.counterBuffer = new SharedArrayBuffer(4);
    this.counter = new Int32Array(this.counterBuffer);
    const folders = new Set<string>();
    for (const f of files) {
      for (let d = path.posix.dirname(f); d !== '.' && !folders.has(d); d = path.posix.dirname(d)) {
        folders.add(d);
      }
    }
    this.folders = Array.from(folders).sort((a, b) => a.split('/').length - b.split('/').length);
    for (let i = 0; i < LIMIT_WORKERS; i++) {
      const w = startBenchWorker();
      w.postMessage({ kind: 'load', src, files, counter: this.counterBuffer });
      this.workers.push(w);
    }
  }

  /** Copies every file to dst (created, must not exist) while hashing it; returns the ms. With collect,
   *  also the sha256 of every file (relative path -> hex; collecting costs a little, so not in timed runs);
   *  durable: every copy fsynced before it is closed. */
  async copy(dst: string, collect: boolean = false, durable: boolean = false):
    Promise<{ ms: number; hashes: Map<string, string> }> {
    const t = process.hrtime.bigint();
    fs.mkdirSync(dst);
    for (const d of this.folders) {
      fs.mkdirSync(path.join(dst, d));
    }
    const answers = await this.runAll(dst, collect, durable);
    const ms = elapsedMs(t);
    return { ms, hashes: this.merge(answers) };
  }

  /** Reads and hashes every file without writing; returns the ms. */
  async hashOnly(): Promise<number> {
    const t = process.hrtime.bigint();
    await this.runAll('', false, false);
    return elapsedMs(t);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private async runAll(dst: string, collect: boolean, durable: boolean): Promise<WorkerAnswer[]> {
    Atomics.store(this.counter, 0, 0);
    const answers = await Promise.all(this.workers.map((w) => new Promise<WorkerAnswer>((resolve, reject) => {
      const onError = (e: Error): void => {
        w.off('message', onMessage);
        reject(e);
      };
      const onMessage = (m: WorkerAnswer): void => {
        w.off('error', onError);
        resolve(m);
      };
      w.once('message', onMessage);
      w.once('error', onError);
      w.postMessage({ kind: 'run', dst, chunk: LIMIT_CHUNK_BYTES, collect, durable });
    })));
    const failed = answers.find((a) => a.kind !== 'done');
    if (failed !== undefined) {
      throw new Error(`limit worker: ${failed.message ?? failed.kind}`);
    }
    const files = answers.reduce((n, a) => n + (a.files ?? 0), 0);
    if (files !== this.files.length) {
      throw new Error(`limit workers handled ${files} of ${this.files.length} files`);
    }
    return answers;
  }

  private merge(answers: WorkerAnswer[]): Map<string, string> {
    const out = new Map<string, string>();
    for (const a of answers) {
      for (const rel of Object.keys(a.hashes ?? {})) {
        out.set(rel, (a.hashes ?? {})[rel]);
      }
    }
    return out;
  }
}
