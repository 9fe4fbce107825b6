/*
 * caps: the simulated device's capability file as a table, or (--file) validation of a capability file
 * the way the service's restore reader checks it.
 */
import {
  BackupAvailability, BundleCapability, CapabilityError, CapabilityFile, capabilityTotals, CapsMode, isBackupAllowed,
  parseCapabilities
} from '../../../entry/src/main/ets/backup/model/Capabilities';
import { CliError, CommandSpec, EXIT_OK, EXIT_USAGE, ParsedArgs, usageError } from '../args';
import { FileStoreError, StoreErrorKind } from '../../../entry/src/main/ets/backup/port/FileStore';
import { MAX_CAPABILITIES_BYTES } from '../../../entry/src/main/ets/viewmodel/LocalCapabilities';
import { NodeFileStore } from '../../host/NodeFileStore';
import { absolutePath, cliErrorOf, CliContext } from '../context';
import { openDevice, scenarioHelp, DEVICE_OPTION } from '../device';
import { formatBytes, plural, table } from '../format';
import { CommandOutput, Json, JsonObject } from '../output';

export const CAPS_SPEC: CommandSpec = {
  name: 'caps',
  summary: 'show the simulated device\'s capability file, or validate one (--file)',
  details: [
    'Without --file: asks the (simulated) backup service for its capability file and shows every app:',
    'bundle id, name, version, data size, whether it can be backed up (and why not), and clones.',
    'With --file: checks the file as the service\'s restore reader does (every required field of every',
    'app, with its type). Invalid: exit 2 and the message with the field path. Valid: a summary and the table.',
    '',
    ...scenarioHelp(),
  ],
  options: [
    { name: 'file', value: 'FILE', help: 'validate this capability file instead of reading the device\'s' },
    { name: 'scenario', value: 'S', help: 'mock scenario(s) for the simulated service (see below)' },
    DEVICE_OPTION,
  ],
  positionals: [],
};

function availabilityText(b: BundleCapability): string {
  switch (b.backupAvailability) {
    case BackupAvailability.ALLOWED:
      return 'yes';
    case BackupAvailability.SYSTEM_ABILITY:
      return b.allToBackup ? 'yes (system ability)' : 'no: not allowed';
    case BackupAvailability.NOT_ALLOWED:
      return 'no: the app does not allow it';
    case BackupAvailability.NO_EXTENSION:
      return 'no: no backup extension';
    default:
      return String(b.backupAvailability);
  }
}

function bundleJson(b: BundleCapability, label: string | undefined): JsonObject {
  const o: JsonObject = {
    id: b.id,
    name: b.name,
    appIndex: b.appIndex,
    versionName: b.versionName,
    versionCode: b.versionCode,
    spaceOccupied: b.spaceOccupied,
    availability: b.backupAvailability,
    allowed: isBackupAllowed(b),
    clone: b.appIndex > 0,
    fullBackupOnly: b.fullBackupOnly,
  };
  if (label !== undefined) {
    o.label = label;
  }
  return o;
}

function capsTable(caps: CapabilityFile, labels: Map<string, string> | undefined): string {
  const headers = labels !== undefined ? ['BUNDLE', 'NAME', 'VERSION', 'SIZE', 'BACKUP', 'CLONE'] :
    ['BUNDLE', 'VERSION', 'SIZE', 'BACKUP', 'CLONE'];
  const rows = caps.bundles.map((b) => {
    const size = b.spaceOccupied > 0 ? formatBytes(b.spaceOccupied) : '-';
    const clone = b.appIndex > 0 ? `clone ${b.appIndex}` : '';
    const version = `${b.versionName} (${b.versionCode})`;
    const cells = [b.id, version, size, availabilityText(b), clone];
    if (labels !== undefined) {
      cells.splice(1, 0, labels.get(b.id) ?? '');
    }
    return cells;
  });
  const align = labels !== undefined ? ['left', 'left', 'left', 'right', 'left', 'left'] as const :
    ['left', 'left', 'right', 'left', 'left'] as const;
  return table(headers, rows, [...align]);
}

