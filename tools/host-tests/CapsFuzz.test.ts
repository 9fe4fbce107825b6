// Property and fuzz tests of the capability-file parser and writer (fast-check, fixed seed, bounded runs).
//
// Generated valid files (any unicode, clones, system abilities, optional fields present or not, unknown keys)
// must parse to exactly the model they describe in both modes and survive serialize -> parse unchanged.
// Mutations of them (a field deleted or given another type, huge numbers, truncation, inserted garbage, deep
// nesting) and arbitrary text must either parse into a well-formed model or throw CapabilityError, never
// anything else; where the outcome is known (which field, which kind) it is asserted exactly.
import { describe, it } from '@ohos/hypium';
import fc from 'fast-check';
import { deepStrictEqual } from 'node:assert';
import {
  availabilityOf,
  BundleCapability,
  bundleId,
  CapabilityError,
  CapabilityErrorKind,
  CapabilityFile,
  CapsMode,
  parseCapabilities,
  RawJsonField,
  serializeCapabilities
} from '../../entry/src/main/ets/backup/model/Capabilities';
import { compareUtf8, writeCanonicalJson } from '../../entry/src/main/ets/backup/model/JsonWriter';

const SEED = 20250601;
const MODES: CapsMode[] = [CapsMode.STRICT_RESTORE, CapsMode.DISPLAY];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

type FieldType = 'string' | 'bool' | 'int' | 'uint' | 'object';

interface FieldSpec {
  key: string;
  type: FieldType;
  /** Required by the service's restore reader (STRICT_RESTORE). */
  strict: boolean;
}

const BUNDLE_FIELDS: FieldSpec[] = [
  { key: 'name', type: 'string', strict: true },
  { key: 'versionCode', type: 'uint', strict: true },
  { key: 'versionName', type: 'string', strict: true },
  { key: 'spaceOccupied', type: 'int', strict: true },
  { key: 'allToBackup', type: 'bool', strict: true },
  { key: 'extensionName', type: 'string', strict: true },
  { key: 'appIndex', type: 'uint', strict: false },
  { key: 'fullBackupOnly', type: 'bool', strict: false },
  { key: 'restoreDeps', type: 'string', strict: false },
  { key: 'supportScene', type: 'string', strict: false },
  { key: 'requireCompatibility', type: 'bool', strict: false },
  { key: 'increSpaceOccupied', type: 'int', strict: false },
  { key: 'extraInfo', type: 'object', strict: false },
  { key: 'needToInstall', type: 'bool', strict: false }
];
const TOP_FIELDS: FieldSpec[] = [
  { key: 'backupVersion', type: 'string', strict: false },
  { key: 'deviceType', type: 'string', strict: false },
  { key: 'systemFullName', type: 'string', strict: false },
  { key: 'increAppIndex', type: 'bool', strict: false }
];
const KNOWN_BUNDLE_KEYS = new Set(BUNDLE_FIELDS.map((f) => f.key));
const KNOWN_TOP_KEYS = new Set([...TOP_FIELDS.map((f) => f.key), 'bundleInfos']);

/** Values of another JSON type than `type`, with the error kind each must give. */
function wrongValues(type: FieldType): Array<[Json, CapabilityErrorKind]> {
  const W = CapabilityErrorKind.WRONG_TYPE;
  switch (type) {
    case 'string':
      return [[1, W], [true, W], [[], W], [{}, W], [1.5, W]];
    case 'bool':
      return [[0, W], ['true', W], [[], W], [{ a: 1 }, W]];
    case 'object':
      return [['{}', W], [1, W], [[], W], [false, W]];
    case 'int':
    case 'uint': {
      const out: Array<[Json, CapabilityErrorKind]> = [['1', W], [true, W], [[1], W], [{}, W], [1.5, W],
        [2 ** 60, CapabilityErrorKind.UNSAFE_INTEGER], [-1e300, CapabilityErrorKind.UNSAFE_INTEGER]];
      if (type === 'uint') {
        out.push([-1, CapabilityErrorKind.OUT_OF_RANGE]);
      }
      return out;
    }
  }
}

