/*
 * small_files: a backup of 10,000 files of 4 KiB (8 bundles) handed over one by one by the stub service
 * (StubBackupService.ts: real fds on existing files, the service's callback order), against `cp -r`,
 * `cp -r` + openssl and the limit (Limit.ts) of the same files, in alternating rounds (Measure.ts).
 *
 * The service's own work is kept out of the engine's time: the files exist before the first round, and
 * the stub opens every fd it will hand out (and writes each bundle's manage.json) before the clock starts
 * (StubBackupService.prepare()). What the engine's time holds is the engine: taking each fd, copying and
 * hashing it into the set, the manifest, and moving the set into place.
 *
 * `repo` beside it: the same files stored into an empty repository through its write path alone
 * (RepoWrite.ts, no engine), with the FileStore calls each file cost (`ops_per_file`).
 */
import * as fs from 'node:fs';
import { randomFillSync } from 'node:crypto';
import { SilentLogger } from '../../entry/src/main/ets/backup/port/Logger';
import { BackupRun } from '../../entry/src/main/ets/backup/session/BackupRun';
import { SystemClock } from '../../entry/src/main/ets/backup/port/Clock';
import { Repository } from '../../entry/src/main/ets/backup/repo/Repository';
import { NodeFileStore } from '../host/NodeFileStore';
import { comparisonJson, hasherJson, tryHasher, yardsticks } from './Compare';
import { BenchConfig } from './Config';
import { LimitPool } from './Limit';
import {
  BenchRecord, bytesOf, filesUnder, MIB, putStats, round, runRounds, sleep, tempRoot, timed, warmPageAllocator,
  warmupJson
} from './Measure';
import { ChildWindow, profiledWindow, profileJson } from './Profile';
import { checkRun } from './SimDevice';
import { StubBackupService, StubBundle, StubFile } from './StubBackupService';
import { RepoWriteBench, sourcesUnder } from './RepoWrite';

/** The stub's bundles over the files under src (`smallBundles` folders of `smallFiles` files in all,
 *  `smallFileBytes` random bytes each); write: create the files too. */
function smallBundles(cfg: BenchConfig, src: string, write: boolean): StubBundle[] {
  const list: StubBundle[] = [];
  for (let b = 0; b < cfg.smallBundles; b++) {
    const id = `com.bench.small${b}`;
    if (write) {
      fs.mkdirSync(`${src}/${id}`, { recursive: true });
    }
    list.push(new StubBundle(id, []));
  }
  const data = Buffer.alloc(cfg.smallFileBytes);
  for (let i = 0; i < cfg.smallFiles; i++) {
    const b = list[i % list.length];
    const uri = `f${i.toString().padStart(6, '0')}.dat`;
    const p = `${src}/${b.id}/${uri}`;
    if (write) {
      randomFillSync(data);
      fs.writeFileSync(p, data);
    }
    b.files.push(new StubFile(uri, p, cfg.smallFileBytes));
  }
  return list;
}

/** Backups of the small files into a store under root, each through a fresh, prepared stub service. */
class SmallBackups {
  /** False once a stub could not open its fds before the run. */
  fdsPrepared: boolean = true;
  private readonly root: string;
  private readonly bundles: StubBundle[];
  private readonly files: NodeFileStore = new NodeFileStore();
  private readonly storeDir: string;

  constructor(root: string, bundles: StubBundle[], storeLabel: string) {
    this.root = root;
    this.bundles = bundles;
    this.storeDir = `${root}/${storeLabel}`;
    fs.mkdirSync(`${root}/service`, { recursive: true });
  }

