/*
 * The simulated device's FileStore in the re-backup benches: every call passes through, except that the
 * device's own text files (manage.json and .rp reports it hands over, capability files, its bookkeeping)
 * are written atomically but not fsynced. Those are the device's work, not the engine's: a real
 * extension writes them in its own process, and the mock unlinks most of them as soon as it opened them.
 * Left durable, their fsyncs queue on the same thread pool and disk journal as the engine's and are timed
 * with the engine (issue 11, "The bench": the simulated device's own work is outside the timed part or off
 * the engine's thread). Same text, same names, same order; only the sync is left out.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileStore } from '../../entry/src/main/ets/backup/port/FileStore';
import { toStoreError } from '../host/NodeFileStore';
import { DelegatingFileStore } from './DelegatingFileStore';

export class DeviceStore extends DelegatingFileStore {
  private serial: number = 0;

  constructor(inner: FileStore) {
    super(inner);
  }

  async writeTextAtomic(p: string, text: string): Promise<void> {
    this.serial++;
    const temp = path.join(path.dirname(p), `.${path.basename(p)}.${process.pid}.${this.serial}.device.tmp`);
    try {
      await fs.promises.writeFile(temp, text, { flag: 'wx', mode: 0o644 });
      await fs.promises.rename(temp, p);
    } catch (e) {
      await fs.promises.rm(temp, { force: true }).catch(() => undefined);
      throw toStoreError(e, `writeTextAtomic ${p}`);
    }
  }
}