// ---- generators ----

/** Any unicode, plus the characters that stress escaping: quotes, backslashes, controls, lone surrogates. */
const char = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('"', '\\', '\n', '\t', '\u0000', '\u001f', '\u007f', '\u2028', '\ud800', '\udfff', ':', ',') }
);
const text = (maxLength: number) => fc.string({ unit: char, maxLength });
const name = fc.oneof(
  fc.stringMatching(/^com\.[a-z]{1,6}(\.[a-z0-9_]{1,6}){0,2}$/),
  fc.stringMatching(/^[0-9]{1,6}$/),
  text(12).filter((s) => s.length > 0)
);
const depName = fc.stringMatching(/^[a-z][a-z0-9.]{0,10}$/);
const json = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;
const unknownMembers = (known: Set<string>) =>
  fc.dictionary(text(8).filter((k) => !known.has(k) && k !== '__proto__'), json, { maxKeys: 2 });

interface GenBundle {
  name: string;
  appIndex: number | undefined;
  allToBackup: boolean;
  extensionName: string;
  fullBackupOnly: boolean | undefined;
  restoreDeps: string[] | undefined;
  supportScene: string | undefined;
  requireCompatibility: boolean | undefined;
  spaceOccupied: number;
  increSpaceOccupied: number | undefined;
  versionCode: number;
  versionName: string;
  extraInfo: JsonObject | undefined;
  needToInstall: boolean | undefined;
  unknown: JsonObject;
}

interface GenFile {
  backupVersion: string | undefined;
  deviceType: string | undefined;
  systemFullName: string | undefined;
  increAppIndex: boolean | undefined;
  bundles: GenBundle[];
  unknown: JsonObject;
}

const genBundle: fc.Arbitrary<GenBundle> = fc.record({
  name,
  appIndex: fc.option(fc.nat(4), { nil: undefined }),
  allToBackup: fc.boolean(),
  extensionName: fc.oneof(fc.constant(''), fc.constant('BackupExtensionAbility'), text(10)),
  fullBackupOnly: fc.option(fc.boolean(), { nil: undefined }),
  restoreDeps: fc.option(fc.array(depName, { maxLength: 3 }), { nil: undefined }),
  supportScene: fc.option(text(6), { nil: undefined }),
  requireCompatibility: fc.option(fc.boolean(), { nil: undefined }),
  spaceOccupied: fc.oneof(fc.maxSafeInteger(), fc.integer({ min: -1, max: 1 << 30 })),
  increSpaceOccupied: fc.option(fc.maxSafeNat(), { nil: undefined }),
  versionCode: fc.oneof(fc.maxSafeNat(), fc.nat(4294967295)),
  versionName: text(10),
  extraInfo: fc.option(fc.dictionary(text(6), json, { maxKeys: 3 }) as fc.Arbitrary<JsonObject>, { nil: undefined }),
  needToInstall: fc.option(fc.boolean(), { nil: undefined }),
  unknown: unknownMembers(KNOWN_BUNDLE_KEYS) as fc.Arbitrary<JsonObject>
});

const genFile: fc.Arbitrary<GenFile> = fc.record({
  backupVersion: fc.option(fc.stringMatching(/^[0-9]{1,3}$/), { nil: undefined }),
  deviceType: fc.option(fc.constantFrom('default', 'phone', 'tablet', '2in1'), { nil: undefined }),
  systemFullName: fc.option(text(20), { nil: undefined }),
  increAppIndex: fc.option(fc.boolean(), { nil: undefined }),
  bundles: fc.uniqueArray(genBundle, { maxLength: 6, selector: (b: GenBundle) => bundleId(b.name, b.appIndex ?? 0) }),
  unknown: unknownMembers(KNOWN_TOP_KEYS) as fc.Arbitrary<JsonObject>
});

// ---- the file as JSON, and the model it must give ----

function put(o: JsonObject, key: string, value: Json | undefined): void {
  if (value !== undefined) {
    o[key] = value;
  }
}

