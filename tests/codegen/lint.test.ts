import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleContracts } from '../../codegen/load.js';
import { lintContracts, type Finding } from '../../codegen/lint/rules.js';
import {
  ASYNCAPI,
  CREATE,
  fixture,
  LIST,
  OPENAPI,
  PROJECT_ROOT,
  SCHEMAS,
  type Mutations,
} from './fixture.js';
import { cases, post } from './lint-cases.js';

function lint(mutations: Mutations = {}): Finding[] {
  const field = fixture(mutations);
  try {
    const { http: openapi, ws: asyncapi } = bundleContracts(field.root, path.dirname(OPENAPI));
    return lintContracts({ openapi, asyncapi, openapiFile: OPENAPI, asyncapiFile: ASYNCAPI });
  } finally {
    field.cleanup();
  }
}

describe('lint:contracts rules', () => {
  it('when given the valid fixture, then there is no finding', () => {
    expect(lint()).toEqual([]);
  });
  for (const item of cases) {
    it(`when given ${item.given}, then ${item.want.map((waiter) => waiter.rule).join(', ')} reports it at its file and pointer`, () => {
      expect(
        lint(item.mutations).map(({ rule, file, pointer }) => ({ rule, file, pointer })),
      ).toEqual(item.want);
    });
  }
  it('when a shared error response is not problem+json, then the finding points into the file it is written in', () => {
    const field = fixture({
      [OPENAPI]: (data) =>
        void (data.components.responses.BadRequest.content = {
          'text/plain': {
            schema: { $ref: './components/schemas/core.yaml#/Problem' },
            example: 'x',
          },
        }),
    });
    try {
      const { http: openapi, ws: asyncapi } = bundleContracts(field.root, path.dirname(OPENAPI));
      const found = lintContracts({
        openapi,
        asyncapi,
        openapiFile: OPENAPI,
        asyncapiFile: ASYNCAPI,
      }).filter((finding) => finding.rule === 'error-problem-json');
      expect(found.map((finding) => `${finding.file}#${finding.pointer}`)).toEqual([
        `${OPENAPI}#/components/responses/BadRequest/content`,
        `${OPENAPI}#/components/responses/BadRequest/content`,
      ]);
      expect(found[0]!.message).toContain('GET /api/v1/site/things response 400');
    } finally {
      field.cleanup();
    }
  });
});

describe('npm run lint:contracts (Redocly + our rules)', () => {
  const cli = (root: string) =>
    spawnSync(
      path.join(PROJECT_ROOT, 'node_modules/.bin/tsx'),
      [path.join(PROJECT_ROOT, 'codegen/lint/cli.ts'), '--root', root],
      { encoding: 'utf8', cwd: PROJECT_ROOT },
    );

  it('when the contracts pass, then it exits 0', () => {
    const field = fixture();
    try {
      const run = cli(field.root);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    } finally {
      field.cleanup();
    }
  });

  it('when Redocly and our rules both find problems, then it lists each as file#pointer  rule  message and exits 1', () => {
    const field = fixture({
      [OPENAPI]: (data) => void (delete data.servers, delete post(data).operationId),
    });
    try {
      const run = cli(field.root);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`${OPENAPI}#/openapi  redocly/no-empty-servers  `);
      expect(run.stderr).toContain(
        `${OPENAPI}#${CREATE}/operationId  operation-operationId  POST /api/v1/admin/things has no operationId`,
      );
    } finally {
      field.cleanup();
    }
  });

  describe('Spectral OWASP, when the root has a .spectral-owasp.yaml', () => {
    const OWASP = path.join(
      PROJECT_ROOT,
      'node_modules/@stoplight/spectral-owasp-ruleset/dist/ruleset.mjs',
    );
    const withRuleset = (ruleset: string) => {
      const field = fixture();
      writeFileSync(path.join(field.root, '.spectral-owasp.yaml'), ruleset);
      return field;
    };
    const spectralLines = (stderr: string) =>
      stderr.split('\n').filter((line) => line.includes('  spectral/'));

    it('when the fixture breaks OWASP rules, then each finding names the source file and pointer it came from, and it exits 1', () => {
      const fixture = withRuleset(`extends:\n  - "${OWASP}"\n`);
      try {
        const run = spawnSync(
          path.join(PROJECT_ROOT, 'node_modules/.bin/tsx'),
          [
            path.join(PROJECT_ROOT, 'codegen/lint/cli.ts'),
            '--root',
            fixture.root,
            '--skip-redocly',
          ],
          { encoding: 'utf8', cwd: PROJECT_ROOT },
        );
        expect(run.status).toBe(1);
        const lines = spectralLines(run.stderr);
        expect(lines).toContain(
          `${SCHEMAS}#/Ping/properties/seq  spectral/owasp:api4:2023-integer-format  error: Schema of type integer must specify format (int32 or int64).`,
        );
        expect(
          lines.some((line) =>
            line.startsWith(
              `${OPENAPI}#/servers/0  spectral/owasp:api9:2023-inventory-access  error:`,
            ),
          ),
        ).toBe(true);
        expect(
          lines.some((line) =>
            line.startsWith(
              `${OPENAPI}#${LIST}/security  spectral/owasp:api2:2023-read-restricted  warning:`,
            ),
          ),
        ).toBe(true);
      } finally {
        fixture.cleanup();
      }
    });

    it('when the ruleset excepts one operation by a pointer into the bundle, then only that operation loses the finding', () => {
      const fixture = withRuleset(
        `extends:\n  - "${OWASP}"\noverrides:\n  - files:\n      - "node_modules/.cache/bk-spectral/openapi.json#${LIST}"\n    rules:\n      owasp:api2:2023-read-restricted: off\n`,
      );
      try {
        const run = spawnSync(
          path.join(PROJECT_ROOT, 'node_modules/.bin/tsx'),
          [
            path.join(PROJECT_ROOT, 'codegen/lint/cli.ts'),
            '--root',
            fixture.root,
            '--skip-redocly',
          ],
          { encoding: 'utf8', cwd: PROJECT_ROOT },
        );
        const lines = spectralLines(run.stderr);
        expect(lines.some((line) => line.includes('read-restricted'))).toBe(false);
        expect(lines.some((line) => line.includes('integer-format'))).toBe(true);
      } finally {
        fixture.cleanup();
      }
    });
  });
});
