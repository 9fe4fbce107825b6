/*
 * Counts the FileStore calls made through a store, by method (copyFromFd split by durability, writeTextAtomic
 * counting as the durable write it is), for the benches that report what the engine does per app. A Proxy:
 * every method of the port passes through unchanged.
 */
import { CopyOptions, FileStore } from '../../entry/src/main/ets/backup/port/FileStore';
import { BenchRecord, round } from './Measure';

export class OpCounts {
  readonly calls: Map<string, number> = new Map<string, number>();

  add(name: string): void {
    this.calls.set(name, (this.calls.get(name) ?? 0) + 1);
  }

  /** Calls per `per` (e.g. per app), by method name, sorted. */
  json(per: number): BenchRecord {
    const out: BenchRecord = {};
    for (const name of [...this.calls.keys()].sort()) {
      out[name] = round((this.calls.get(name) ?? 0) / Math.max(1, per), 2);
    }
    return out;
  }
}

/** store, counting every call into counts. */
export function countingOps(store: FileStore, counts: OpCounts): FileStore {
  return new Proxy(store, {
    get(target: FileStore, prop: string | symbol, receiver: unknown): unknown {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function' || typeof prop !== 'string') {
        return v;
      }
      return (...args: unknown[]): unknown => {
        let name = prop;
        if (prop === 'copyFromFd' || prop === 'copyFromFdUnlessSame') {
          const options = args[prop === 'copyFromFd' ? 2 : 3] as CopyOptions | undefined;
          name += options?.durable === true ? '(durable)' : '';
        }
        counts.add(name);
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