function bundleJson(b: GenBundle): JsonObject {
  const o: JsonObject = {};
  for (const [k, v] of Object.entries(b.unknown)) {
    o[k] = v;
  }
  o.name = b.name;
  put(o, 'appIndex', b.appIndex);
  o.allToBackup = b.allToBackup;
  o.extensionName = b.extensionName;
  put(o, 'fullBackupOnly', b.fullBackupOnly);
  put(o, 'restoreDeps', b.restoreDeps === undefined ? undefined : b.restoreDeps.join(','));
  put(o, 'supportScene', b.supportScene);
  put(o, 'requireCompatibility', b.requireCompatibility);
  o.spaceOccupied = b.spaceOccupied;
  put(o, 'increSpaceOccupied', b.increSpaceOccupied);
  o.versionCode = b.versionCode;
  o.versionName = b.versionName;
  put(o, 'extraInfo', b.extraInfo);
  put(o, 'needToInstall', b.needToInstall);
  return o;
}

function fileJson(f: GenFile): JsonObject {
  const o: JsonObject = {};
  for (const [k, v] of Object.entries(f.unknown)) {
    o[k] = v;
  }
  put(o, 'backupVersion', f.backupVersion);
  o.bundleInfos = f.bundles.map(bundleJson);
  put(o, 'deviceType', f.deviceType);
  put(o, 'systemFullName', f.systemFullName);
  put(o, 'increAppIndex', f.increAppIndex);
  return o;
}

function rawFields(members: JsonObject): RawJsonField[] {
  return Object.keys(members).sort(compareUtf8).map((key) => ({ key, json: writeCanonicalJson(members[key]) }));
}

function expectedBundle(b: GenBundle): BundleCapability {
  const appIndex = b.appIndex ?? 0;
  const unknownFields = rawFields(b.unknown);
  const out: BundleCapability = {
    id: bundleId(b.name, appIndex),
    name: b.name,
    appIndex,
    allToBackup: b.allToBackup,
    extensionName: b.extensionName,
    fullBackupOnly: b.fullBackupOnly ?? false,
    restoreDeps: b.restoreDeps ?? [],
    supportScene: b.supportScene ?? '',
    requireCompatibility: b.requireCompatibility ?? false,
    spaceOccupied: b.spaceOccupied === 0 ? 0 : b.spaceOccupied,
    versionCode: b.versionCode,
    versionName: b.versionName,
    extraInfoJson: b.extraInfo === undefined ? '' : writeCanonicalJson(b.extraInfo),
    backupAvailability: availabilityOf(b.name, b.allToBackup, b.extensionName),
    unknownKeys: unknownFields.map((f) => f.key),
    unknownFields
  };
  if (b.increSpaceOccupied !== undefined) {
    out.increSpaceOccupied = b.increSpaceOccupied;
  }
  if (b.needToInstall !== undefined) {
    out.needToInstall = b.needToInstall;
  }
  return out;
}

function expectedFile(f: GenFile): CapabilityFile {
  const unknownFields = rawFields(f.unknown);
  const out: CapabilityFile = {
    deviceType: f.deviceType ?? '',
    systemFullName: f.systemFullName ?? '',
    increAppIndex: f.increAppIndex ?? false,
    bundles: f.bundles.map(expectedBundle),
    unknownKeys: unknownFields.map((x) => x.key),
    unknownFields
  };
  if (f.backupVersion !== undefined) {
    out.backupVersion = f.backupVersion;
  }
  return out;
}

// ---- outcomes ----

interface Outcome {
  file?: CapabilityFile;
  error?: CapabilityError;
}

