/*
 * The repository's write path on its own (backup/repo: RepoWriter, BlobStore), without the engine or a
 * service: the files under a folder stored as one set, each from an fd opened before the clock starts,
 * four at a time as the engine's copy slots store them, then committed. What the timed part holds is the
 * repository: the copy into a temporary file while hashing, the sync, the placement of each blob (the
 * fan-out folder, the check for content already there, the rename), the folder syncs and the commit.
 *
 * OpCountingStore counts the FileStore calls made, so a line can say how many of each a file costs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ManualClock } from '../../entry/src/main/ets/backup/port/Clock';
import { CopyOptions, FileFacts, FileStat, FileStore } from '../../entry/src/main/ets/backup/port/FileStore';
import { SilentLogger } from '../../entry/src/main/ets/backup/port/Logger';
import { BundleOutcome } from '../../entry/src/main/ets/backup/model/SetManifest';
import { Repository } from '../../entry/src/main/ets/backup/repo/Repository';
import { AppEntry } from '../../entry/src/main/ets/backup/repo/SnapshotManifest';
import { WriterStart, WriterStats } from '../../entry/src/main/ets/backup/repo/RepoWriter';
import { DelegatingFileStore } from './DelegatingFileStore';
import { BenchRecord, elapsedMs } from './Measure';

/** FileStore calls by name. */
export class OpCountingStore extends DelegatingFileStore {
  readonly ops: Map<string, number> = new Map<string, number>();

  constructor(inner: FileStore) {
    super(inner);
  }

  reset(): void {
    this.ops.clear();
  }

  /** Calls per file stored (2 decimals), by name. */
  perFile(files: number): BenchRecord {
    const out: BenchRecord = {};
    Array.from(this.ops.keys()).sort().forEach((k) => {
      out[k] = Math.round((this.ops.get(k) ?? 0) / Math.max(1, files) * 100) / 100;
    });
    return out;
  }

  private count(op: string): void {
    this.ops.set(op, (this.ops.get(op) ?? 0) + 1);
  }

  copyFromFd(fd: number, p: string, options?: CopyOptions): Promise<FileFacts> {
    this.count('copyFromFd');
    return super.copyFromFd(fd, p, options);
  }

  hashFile(p: string): Promise<FileFacts> {
    this.count('hashFile');
    return super.hashFile(p);
  }

  stat(p: string): Promise<FileStat | undefined> {
    this.count('stat');
    return super.stat(p);
  }

  mkdirs(p: string): Promise<void> {
    this.count('mkdirs');
    return super.mkdirs(p);
  }

  rename(from: string, to: string): Promise<void> {
    this.count('rename');
    return super.rename(from, to);
  }

  remove(p: string): Promise<void> {
    this.count('remove');
    return super.remove(p);
  }

  syncDir(p: string): Promise<void> {
    this.count('syncDir');
    return super.syncDir(p);
  }

  writeTextAtomic(p: string, text: string): Promise<void> {
    this.count('writeTextAtomic');
    return super.writeTextAtomic(p, text);
  }

  list(dir: string): Promise<string[]> {
    this.count('list');
    return super.list(dir);
  }
}

/** One file to store: app, uri and where its bytes are. */
export interface RepoSource {
  app: string;
  uri: string;
  file: string;
}

/** The files under src as sources: the first folder level is the app, the rest the uri. */
export function sourcesUnder(src: string, rel: string[]): RepoSource[] {
  return rel.map((r) => {
    const parts = r.split('/');
    return { app: parts[0], uri: parts.slice(1).join('/'), file: path.join(src, r) };
  });
}

/** What one stored set took and did. */
export interface RepoWriteRun {
  ms: number;
  stats: WriterStats;
}

/** A repository under root, written through `files` (an OpCountingStore over the given store). */
export class RepoWriteBench {
  readonly root: string;
  readonly files: OpCountingStore;
  private readonly repo: Repository;
  private clockMs: number = Date.UTC(2026, 0, 1);

  constructor(root: string, store: FileStore) {
    this.root = root;
    this.files = new OpCountingStore(store);
    this.repo = new Repository(this.files, root, new SilentLogger(), { clock: new ManualClock(this.clockMs) });
  }

  /** Stores every source as one set, `lanes` at a time; the fds are opened before and closed after the
   *  clock. Returns the ms of the timed part (writer opened to set committed) and what the writer did. */
  async once(sources: RepoSource[], lanes: number = 4): Promise<RepoWriteRun> {
    const fds = sources.map((s) => fs.openSync(s.file, 'r'));
    const session = await this.repo.lock('bench');
    try {
      this.clockMs += 60000;
      const start = new WriterStart();
      start.owner = 'bench';
      start.startedAt = this.clockMs;
      const apps: string[] = [];
      for (const s of sources) {
        if (!apps.includes(s.app)) {
          apps.push(s.app);
        }
      }
      start.apps = apps;
      const t = process.hrtime.bigint();
      const w = await session.openWriter(start);
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < sources.length) {
          const i = next++;
          await w.storeFile(sources[i].app, sources[i].uri, fds[i]);
        }
      };
      const running: Promise<void>[] = [];
      for (let l = 0; l < lanes; l++) {
        running.push(lane());
      }
      await Promise.all(running);
      for (const app of apps) {
        const e = new AppEntry();
        e.id = app;
        e.name = app;
        e.outcome = BundleOutcome.DONE;
        await w.finishApp(e);
      }
      const done = await w.commit();
      return { ms: elapsedMs(t), stats: done.stats };
    } finally {
      await session.release();
      for (const fd of fds) {
        fs.closeSync(fd);
      }
    }
  }

  /** Bytes under root/blobs (what the repository's content takes). */
  blobBytes(): number {
    let total = 0;
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
          walk(p);
        } else if (e.isFile()) {
          total += fs.statSync(p).size;
        }
      }
    };
    if (fs.existsSync(`${this.root}/blobs`)) {
      walk(`${this.root}/blobs`);
    }
    return total;
  }

  /** Removes every set and blob (the next once() stores everything anew). */
  clear(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
