/*
 * The simulated device the CLI talks to: the mock backup module on SimulatedDevice.standard() (the same
 * seed every run, so a later `restore` can check the bytes of an earlier `backup`), brisk pacing, a work
 * folder of its own removed when the command ends.
 */
import { CapabilityFile } from '../../entry/src/main/ets/backup/model/Capabilities';
import { BackupSetStore } from '../../entry/src/main/ets/backup/store/BackupSetStore';
import { LocalCapabilities } from '../../entry/src/main/ets/viewmodel/LocalCapabilities';
import { MockBackupModule } from '../../entry/src/main/ets/mock/MockBackupModule';
import { ScenarioError, SCENARIOS } from '../../entry/src/main/ets/mock/Scenario';
import { SimulatedDevice } from '../../entry/src/main/ets/mock/SimulatedDevice';
import { NodeFileStore } from '../host/NodeFileStore';
import { usageError } from './args';
import { longest } from './format';
import { absolutePath, CliContext, CliScenario, fileStoreFor, splitScenario, STORE_FULL } from './context';
import { openStore } from './store';
import { Repository } from '../../entry/src/main/ets/backup/repo/Repository';
import { openRepository } from './repo';

/**
 * Real ms per virtual ms of the simulated service: apps that take seconds of virtual time finish in
 * milliseconds, and even the 15-minute extension timeout passes in about a second.
 * BACKUP_MANAGER_TIME_SCALE overrides it (1 = real time), e.g. to watch the progress bars.
 */
export const DEFAULT_TIME_SCALE = 0.001;
/**
 * The time scales the simulated service works at. Slower than 100 times real time, its timers (the
 * 15-minute extension timeout and longer) would pass Node's timer limit of 2^31 - 1 ms and fire at once;
 * faster than a millionth gains nothing (every simulated delay is already below Node's 1 ms timer tick) and
 * only drives the virtual clock toward the last time a Date can hold (1e300 and 1e-300 broke every timer).
 */
export const MIN_TIME_SCALE = 0.000001;
export const MAX_TIME_SCALE = 100;

/** BACKUP_MANAGER_TIME_SCALE, checked: a number in [MIN_TIME_SCALE, MAX_TIME_SCALE], else a usage error. */
export function timeScale(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.BACKUP_MANAGER_TIME_SCALE;
  if (text === undefined || text.trim() === '') {
    return DEFAULT_TIME_SCALE;
  }
  const v = Number(text);
  if (!Number.isFinite(v) || v < MIN_TIME_SCALE || v > MAX_TIME_SCALE) {
    throw usageError(`BACKUP_MANAGER_TIME_SCALE must be a number from ${MIN_TIME_SCALE.toFixed(6)} to ` +
      `${MAX_TIME_SCALE} (real ms per virtual ms; 1 = real time, default ${DEFAULT_TIME_SCALE}), got '${text}'`);
  }
  return v;
}

export class DeviceEnv {
  readonly module: MockBackupModule;
  /** The app's FileStore for the set store and the runs (store-full applies here). */
  readonly files: NodeFileStore;
  /** For reading the capability file to list apps: outside the store-full budget, which is the runs'. */
  readonly scratchFiles: NodeFileStore;
  readonly scenario: CliScenario;
  /** Scratch folder for the app side (capability file copies). */
  readonly scratchDir: string;

  constructor(module: MockBackupModule, files: NodeFileStore, scenario: CliScenario, scratchDir: string) {
    this.module = module;
    this.files = files;
    this.scratchFiles = new NodeFileStore();
    this.scenario = scenario;
    this.scratchDir = scratchDir;
  }

  /** The device's capability file as the app reads it for display. */
  readCapabilities(): Promise<CapabilityFile> {
    return new LocalCapabilities(this.module, this.scratchFiles, this.scratchDir).read();
  }

  get device(): SimulatedDevice {
    return this.module.device;
  }

  /** The repository at root (a folder path as the user typed it), with this process for its lock. */
  repo(ctx: CliContext, root: string): Repository {
    return openRepository(ctx, this.files, absolutePath(root));
  }

  /** The set store at root (a folder path as the user typed it), with this process for its lock. */
  store(ctx: CliContext, root: string): BackupSetStore {
    return openStore(ctx, this.files, absolutePath(root));
  }
}

/**
 * The simulated device with the --scenario applied. Unknown or malformed scenarios are usage errors
 * (exit 2). The module is shut down and its folder removed when the command ends.
 */
export function openDevice(ctx: CliContext, scenarioText: string | undefined): DeviceEnv {
  const scenario = splitScenario(scenarioText);
  const files = fileStoreFor(scenario);
  const work = absolutePath(ctx.tempDir('device'));
  let module: MockBackupModule;
  try {
    // The mock's own files (generated app data) never count against store-full: that is the app's disk.
    module = new MockBackupModule({
      fileStore: new NodeFileStore(), workDir: `${work}/mock`, device: SimulatedDevice.standard(),
      scenario: scenario.mockText, timeScale: timeScale(), logger: ctx.logger,
    });
  } catch (e) {
    if (e instanceof ScenarioError) {
      throw usageError(`--scenario: ${e.message}`);
    }
    throw e;
  }
  ctx.onCleanup(() => module.shutdown());
  return new DeviceEnv(module, files, scenario, `${work}/scratch`);
}

/** Help lines listing every scenario the CLI accepts. */
export function scenarioHelp(): string[] {
  const lines = ['scenarios (--scenario, comma-combined):'];
  const width = longest([...SCENARIOS.map((s) => s.syntax), `${STORE_FULL}:<bytes>`]);
  for (const s of SCENARIOS) {
    lines.push(`  ${s.syntax.padEnd(width)}  ${s.description}`);
  }
  lines.push(`  ${`${STORE_FULL}:<bytes>`.padEnd(width)}  This machine's disk is full after the run wrote <bytes> ` +
    'bytes into the backup set store (app side, not the mock).');
  return lines;
}
