/*
 * device: the simulated device kept in a folder across runs (--device DIR of backup, restore, caps, demo),
 * shown or changed: `device DIR` lists its apps and files; `device DIR --change BUNDLE[:N] [--kind K]`
 * changes N files of an app (default 1, kind mixed) as an app would between two backups.
 */
import { ChangeKind, CHANGE_KINDS, parseChangeKind } from '../../../entry/src/main/ets/mock/DeviceChanges';
import { loadDevice, saveDevice } from '../../../entry/src/main/ets/mock/DeviceState';
import { SimulatedDevice } from '../../../entry/src/main/ets/mock/SimulatedDevice';
import { NodeFileStore } from '../../host/NodeFileStore';
import { CliError, CommandSpec, EXIT_FAILED, EXIT_OK, ParsedArgs, usageError } from '../args';
import { absolutePath, CliContext } from '../context';
import { formatBytes, longest, table } from '../format';
import { CommandOutput, Json, JsonObject } from '../output';
import { changeApp } from '../../../entry/src/main/ets/mock/DeviceChanges';

export const DEVICE_SPEC: CommandSpec = {
  name: 'device',
  summary: 'show or change the simulated device kept in DIR (the --device DIR of backup, restore, caps, demo)',
  details: [
    'DIR holds the device (device.json: its apps and their files as changed so far), its generated data and',
    'the mock\'s records; it is created (the standard device) when missing. Without --change: the apps and',
    'their files. --change BUNDLE[:N] changes N files of the app (default 1), newest-listed first, with the',
    'kind of change --kind says (default mixed):',
    ...CHANGE_KINDS.map((k) => `  ${k.kind.padEnd(longest(CHANGE_KINDS.map((x) => x.kind)))}  ${k.summary}`),
    'Times are this machine\'s clock; same-second takes the second the app\'s last backup started.',
  ],
  options: [
    { name: 'change', value: 'BUNDLE[:N]', help: 'change N files (default 1) of the app' },
    { name: 'kind', value: 'K', help: 'the kind of change (see above; default mixed)' },
  ],
  positionals: [{ name: 'DIR', help: 'the folder the device is kept in' }],
};

function parseChange(text: string): { id: string, count: number } {
  const m = /^(.+?)(?::([0-9]{1,6}))?$/.exec(text);
  if (m === null || m[1] === '') {
    throw usageError(`--change ${text}: expected BUNDLE or BUNDLE:N`);
  }
  // A clone's id has a colon too (name:index): N is the last part only when the rest is an installed app.
  return { id: m[1], count: m[2] !== undefined ? Number(m[2]) : 1 };
}

export async function deviceCommand(args: ParsedArgs, ctx: CliContext): Promise<CommandOutput> {
  const dir = absolutePath(args.positionals[0]);
  const files = new NodeFileStore();
  let device: SimulatedDevice;
  try {
    device = await loadDevice(files, dir, () => SimulatedDevice.standard());
  } catch (e) {
    throw usageError(`${args.positionals[0]}: ${(e as Error).message}`);
  }
  const change = args.value('change');
  if (change === undefined) {
    if (args.value('kind') !== undefined) {
      throw usageError('--kind goes with --change');
    }
    const rows = device.apps.map((a) => [a.id, String(a.files.length), formatBytes(a.dataSize()),
      a.lastBackupSec > 0 ? new Date(a.lastBackupSec * 1000).toISOString() : '-']);
    const json: JsonObject = {
      command: 'device', ok: true, exitCode: EXIT_OK, device: dir,
      apps: device.apps.map((a): Json => ({
        id: a.id, files: a.files.map((f): Json => ({ path: f.path, size: f.size, mtimeSec: f.mtimeSec, revision: f.revision })),
        lastBackupSec: a.lastBackupSec,
      })),
    };
    return new CommandOutput(EXIT_OK, json, `Simulated device in ${dir}:\n\n` +
      table(['APP', 'FILES', 'SIZE', 'LAST BACKUP'], rows, ['left', 'right', 'right', 'left']));
  }
  const kindText = args.value('kind') ?? ChangeKind.MIXED;
  const kind = parseChangeKind(kindText);
  if (kind === undefined) {
    throw usageError(`--kind ${kindText}: one of ${CHANGE_KINDS.map((k) => k.kind).join(', ')}`);
  }
  let wanted = parseChange(change);
  if (device.find(wanted.id) === undefined && device.find(change) !== undefined) {
    wanted = { id: change, count: 1 };
  }
  const app = device.find(wanted.id);
  if (app === undefined) {
    throw new CliError(`--change ${change}: no app ${wanted.id} on the device`, EXIT_FAILED);
  }
  let report;
  try {
    report = changeApp(app, kind, wanted.count, Math.floor(Date.now() / 1000));
  } catch (e) {
    throw usageError(`--change ${change}: ${(e as Error).message}`);
  }
  await saveDevice(files, dir, device);
  const lines = [`${app.id}: ${report.count()} file(s) changed`];
  for (const [what, list] of [['added', report.added], ['changed', report.changed], ['deleted', report.deleted],
    ['touched', report.touched]] as [string, string[]][]) {
    for (const p of list) {
      lines.push(`  ${what.padEnd(7)} ${p}`);
    }
  }
  const json: JsonObject = {
    command: 'device', ok: true, exitCode: EXIT_OK, device: dir, app: app.id, kind,
    added: report.added, changed: report.changed, deleted: report.deleted, touched: report.touched,
  };
  return new CommandOutput(EXIT_OK, json, `${lines.join('\n')}\n`);
}
