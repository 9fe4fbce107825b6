/*
 * The simulated device's FileStore in the throughput benchmark: everything as the store it wraps, except
 * that hashFile runs in a worker thread of its own. The mock hashes every restored file to check it
 * against what it produced (and the tars and manage.json it sends in a backup); on a device that work
 * happens in the app's extension process, not on the engine's thread, so the bench keeps it off the
 * engine's thread too. Same answers as any FileStore (size and sha256; NOT_FOUND, NOT_A_FILE for a link or
 * anything but a regular file, and the rest as FileStoreErrors), so the mock's checks are unchanged: a
 * flipped byte still fails its restore.
 */
import { FileFacts, FileStore, StoreErrorKind } from '../../entry/src/main/ets/backup/port/FileStore';
import { Worker } from 'node:worker_threads';
import { toStoreError } from '../host/NodeFileStore';
import { DelegatingFileStore } from './DelegatingFileStore';
import { startBenchWorker } from './Workers';

interface HashAnswer {
  kind: string;
  id: number;
  size?: number;
  sha256?: string;
  code?: string;
  message?: string;
}

interface Pending {
  path: string;
  resolve: (facts: FileFacts) => void;
  reject: (e: Error) => void;
}

export class WorkerHashStore extends DelegatingFileStore {
  private readonly worker: Worker;
  private readonly pending: Map<number, Pending> = new Map<number, Pending>();
  private serial: number = 0;
  private failure: Error | undefined = undefined;

  constructor(inner: FileStore) {
    super(inner);
    this.worker = startBenchWorker();
    // Only a pending request keeps the process alive.
    this.worker.unref();
    this.worker.on('message', (m: HashAnswer) => this.answer(m));
    this.worker.on('error', (e: Error) => this.fail(e));
    this.worker.on('exit', (code: number) => this.fail(new Error(`hash worker exited (${code})`)));
  }

  hashFile(path: string): Promise<FileFacts> {
    if (this.failure !== undefined) {
      return Promise.reject(toStoreError(this.failure, `hashFile ${path}`));
    }
    this.serial++;
    const id = this.serial;
    return new Promise<FileFacts>((resolve, reject) => {
      this.pending.set(id, { path, resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ kind: 'hash', id, path });
    });
  }

  /** Stops the worker; later hashFile calls fail. */
  async shutdown(): Promise<void> {
    this.failure = this.failure ?? new Error('hash worker closed');
    await this.worker.terminate();
  }

  private answer(m: HashAnswer): void {
    const p = this.pending.get(m.id);
    if (p === undefined) {
      return;
    }
    this.pending.delete(m.id);
    if (this.pending.size === 0) {
      this.worker.unref();
    }
    if (m.sha256 !== undefined && m.size !== undefined) {
      p.resolve({ size: m.size, sha256: m.sha256 });
    } else {
      p.reject(toStoreError({ code: m.code ?? '', message: m.message ?? 'failed' }, `hashFile ${p.path}`,
        new Map([['NOT_A_FILE', StoreErrorKind.NOT_A_FILE]])));
    }
  }

  private fail(e: Error): void {
    this.failure = this.failure ?? e;
    const all = Array.from(this.pending.values());
    this.pending.clear();
    for (const p of all) {
      p.reject(toStoreError(e, `hashFile ${p.path}`));
    }
  }
}
