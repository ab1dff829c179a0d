import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TOOL } from '../src/version.js';

describe('version', () => {
  it('is the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
    expect(TOOL).toEqual({ name: pkg.name, version: pkg.version });
  });
});
