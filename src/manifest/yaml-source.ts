// YAML text → plain data plus the line and column of every value and key (for error messages).
// The `yaml` package is used instead of js-yaml because it keeps each node's source range, so errors
// can point at line:column with a few lines of code.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { Position } from '../errors.js';

/** Parsed YAML with positions keyed by JSON pointer (`/tracks/1/isrc`). */
export interface YamlSource {
  data: unknown;
  /** Where each value starts. */
  values: Map<string, Position>;
  /** Where each mapping key starts. */
  keys: Map<string, Position>;
}

/** Result of reading YAML text: data with positions, or the first syntax error. */
export type YamlParse = { ok: true; source: YamlSource } | { ok: false; message: string; position?: Position };

/** Parses YAML text, recording positions; syntax errors come back as one message with a position. */
export function parseYamlWithPositions(text: string): YamlParse {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = lineCounter.linePos(first.pos[0]);
    const message = first.message.split('\n')[0] ?? 'invalid YAML';
    return { ok: false, message: `invalid YAML: ${message.replace(/ at line \d+, column \d+.*$/, '')}`, position: { line: pos.line, column: pos.col } };
  }
  const values = new Map<string, Position>();
  const keys = new Map<string, Position>();
  const at = (node: Node | null | undefined): Position | undefined => {
    if (!node?.range) return undefined;
    const p = lineCounter.linePos(node.range[0]);
    return { line: p.line, column: p.col };
  };
  const walk = (node: unknown, pointer: string): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const child = `${pointer}/${escapePointer(key)}`;
        const keyPos = at(pair.key as Node);
        if (keyPos) keys.set(child, keyPos);
        const valuePos = at(pair.value as Node) ?? keyPos;
        if (valuePos) values.set(child, valuePos);
        walk(pair.value, child);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const child = `${pointer}/${i}`;
        const pos = at(item as Node);
        if (pos) values.set(child, pos);
        walk(item, child);
      });
    }
  };
  const root = doc.contents;
  const rootPos = at(root) ?? { line: 1, column: 1 };
  values.set('', rootPos);
  walk(root, '');
  return { ok: true, source: { data: doc.toJS({ maxAliasCount: 100 }) as unknown, values, keys } };
}

/** JSON pointer escaping (RFC 6901). */
export function escapePointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