/** Parses; a CapabilityError is an outcome, any other exception fails the property. */
function attempt(input: string, mode: CapsMode): Outcome {
  try {
    return { file: parseCapabilities(input, mode) };
  } catch (e) {
    if (e instanceof CapabilityError) {
      if (e.kind === CapabilityErrorKind.INTERNAL) {
        throw new Error(`a bug surfaced as INTERNAL: ${e.message}`);
      }
      if (!Object.values(CapabilityErrorKind).includes(e.kind) || typeof e.path !== 'string' || e.message === '') {
        throw new Error(`malformed CapabilityError: ${e.kind} ${e.path} ${e.message}`);
      }
      return { error: e };
    }
    throw new Error(`escaped as ${(e as Error)?.name}: ${(e as Error)?.message}`);
  }
}

function isSafeInt(n: unknown, min: number): boolean {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= min && !Object.is(n, -0);
}

/** Every invariant a parsed model keeps, whatever the input was; then serialize -> parse must give it back. */
function checkWellFormed(file: CapabilityFile, mode: CapsMode): void {
  const ids = new Set<string>();
  for (const b of file.bundles) {
    const ok = typeof b.name === 'string' && b.name !== '' && b.id === bundleId(b.name, b.appIndex) &&
      isSafeInt(b.appIndex, 0) && isSafeInt(b.versionCode, 0) && isSafeInt(b.spaceOccupied, -Number.MAX_SAFE_INTEGER) &&
      (b.increSpaceOccupied === undefined || isSafeInt(b.increSpaceOccupied, -Number.MAX_SAFE_INTEGER)) &&
      typeof b.allToBackup === 'boolean' && typeof b.fullBackupOnly === 'boolean' &&
      typeof b.requireCompatibility === 'boolean' && typeof b.extensionName === 'string' &&
      typeof b.versionName === 'string' && typeof b.supportScene === 'string' &&
      (b.needToInstall === undefined || typeof b.needToInstall === 'boolean') &&
      b.backupAvailability === availabilityOf(b.name, b.allToBackup, b.extensionName) &&
      b.restoreDeps.every((d) => d !== '' && d === d.trim() && !d.includes(',')) &&
      (b.extraInfoJson === '' || JSON.parse(b.extraInfoJson)?.constructor === Object) &&
      b.unknownKeys.join('\u0000') === b.unknownFields.map((f) => f.key).join('\u0000');
    if (!ok) {
      throw new Error(`ill-formed bundle ${JSON.stringify(b)}`);
    }
    if (ids.has(b.id)) {
      throw new Error(`duplicate id ${b.id} in a parsed model`);
    }
    ids.add(b.id);
  }
  const written = serializeCapabilities(file);
  deepStrictEqual(parseCapabilities(written, mode), file);
  if (serializeCapabilities(parseCapabilities(written, mode)) !== written) {
    throw new Error('serialize is not stable');
  }
}

function expectKind(outcome: Outcome, kind: CapabilityErrorKind, path: string): void {
  if (outcome.error === undefined) {
    throw new Error(`expected ${kind} at ${path}, it parsed`);
  }
  if (outcome.error.kind !== kind || outcome.error.path !== path) {
    throw new Error(`expected ${kind} at ${path}, got ${outcome.error.kind} at ${outcome.error.path}: ${outcome.error.message}`);
  }
}

function settle(outcome: Outcome, mode: CapsMode): void {
  if (outcome.file !== undefined) {
    checkWellFormed(outcome.file, mode);
  }
}

/** The first duplicate bundle id (as DUPLICATE_BUNDLE would name it), or undefined. */
function duplicatePath(bundles: JsonObject[]): string | undefined {
  const seen = new Set<string>();
  for (let i = 0; i < bundles.length; i++) {
    const b = bundles[i];
    const id = bundleId(b.name as string, (b.appIndex as number | undefined) ?? 0);
    if (seen.has(id)) {
      return `bundleInfos[${i}]`;
    }
    seen.add(id);
  }
  return undefined;
}

function nested(depth: number): Json {
  let v: Json = 1;
  for (let i = 0; i < depth; i++) {
    v = i % 2 === 0 ? [v] : { k: v };
  }
  return v;
}

const nonEmpty = genFile.filter((f) => f.bundles.length > 0);
const runs = (n: number) => ({ seed: SEED, numRuns: n, endOnFailure: true });

