// JSON Schema check of a parsed manifest with ajv; every error becomes a Problem with line:column.
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import type { Position, Problem } from '../errors.js';
import { escapePointer, type YamlSource } from './yaml-source.js';

const schemaUrl = new URL('../../../schemas/album.schema.json', import.meta.url);
const schemaUrlFromSource = new URL('../../schemas/album.schema.json', import.meta.url);

/** The manifest's JSON Schema (schemas/album.schema.json), found from src/ or dist/src/. */
export function albumSchema(): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(schemaUrlFromSource, 'utf8');
  } catch {
    text = readFileSync(schemaUrl, 'utf8');
  }
  return JSON.parse(text) as Record<string, unknown>;
}

type Validate = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
let compiled: Validate | undefined;

function validator(): Validate {
  compiled ??= new Ajv({ allErrors: true, verbose: true, strict: true }).compile(albumSchema());
  return compiled;
}

/** Where a problem at a JSON pointer is, plus the track it belongs to. */
export interface Locator {
  file: string;
  source: YamlSource;
  /** Title of track i (0-based), for messages. */
  trackTitle(i: number): string | undefined;
}

/** Builds a Problem for the value at `pointer` (or its key with `atKey`). */
export function problemAt(loc: Locator, pointer: string, message: string, options: { atKey?: boolean; severity?: 'error' | 'warning'; code?: Problem['code'] } = {}): Problem {
  const position: Position | undefined = (options.atKey ? loc.source.keys.get(pointer) : undefined) ?? nearestPosition(loc.source, pointer);
  const m = /^\/tracks\/(\d+)(?:\/|$)/.exec(pointer);
  const trackIndex = m ? Number(m[1]) : undefined;
  const key = keyOf(pointer);
  return {
    severity: options.severity ?? 'error',
    code: options.code ?? 'rule',
    message,
    file: loc.file,
    position,
    track: trackIndex === undefined ? undefined : { number: trackIndex + 1, title: loc.trackTitle(trackIndex) },
    key,
  };
}

function nearestPosition(source: YamlSource, pointer: string): Position | undefined {
  let p = pointer;
  for (;;) {
    const pos = source.values.get(p);
    if (pos) return pos;
    if (p === '') return undefined;
    p = p.slice(0, p.lastIndexOf('/'));
  }
}

/** The manifest key a pointer names, for messages: `/tracks/1/fade_out/curve` → `fade_out.curve`. */
export function keyOf(pointer: string): string | undefined {
  const parts = pointer.split('/').slice(1);
  if (parts[0] === 'tracks' && parts.length >= 2) parts.splice(0, 2);
  const named = parts.filter((p) => p !== '').map((p) => (/^\d+$/.test(p) ? `[${p}]` : p));
  if (named.length === 0) return undefined;
  return named.join('.').replaceAll('.[', '[');
}

/** Checks the manifest against the schema; returns every error as a Problem (time syntax is left to parseTime). */
export function checkSchema(loc: Locator): Problem[] {
  const validate = validator();
  if (validate(loc.source.data)) return [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const e of validate.errors ?? []) {
    const text = describe(e);
    if (text === undefined) continue;
    const pointer = text.pointer;
    const id = `${pointer}|${text.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    problems.push(problemAt(loc, pointer, text.message, { atKey: text.atKey, code: 'schema' }));
  }
  return problems;
}

function describe(e: ErrorObject): { pointer: string; message: string; atKey?: boolean } | undefined {
  // Time values (and the time branch of fades) are reported by the time parser, with its own wording.
  if (e.schemaPath.includes('/$defs/time') || e.keyword === 'anyOf') return undefined;
  const pointer = e.instancePath;
  const key = label(pointer);
  const parent = e.parentSchema as { description?: string } | undefined;
  const value = e.data;
  switch (e.keyword) {
    case 'additionalProperties': {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {}).join(', ');
      const where = pointer === '' ? 'at the top level' : `in ${key}`;
      return { pointer: `${pointer}/${escapePointer(extra)}`, message: `unknown key "${extra}" ${where}; allowed: ${allowed}`, atKey: true };
    }
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return { pointer, message: pointer === '' ? `"${missing}" is required` : `${key} needs "${missing}"` };
    }
    case 'type': {
      // A fade written as a time reaches here only for the { length, curve } branch: the time parser reports it.
      if (e.schemaPath.includes('/anyOf/1/') && (typeof value === 'string' || typeof value === 'number')) return undefined;
      const wanted = (e.params as { type: string }).type;
      if (pointer === '/album/upc') return { pointer, message: `upc must be a quoted string of 12 or 13 digits (an unquoted number loses leading zeros)` };
      return { pointer, message: `${key} must be ${article(wanted)}, not ${typeName(value)}` };
    }
    case 'pattern':
      return { pointer, message: `${key} ${JSON.stringify(value)} must be ${parent?.description ?? 'well-formed'}` };
    case 'const':
      return pointer === '/version'
        ? { pointer, message: `version must be 1 (this is manifest format 1), not ${JSON.stringify(value)}` }
        : { pointer, message: `${key} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}` };
    case 'enum':
      return { pointer, message: `${key} ${JSON.stringify(value)} must be one of: ${((e.params as { allowedValues: unknown[] }).allowedValues).join(', ')}` };
    case 'maxLength':
      return { pointer, message: `${key} is ${String(value).length} characters; at most ${(e.params as { limit: number }).limit} are allowed` };
    case 'minLength':
      return { pointer, message: `${key} must not be empty` };
    case 'minimum':
    case 'maximum':
      return { pointer, message: `${key} ${JSON.stringify(value)} must be ${parent?.description ?? e.message ?? ''}` };
    case 'minItems':
      return { pointer, message: pointer === '/tracks' ? 'tracks must list at least one track' : `${key} must not be empty` };
    default:
      return { pointer, message: `${key} ${e.message ?? 'is invalid'}` };
  }
}

/** What a pointer is called in a message: its last key, `track` for a track, `manifest` for the top. */
function label(pointer: string): string {
  if (pointer === '') return 'manifest';
  if (/^\/tracks\/\d+$/.test(pointer)) return 'track';
  const parts = pointer.split('/');
  const last = parts[parts.length - 1]!;
  return /^\d+$/.test(last) ? `${parts[parts.length - 2] ?? ''}[${last}]` : last.replaceAll('~1', '/').replaceAll('~0', '~');
}

function article(type: string): string {
  if (type === 'object') return 'a mapping (key: value)';
  if (type === 'array') return 'a list';
  if (type === 'integer') return 'a whole number';
  return `a ${type}`;
}

function typeName(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}