  /**
   * One backup into a fresh repository (every byte written, as a first backup writes it); inside(run) is what
   * gets timed or profiled (the stub is prepared before, the repository removed after).
   */
  async once<T>(inside: (run: () => Promise<void>) => Promise<T>): Promise<T> {
    const service = new StubBackupService(`${this.root}/service`, this.bundles, true);
    try {
      this.fdsPrepared = service.prepare() && this.fdsPrepared;
      const repo = new Repository(this.files, this.storeDir, new SilentLogger(), { clock: new SystemClock() });
      return await inside(async () => {
        const deps = { module: service, files: this.files, repo, logger: new SilentLogger() };
        checkRun(await new BackupRun(deps, this.bundles.map((b) => b.id)).start(), 'small_files backup');
      });
    } finally {
      fs.rmSync(this.storeDir, { recursive: true, force: true });
      service.dispose();
    }
  }
}

export async function smallFilesBench(cfg: BenchConfig): Promise<BenchRecord> {
  const root = tempRoot('small');
  let pool: LimitPool | undefined = undefined;
  try {
    const src = `${root}/src`;
    const bundles = smallBundles(cfg, src, true);
    const backups = new SmallBackups(root, bundles, 'store');
    const srcFiles = filesUnder(src);
    const bytes = bytesOf(src, srcFiles);
    pool = new LimitPool(src, srcFiles);
    const { hasher, why } = tryHasher();
    // The repository's write path alone (RepoWrite.ts), each round into an empty repository.
    const repo = new RepoWriteBench(`${root}/repo`, new NodeFileStore());
    const sources = sourcesUnder(src, srcFiles);
    const warmMs = warmPageAllocator(root, cfg.warmFactor * bytes + (cfg.quick ? 0 : 64 * MIB));
    let repoRounds = 0;
    const times = await runRounds([
      { name: 'engine', run: () => backups.once((run) => timed(run)) },
      {
        name: 'repo', run: async () => {
          repo.clear();
          repoRounds++;
          return (await repo.once(sources)).ms;
        },
      },
      ...yardsticks(src, root, pool, hasher, false),
    ], cfg.repeats, () => sleep(cfg.quick ? 1 : 20));
    const rec: BenchRecord = {
      bench: 'small_files', files: cfg.smallFiles, file_bytes: cfg.smallFileBytes, bytes, bundles: bundles.length,
      runs: cfg.repeats,
      ...comparisonJson(times, 'engine', bytes, hasher),
    };
    putStats(rec, 'engine_files_per_s', times.of('engine').map((ms) => cfg.smallFiles / (ms / 1000)), 0);
    putStats(rec, 'cp_files_per_s', times.of('cp').map((ms) => cfg.smallFiles / (ms / 1000)), 0);
    const repoLine: BenchRecord = {
      path: 'the repository write path (RepoWriter from fds, 4 at a time, into an empty repository), without the engine',
    };
    putStats(repoLine, 'ratio_vs_cp', times.ratios('repo', 'cp'), 3);
    putStats(repoLine, 'ratio_vs_limit_durable', times.ratios('repo', 'limit_durable'), 3);
    putStats(repoLine, 'files_per_s', times.of('repo').map((ms) => cfg.smallFiles / (ms / 1000)), 0);
    putStats(repoLine, 'ms', times.of('repo'), 1);
    repoLine.ops_per_file = repo.files.perFile(cfg.smallFiles * repoRounds);
    return {
      ...rec,
      repo: repoLine,
      ...hasherJson(hasher, why),
      service_fds: backups.fdsPrepared ? 'opened by the stub before each timed run' :
        'opened by the stub during the run (too many fds to open them first)',
      warmup_ms: warmupJson(times),
      page_warming_ms: round(warmMs, 1),
      ...await profileJson(cfg.benchScript, { kind: 'small_files', cfg: { ...cfg }, root, setId: '' }),
    };
  } finally {
    await pool?.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** The profile child of small_files (bench.js --child-profile): the files the bench left under root; one
 *  backup to warm up, one inside the profiled window. */
export async function smallFilesProfileChild(cfg: BenchConfig, root: string): Promise<ChildWindow> {
  const backups = new SmallBackups(root, smallBundles(cfg, `${root}/src`, false), `store-${process.pid}`);
  await backups.once((run) => run());
  return backups.once((run) => profiledWindow(async () => {
    await run();
    return {};
  }));
}
