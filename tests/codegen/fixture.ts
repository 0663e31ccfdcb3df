/**
 * Test helper: copies the shared minimal valid fixture (tests/codegen/fixtures/valid) into a fresh
 * temp dir and applies the case's mutations to its YAML files, so each case states only what it
 * changes.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
export const VALID_FIXTURE = path.join(import.meta.dirname, 'fixtures/valid');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures are mutated freely
export type Yaml = any;
/** Mutations by file path relative to the fixture root, e.g. `contracts/v1/openapi.yaml`. */
export type Mutations = Record<string, (doc: Yaml) => Yaml | void>;

export interface Fixture {
  root: string;
  cleanup(): void;
}

export function fixture(mutations: Mutations = {}, base = os.tmpdir()): Fixture {
  const root = mkdtempSync(path.join(base, 'bk-codegen-'));
  cpSync(path.join(VALID_FIXTURE, 'contracts'), path.join(root, 'contracts'), { recursive: true });
  for (const [file, mutate] of Object.entries(mutations)) {
    const abs = path.join(root, file);
    const doc = parse(readFileSync(abs, 'utf8')) as Yaml;
    const replaced = mutate(doc);
    writeFileSync(abs, stringify(replaced === undefined ? doc : replaced));
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export const OPENAPI = 'contracts/v1/openapi.yaml';
export const ASYNCAPI = 'contracts/v1/asyncapi.yaml';
export const SCHEMAS = 'contracts/v1/components/schemas/core.yaml';
export const LIST = '/paths/~1api~1v1~1site~1things/get';
export const CREATE = '/paths/~1api~1v1~1admin~1things/post';
