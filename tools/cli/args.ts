/*
 * Command-line parsing for backup-manager: one command word, then options (`--name value`,
 * `--name=value`, flags) and positionals, parsed by Node's util.parseArgs (strict) against the command's
 * declared spec, so that a typo, a missing or empty value, or an option where a value belongs is a usage
 * error (exit 2), never silently taken. The specs also give each command's help, as text or JSON.
 */

import { parseArgs, ParseArgsConfig } from 'node:util';
import { longest } from './format';
import { Json, JsonObject } from './output';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

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

/** parseArgs' option table for a command: its own options and the global ones; -h is --help. */
function parseConfig(spec: CommandSpec): ParseArgsOptionsConfig {
  const config: ParseArgsOptionsConfig = {};
  for (const o of [...spec.options, ...GLOBAL_OPTIONS]) {
    config[o.name] = o.value === undefined ? { type: 'boolean' } : { type: 'string' };
  }
  config.help = { type: 'boolean', short: 'h' };
  return config;
}

function findOption(spec: CommandSpec, name: string): OptionSpec | undefined {
  return spec.options.find((o) => o.name === name) ?? GLOBAL_OPTIONS.find((o) => o.name === name);
}

/** The first quoted name in one of parseArgs' messages ("Unknown option '--frob'"). */
function quotedName(message: string): string {
  const m = /'([^']*)'/.exec(message);
  return m === null ? '' : m[1].replace(/ <value>$/, '');
}

/** The word after `--name` in words (what parseArgs found ambiguous), '' when there is none. */
function wordAfter(words: string[], option: string): string {
  const at = words.indexOf(option);
  return at >= 0 && at + 1 < words.length ? words[at + 1] : '';
}

/** One of parseArgs' errors as this CLI's usage error (the command named, a pointer to its help). */
function usageOfParseError(spec: CommandSpec, words: string[], e: Error): CliError {
  const code = (e as NodeJS.ErrnoException).code;
  const see = `(see backup-manager ${spec.name} --help)`;
  const name = quotedName(e.message);
  const opt = findOption(spec, name.replace(/^--/, ''));
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return usageError(`${spec.name}: unknown option '${name}' ${see}`);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take an argument/.test(e.message)) {
      return usageError(`${spec.name}: ${name} takes no value`);
    }
    const placeholder = opt?.value ?? 'a value';
    const next = wordAfter(words, name);
    if (next !== '' && next.startsWith('-')) {
      return usageError(`${spec.name}: ${name} needs a value (${placeholder}), but the next word is the option ` +
        `'${next}' (for a path that starts with '-', write ./${next})`);
    }
    return usageError(`${spec.name}: ${name} needs a value (${placeholder})`);
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    return usageError(`${spec.name}: unexpected argument '${name}' ${see}`);
  }
  return usageError(`${spec.name}: ${e.message.split('\n')[0]} ${see}`);
}

/**
 * An option value that cannot be meant: empty (`--to ''` would be the current folder), or one that looks
 * like an option (`--to=--json`). A path that starts with '-' can be written ./-name.
 */
function checkValue(spec: CommandSpec, opt: OptionSpec, value: string): void {
  const what = opt.value ?? 'a value';
  if (value.trim() === '') {
    throw usageError(`${spec.name}: --${opt.name} needs a value (${what}), got an empty one`);
  }
  if (value.startsWith('-')) {
    throw usageError(`${spec.name}: --${opt.name} needs a value (${what}), got '${value}', which looks like an ` +
      `option (for a path that starts with '-', write ./${value})`);
  }
}

/**
 * Parses the words after the command name with Node's util.parseArgs (strict: an unknown option, a flag
 * given a value, a value-taking option followed by another option instead of its value are refused) and
 * checks the result against the command's spec. Throws CliError (exit 2) on anything unknown, missing,
 * empty, given twice or looking like an option where a value belongs.
 */
export function parseCommandArgs(spec: CommandSpec, words: string[]): ParsedArgs {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: words, options: parseConfig(spec), strict: true, allowPositionals: true, tokens: true });
  } catch (e) {
    throw usageOfParseError(spec, words, e as Error);
  }
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const seen = new Set<string>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option') {
      continue;
    }
    const opt = findOption(spec, token.name) as OptionSpec;
    if (seen.has(token.name) && opt.value !== undefined) {
      throw usageError(`${spec.name}: --${token.name} given twice`);
    }
    seen.add(token.name);
    if (opt.value === undefined) {
      flags.add(token.name);
      continue;
    }
    const value = token.value ?? '';
    checkValue(spec, opt, value);
    values.set(token.name, value);
  }
  const positionals = parsed.positionals;
  for (let i = 0; i < positionals.length && i < spec.positionals.length; i++) {
    if (positionals[i].trim() === '') {
      throw usageError(`${spec.name}: ${spec.positionals[i].name} is empty (usage: ${usageLine(spec)})`);
    }
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
  const width = longest(rows.map((r) => r[0]));
  return rows.map((r) => `  ${r[0].padEnd(width)}  ${r[1]}`);
}

export function commandHelp(spec: CommandSpec): string {
  const lines = [`usage: ${usageLine(spec)}`, '', spec.summary];
  if (spec.details.length > 0) {
    lines.push('', ...spec.details);
  }
  if (spec.positionals.length > 0) {
    lines.push('', 'arguments:');
    const width = longest(spec.positionals.map((p) => p.name));
    for (const p of spec.positionals) {
      lines.push(`  ${p.name.padEnd(width)}  ${p.help}`);
    }
  }
  lines.push('', 'options:', ...optionLines([...spec.options, ...GLOBAL_OPTIONS]));
  return `${lines.join('\n')}\n`;
}

export function generalHelp(commands: CommandSpec[]): string {
  const width = longest(commands.map((c) => c.name));
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

function optionJson(o: OptionSpec): JsonObject {
  return { name: `--${o.name}`, value: o.value ?? null, required: o.required === true, help: o.help };
}

/** A command's help as one JSON document (`<command> --help --json`). */
export function commandHelpJson(spec: CommandSpec): JsonObject {
  return {
    command: spec.name,
    ok: true,
    exitCode: EXIT_OK,
    usage: usageLine(spec),
    summary: spec.summary,
    details: spec.details,
    positionals: spec.positionals.map((p): Json => ({ name: p.name, help: p.help })),
    options: [...spec.options, ...GLOBAL_OPTIONS].map((o): Json => optionJson(o)),
    help: commandHelp(spec),
  };
}

/** The general help as one JSON document (`--help --json`). */
export function generalHelpJson(commands: CommandSpec[]): JsonObject {
  return {
    command: '',
    ok: true,
    exitCode: EXIT_OK,
    usage: 'backup-manager <command> [options]',
    commands: commands.map((c): Json => ({ name: c.name, summary: c.summary, usage: usageLine(c) })),
    options: GLOBAL_OPTIONS.map((o): Json => optionJson(o)),
    exitCodes: { '0': 'success', '1': 'the operation ran but something failed', '2': 'bad usage or bad input' },
    help: generalHelp(commands),
  };
}