function describe(caps: CapabilityFile, labels: Map<string, string> | undefined, title: string): CommandOutput {
  const totals = capabilityTotals(caps);
  const version = caps.backupVersion !== undefined ? `, backup version ${caps.backupVersion}` : '';
  const lines = [
    `${title}`,
    `Device: ${caps.deviceType || '?'}, ${caps.systemFullName || '?'}${version}`,
    '',
    capsTable(caps, labels).trimEnd(),
    '',
    `${plural(totals.bundleCount, 'app', 'apps')}; ${totals.allowedCount} can be backed up ` +
      `(${formatBytes(totals.allowedBytes)}), ${totals.notAllowedCount} not allowed, ` +
      `${totals.noExtensionCount} without a backup extension.`,
  ];
  const json: JsonObject = {
    command: 'caps',
    ok: true,
    exitCode: EXIT_OK,
    deviceType: caps.deviceType,
    systemFullName: caps.systemFullName,
    backupVersion: caps.backupVersion ?? null,
    totals: {
      bundles: totals.bundleCount,
      allowed: totals.allowedCount,
      allowedBytes: totals.allowedBytes,
      notAllowed: totals.notAllowedCount,
      noExtension: totals.noExtensionCount,
      systemAbilities: totals.systemAbilityCount,
    },
    bundles: caps.bundles.map((b): Json => bundleJson(b, labels?.get(b.id))),
  };
  return new CommandOutput(EXIT_OK, json, `${lines.join('\n')}\n`);
}

/** Why a capability file could not be read, for a person (the FileStore's kinds). */
function unreadable(file: string, e: Error): CliError {
  if (e instanceof FileStoreError) {
    switch (e.kind) {
      case StoreErrorKind.NOT_FOUND:
        return usageError(`${file}: no such file`);
      case StoreErrorKind.NOT_A_FILE:
        return usageError(`${file}: not a capability file: ${e.message.replace(/^.*?: /, '')}`);
      case StoreErrorKind.LIMIT:
        return usageError(`${file}: larger than a capability file can be (${MAX_CAPABILITIES_BYTES} bytes)`);
      default:
        break;
    }
  }
  return usageError(`${file}: cannot read: ${e.message}`);
}

async function validateFile(file: string): Promise<CommandOutput> {
  let text: string;
  try {
    // Through the FileStore: a regular file only (no link, FIFO or device: nothing can hang or lead
    // elsewhere), bounded on the opened fd like the app's own read of the service's capability file.
    text = await new NodeFileStore().readText(absolutePath(file), MAX_CAPABILITIES_BYTES);
  } catch (e) {
    throw unreadable(file, e as Error);
  }
  let caps: CapabilityFile;
  try {
    caps = parseCapabilities(text, CapsMode.STRICT_RESTORE);
  } catch (e) {
    if (e instanceof CapabilityError) {
      const reason = e.message.replace(/^capability file: /, '');
      const where = e.path !== '' && !reason.includes(e.path) ? ` (field ${e.path})` : '';
      const details: JsonObject = { file, kind: e.kind, field: e.path };
      if (e.position >= 0) {
        details.position = e.position;
      }
      throw new CliError(`${file}: invalid capability file: ${reason}${where}`, EXIT_USAGE, details);
    }
    throw e;
  }
  const out = describe(caps, undefined, `${file}: valid capability file`);
  out.json.file = file;
  out.json.valid = true;
  return out;
}

export async function capsCommand(args: ParsedArgs, ctx: CliContext): Promise<CommandOutput> {
  const file = args.value('file');
  if (file !== undefined) {
    if (args.value('scenario') !== undefined) {
      throw usageError('caps: --file and --scenario do not go together (a file involves no service)');
    }
    return validateFile(file);
  }
  const env = await openDevice(ctx, args.value('scenario'), args.value('device'));
  let caps: CapabilityFile;
  try {
    caps = await env.readCapabilities();
  } catch (e) {
    throw cliErrorOf(e as Error, 'cannot read the device\'s capability file');
  }
  const labels = new Map<string, string>();
  for (const app of env.device.apps) {
    labels.set(app.id, app.label);
  }
  return describe(caps, labels, 'Capability file of the simulated device');
}
