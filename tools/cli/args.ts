/*
 * Command-line parsing for backup-manager: one command word, then options (`--name value`,
 * `--name=value`, flags) and positionals, checked against the command's declared spec so that a typo is
 * a usage error (exit 2), never silently ignored.
 */

import { JsonObject } from './output';

export const EXIT_OK = 0;
/** The operation ran but something failed (a bundle, a verification). */
export const EXIT_FAILED = 1;
/** Bad usage or bad input (unknown command/option, unknown scenario, invalid file, missing set). */
export const EXIT_USAGE = 2;

/**
 * An error that ends the command with one line on stderr and the given exit code; with --json, stdout
 * gets {command, ok: false, exitCode, error: {message, ...details}}.
 */
export class CliError extends Error {
  readonly exitCode: number;
  readonly details: JsonObject;

  constructor(message: string, exitCode: number, details?: JsonObject) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.details = details ?? {};
  }
}

export function usageError(message: string): CliError {
  return new CliError(message, EXIT_USAGE);
}

export interface OptionSpec {
  name: string;
  /** Placeholder shown in help for an option that takes a value; absent for flags. */
  value?: string;
  help: string;
  required?: boolean;
}

export interface PositionalSpec {
  name: string;
  help: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** Longer description for `<command> --help`. */
  details: string[];
  options: OptionSpec[];
  positionals: PositionalSpec[];
}

/** Options every command accepts. */
export const GLOBAL_OPTIONS: OptionSpec[] = [
  { name: 'json', help: 'print one JSON document on stdout (no progress bars, nothing else on stdout)' },
  { name: 'verbose', help: 'log the engine\'s work on stderr (hilog style)' },
  { name: 'help', help: 'show help for the command' },
];

export class ParsedArgs {
  readonly command: CommandSpec;
  private readonly values: Map<string, string>;
  private readonly flags: Set<string>;
  readonly positionals: string[];

  constructor(command: CommandSpec, values: Map<string, string>, flags: Set<string>, positionals: string[]) {
    this.command = command;
    this.values = values;
    this.flags = flags;
    this.positionals = positionals;
  }

  flag(name: string): boolean {
    return this.flags.has(name);
  }

  value(name: string): string | undefined {
    return this.values.get(name);
  }

  /** The value of a required option (the parser already refused its absence, unless --help was given). */
  required(name: string): string {
    const v = this.values.get(name);
    if (v === undefined) {
      throw usageError(`${this.command.name}: --${name} is required (see backup-manager ${this.command.name} --help)`);
    }
    return v;
  }

  /** A comma-separated list option: trimmed, empty items refused, duplicates removed in order. */
  list(name: string): string[] | undefined {
    const v = this.values.get(name);
    if (v === undefined) {
      return undefined;
    }
    const items = v.split(',').map((s) => s.trim());
    if (items.some((s) => s === '')) {
      throw usageError(`--${name}: empty item in '${v}'`);
    }
    return Array.from(new Set(items));
  }
}

function findOption(spec: CommandSpec, name: string): OptionSpec | undefined {
  return spec.options.find((o) => o.name === name) ?? GLOBAL_OPTIONS.find((o) => o.name === name);
}

/** Parses the words after the command name. Throws CliError (exit 2) on anything unknown or missing. */
export function parseCommandArgs(spec: CommandSpec, words: string[]): ParsedArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  let onlyPositionals = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (onlyPositionals || !w.startsWith('-') || w === '-') {
      positionals.push(w);
      continue;
    }
    if (w === '--') {
      onlyPositionals = true;
      continue;
    }
    if (w === '-h') {
      flags.add('help');
      continue;
    }
    if (!w.startsWith('--')) {
      throw usageError(`${spec.name}: unknown option '${w}' (see backup-manager ${spec.name} --help)`);
    }
    const eq = w.indexOf('=');
    const name = eq >= 0 ? w.slice(2, eq) : w.slice(2);
    const opt = findOption(spec, name);
    if (opt === undefined) {
      throw usageError(`${spec.name}: unknown option '--${name}' (see backup-manager ${spec.name} --help)`);
    }
    if (opt.value === undefined) {
      if (eq >= 0) {
        throw usageError(`${spec.name}: --${name} takes no value`);
      }
      flags.add(name);
      continue;
    }
    let value: string;
    if (eq >= 0) {
      value = w.slice(eq + 1);
    } else {
      if (i + 1 >= words.length) {
        throw usageError(`${spec.name}: --${name} needs a value (${opt.value})`);
      }
      value = words[++i];
    }
    if (values.has(name)) {
      throw usageError(`${spec.name}: --${name} given twice`);
    }
    values.set(name, value);
  }
  if (!flags.has('help')) {
    for (const o of spec.options) {
      if (o.required === true && !values.has(o.name)) {
        throw usageError(`${spec.name}: --${o.name} ${o.value ?? ''} is required (see backup-manager ${spec.name} --help)`);
      }
    }
    if (positionals.length > spec.positionals.length) {
      throw usageError(`${spec.name}: unexpected argument '${positionals[spec.positionals.length]}'`);
    }
    if (positionals.length < spec.positionals.length) {
      throw usageError(`${spec.name}: missing ${spec.positionals[positionals.length].name} ` +
        `(usage: ${usageLine(spec)})`);
    }
  }
  return new ParsedArgs(spec, values, flags, positionals);
}

export function usageLine(spec: CommandSpec): string {
  const parts = [`backup-manager ${spec.name}`];
  for (const p of spec.positionals) {
    parts.push(p.name);
  }
  for (const o of spec.options) {
    const text = o.value === undefined ? `--${o.name}` : `--${o.name} ${o.value}`;
    parts.push(o.required === true ? text : `[${text}]`);
  }
  parts.push('[--json]');
  return parts.join(' ');
}

function optionLines(options: OptionSpec[]): string[] {
  const rows = options.map((o) => [o.value === undefined ? `--${o.name}` : `--${o.name} ${o.value}`, o.help]);
  const width = Math.max(...rows.map((r) => r[0].length));
  return rows.map((r) => `  ${r[0].padEnd(width)}  ${r[1]}`);
}

export function commandHelp(spec: CommandSpec): string {
  const lines = [`usage: ${usageLine(spec)}`, '', spec.summary];
  if (spec.details.length > 0) {
    lines.push('', ...spec.details);
  }
  if (spec.positionals.length > 0) {
    lines.push('', 'arguments:');
    const width = Math.max(...spec.positionals.map((p) => p.name.length));
    for (const p of spec.positionals) {
      lines.push(`  ${p.name.padEnd(width)}  ${p.help}`);
    }
  }
  lines.push('', 'options:', ...optionLines([...spec.options, ...GLOBAL_OPTIONS]));
  return `${lines.join('\n')}\n`;
}

export function generalHelp(commands: CommandSpec[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = [
    'usage: backup-manager <command> [options]',
    '',
    'Backs up and restores apps through the OpenHarmony backup service, here against the simulated device',
    '(the mock backup module) with backup sets on this machine\'s disk. Same engine as the app.',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `backup-manager <command> --help` for a command\'s options. Every command takes --json.',
    'Exit codes: 0 success, 1 the operation ran but something failed, 2 bad usage or bad input.',
  ];
  return `${lines.join('\n')}\n`;
}
