import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../codegen/generate.js';
import { fixture, PROJECT_ROOT, type Fixture } from './fixture.js';

/**
 * The generated output of the fixture contract, written to a temp dir with a tsconfig as strict as
 * the project's, must compile; and a handler object that breaks the contract must not.
 */
let field: Fixture;

const IMPL = (handlers: string) => `
import type { Handlers } from './generated/v1/handlers.js';
import { operations, operationList } from './generated/v1/operations.js';
import { wsChannels, type WsHandlers } from './generated/v1/ws-events.js';
import { createApiClient } from './generated/v1/client.js';
import { errorCatalogue } from './generated/v1/errors.js';

interface Ctx { actor: string }
export const handlers: Handlers<Ctx> = {
${handlers}
};
export const ws: WsHandlers<Ctx> = { room: { 'room.ping': ({ payload }) => void payload.seq } };
export const table = [operations.createThing.surface, operationList.length, wsChannels.room.address, errorCatalogue['SERVER.INTERNAL'].status];
export async function call() {
  const api = createApiClient({ baseUrl: 'http://localhost:4010' });
  const { data } = await api.POST('/api/v1/admin/things', { body: { name: 'Soup' } });
  return data?.id;
}
`;
const LIST = `  async listThings({ query }) {
    return { status: 200, body: { items: [{ id: 't1', name: String(query.limit ?? 'all') }] } };
  },`;
const CREATE = `  async createThing({ body, ctx }) {
    return { status: 201, body: { id: ctx.actor, name: body.name } };
  },`;

function tsc(impl: string): { code: number | null; out: string } {
  writeFileSync(path.join(field.root, 'impl.ts'), impl);
  const run = spawnSync(
    path.join(PROJECT_ROOT, 'node_modules/.bin/tsc'),
    ['-p', path.join(field.root, 'tsconfig.json')],
    { encoding: 'utf8', cwd: field.root },
  );
  return { code: run.status, out: run.stdout + run.stderr };
}

beforeAll(async () => {
  field = fixture();
  const result = await generate({
    projectRoot: field.root,
    contractsDir: 'contracts/v1',
    outDir: 'generated/v1',
  });
  for (const file of result.files) {
    mkdirSync(path.dirname(path.join(field.root, file.path)), { recursive: true });
    writeFileSync(path.join(field.root, file.path), file.content);
  }
  // Bare imports (openapi-fetch, @types/node) resolve from the project's node_modules.
  symlinkSync(
    path.join(PROJECT_ROOT, 'node_modules'),
    path.join(field.root, 'node_modules'),
    'dir',
  );
  writeFileSync(
    path.join(field.root, 'package.json'),
    JSON.stringify({ type: 'module', private: true }),
  );
  writeFileSync(
    path.join(field.root, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2023', 'DOM'],
        types: ['node'],
        typeRoots: [path.join(PROJECT_ROOT, 'node_modules/@types')],
        strict: true,
        noUncheckedIndexedAccess: true,
        verbatimModuleSyntax: true,
        isolatedModules: true,
        skipLibCheck: true,
        noEmit: true,
      },
      include: ['generated/**/*.ts', 'impl.ts'],
    }),
  );
}, 120_000);

afterAll(() => field?.cleanup());

describe("tsc --noEmit over the fixture contract's generated output", () => {
  it('when every operation has a handler that returns a declared status and body, then it typechecks', () => {
    const { code, out } = tsc(IMPL(`${LIST}\n${CREATE}`));
    expect(out).toBe('');
    expect(code).toBe(0);
  });

  it('when the handler object misses one operation, then tsc fails naming it', () => {
    const { code, out } = tsc(IMPL(LIST));
    expect(code).not.toBe(0);
    expect(out).toMatch(/impl\.ts.*Property 'createThing' is missing/s);
  });

  it('when a handler returns a status the contract does not declare, then tsc fails', () => {
    const { code, out } = tsc(IMPL(`${LIST}\n${CREATE.replace('status: 201', 'status: 202')}`));
    expect(code).not.toBe(0);
    expect(out).toMatch(/impl\.ts\(\d+,\d+\): error TS\d+: .*(202|createThing)/s);
  });

  it('when a handler returns a body missing a required field, then tsc fails', () => {
    const { code, out } = tsc(IMPL(`${LIST}\n${CREATE.replace('id: ctx.actor, ', '')}`));
    expect(code).not.toBe(0);
    expect(out).toMatch(/impl\.ts\(\d+,\d+\): error TS\d+: /);
  });
});