export default function capsFuzzTests(): void {
  describe('CapsFuzz', () => {
    it('validFilesParseToTheirModel', 0, () => {
      fc.assert(fc.property(genFile, fc.boolean(), (f, pretty) => {
        const input = JSON.stringify(fileJson(f), null, pretty ? '\t' : undefined);
        const expected = expectedFile(f);
        for (const mode of MODES) {
          deepStrictEqual(parseCapabilities(input, mode), expected);
        }
      }), runs(300));
    });

    it('validFilesSurviveSerializeAndParse', 0, () => {
      fc.assert(fc.property(genFile, (f) => {
        const model = expectedFile(f);
        const written = serializeCapabilities(model);
        for (const mode of MODES) {
          deepStrictEqual(parseCapabilities(written, mode), model);
        }
        if (serializeCapabilities(parseCapabilities(written)) !== written) {
          throw new Error('serialize -> parse -> serialize changed the text');
        }
      }), runs(300));
    });

    it('deletedFieldsFailOnlyWhereRequired', 0, () => {
      fc.assert(fc.property(nonEmpty, fc.nat(), fc.constantFrom(...BUNDLE_FIELDS), fc.boolean(), (f, pick, field, asNull) => {
        const root = fileJson(f);
        const list = root.bundleInfos as JsonObject[];
        const index = pick % list.length;
        if (asNull) {
          list[index][field.key] = null;
        } else {
          delete list[index][field.key];
        }
        const path = `bundleInfos[${index}].${field.key}`;
        const input = JSON.stringify(root);
        for (const mode of MODES) {
          const outcome = attempt(input, mode);
          const required = field.key === 'name' || (mode === CapsMode.STRICT_RESTORE && field.strict);
          if (required) {
            expectKind(outcome, CapabilityErrorKind.MISSING_FIELD, path);
            continue;
          }
          const dup = field.key === 'appIndex' ? duplicatePath(list) : undefined;
          if (dup !== undefined) {
            expectKind(outcome, CapabilityErrorKind.DUPLICATE_BUNDLE, dup);
            continue;
          }
          if (outcome.file === undefined) {
            throw new Error(`${mode}: ${path} absent should parse: ${outcome.error?.message}`);
          }
          settle(outcome, mode);
        }
      }), runs(300));
    });

    it('wrongTypesAreNamedByPath', 0, () => {
      const field = fc.constantFrom(...BUNDLE_FIELDS);
      fc.assert(fc.property(nonEmpty, fc.nat(), field, fc.nat(), (f, pick, spec, which) => {
        const root = fileJson(f);
        const list = root.bundleInfos as JsonObject[];
        const index = pick % list.length;
        const choices = wrongValues(spec.type);
        const [value, kind] = choices[which % choices.length];
        list[index][spec.key] = value;
        for (const mode of MODES) {
          expectKind(attempt(JSON.stringify(root), mode), kind, `bundleInfos[${index}].${spec.key}`);
        }
      }), runs(400));
      fc.assert(fc.property(genFile, fc.constantFrom(...TOP_FIELDS, { key: 'bundleInfos', type: 'object', strict: false }),
        fc.nat(), (f, spec, which) => {
          const root = fileJson(f);
          const choices: Json[] = spec.key === 'bundleInfos' ? [1, 'x', true, {}, { a: [] }]
            : wrongValues(spec.type).map((c) => c[0]);
          root[spec.key] = choices[which % choices.length];
          for (const mode of MODES) {
            expectKind(attempt(JSON.stringify(root), mode), CapabilityErrorKind.WRONG_TYPE, spec.key);
          }
        }), runs(150));
    });

    it('hugeNumbersAreUnsafeIntegers', 0, () => {
      const intField = fc.constantFrom('versionCode', 'spaceOccupied', 'appIndex', 'increSpaceOccupied');
      fc.assert(fc.property(nonEmpty, fc.nat(), intField, fc.integer({ min: 16, max: 400 }), fc.boolean(),
        (f, pick, key, digits, negative) => {
          const root = fileJson(f);
          const list = root.bundleInfos as JsonObject[];
          const index = pick % list.length;
          const sentinel = '\u0001huge\u0001';
          list[index][key] = sentinel;
          const plain = JSON.stringify(root);
          const quoted = JSON.stringify(sentinel);
          fc.pre(plain.indexOf(quoted) === plain.lastIndexOf(quoted));
          const input = plain.replace(quoted, `${negative ? '-' : ''}${'9'.repeat(digits)}`);
          for (const mode of MODES) {
            expectKind(attempt(input, mode), CapabilityErrorKind.UNSAFE_INTEGER, `bundleInfos[${index}].${key}`);
          }
        }), runs(150));
    });

    it('truncationsAreNotJson', 0, () => {
      fc.assert(fc.property(genFile, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.boolean(),
        (f, cut, pretty) => {
          const input = pretty ? serializeCapabilities(expectedFile(f)) : JSON.stringify(fileJson(f));
          const prefix = input.substring(0, Math.floor(cut * input.length));
          for (const mode of MODES) {
            const outcome = attempt(prefix, mode);
            if (outcome.error?.kind !== CapabilityErrorKind.NOT_JSON) {
              throw new Error(`a ${prefix.length}-character prefix gave ${outcome.error?.kind ?? 'a model'}`);
            }
          }
        }), runs(300));
    });

    it('insertedGarbageNeverEscapes', 0, () => {
      const garbage = fc.oneof(text(6), fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '\\', 'null', '-', '1e999',
        '0.5', 'true', '"name":', '{"a":', '\ufeff'));
      fc.assert(fc.property(genFile, fc.nat(), garbage, fc.boolean(), (f, at, junk, pretty) => {
        const input = pretty ? serializeCapabilities(expectedFile(f)) : JSON.stringify(fileJson(f));
        const i = at % (input.length + 1);
        const mutated = input.substring(0, i) + junk + input.substring(i);
        for (const mode of MODES) {
          settle(attempt(mutated, mode), mode);
        }
      }), runs(600));
    });

    it('deepNestingIsTooDeepPastTheLimit', 0, () => {
      fc.assert(fc.property(nonEmpty, fc.nat(), fc.integer({ min: 980, max: 1100 }), (f, pick, depth) => {
        const root = fileJson(f);
        const list = root.bundleInfos as JsonObject[];
        const index = pick % list.length;
        list[index].extraInfo = { d: nested(depth) };
        // root object 1, bundleInfos 2, element 3, extraInfo 4, then `depth` containers
        const total = 4 + depth;
        for (const mode of MODES) {
          const outcome = attempt(JSON.stringify(root), mode);
          if (total > 1000) {
            expectKind(outcome, CapabilityErrorKind.TOO_DEEP, '');
          } else {
            const dup = duplicatePath(list);
            if (outcome.file === undefined && dup === undefined) {
              throw new Error(`depth ${total} should parse: ${outcome.error?.message}`);
            }
            settle(outcome, mode);
          }
        }
      }), runs(40));
    });

    it('arbitraryTextAndJsonNeverEscape', 0, () => {
      const anyText = fc.oneof(text(40), fc.json({ maxDepth: 4 }), fc.string({ unit: 'binary-ascii', maxLength: 60 }));
      fc.assert(fc.property(anyText, (input) => {
        for (const mode of MODES) {
          settle(attempt(input, mode), mode);
        }
      }), runs(800));
      // Shapes close to a capability file: random JSON in the places the model reads.
      const near = fc.record({
        bundleInfos: fc.array(fc.oneof(fc.dictionary(fc.constantFrom(...KNOWN_BUNDLE_KEYS), json, { maxKeys: 8 }), json),
          { maxLength: 4 }),
        deviceType: json
      });
      fc.assert(fc.property(near, (root) => {
        for (const mode of MODES) {
          settle(attempt(JSON.stringify(root), mode), mode);
        }
      }), runs(600));
    });
  });
}
