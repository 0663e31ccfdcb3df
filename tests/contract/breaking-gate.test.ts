/**
 * `npm run contracts:breaking` on a copy of the real contracts (issue 17): each class of breaking
 * edit fails with a line naming what broke, a compatible edit passes, and a major bump inside
 * contracts/v1 fails instead of silencing the gate. tests/contract/breaking.test.ts holds the rules
 * one by one on a small fixture.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import semver from 'semver';
import { parse, stringify } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
/** The contract's version today and the next minor one: the version cases bump from whatever it is. */
const CURRENT = (
  parse(readFileSync(path.join(ROOT, 'contracts/v1/openapi.yaml'), 'utf8')) as {
    info: { version: string };
  }
).info.version;
const NEXT = semver.inc(CURRENT, 'minor')!;
const escaped = (version: string) => version.replace(/\./g, '\\.');
const trees: string[] = [];
afterAll(() => {
  for (const tree of trees) rmSync(tree, { recursive: true, force: true });
});

type Yaml = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- contract files are edited freely

/** A copy of contracts/ (working contracts and release records) to edit. */
function tree(): { root: string; edit: (file: string, change: (doc: Yaml) => void) => void } {
  const root = mkdtempSync(path.join(tmpdir(), 'bk-breaking-'));
  trees.push(root);
  cpSync(path.join(ROOT, 'contracts'), path.join(root, 'contracts'), { recursive: true });
  return {
    root,
    edit(file, change) {
      const abs = path.join(root, 'contracts/v1', file);
      const doc = parse(readFileSync(abs, 'utf8')) as Yaml;
      change(doc);
      writeFileSync(abs, stringify(doc));
    },
  };
}

async function gate(root: string, ...args: string[]): Promise<{ status: number; out: string }> {
  try {
    const result = await run(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      [path.join(ROOT, 'codegen/breaking/cli.ts'), '--root', root, ...args],
      { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
    );
    return { status: 0, out: result.stdout + result.stderr };
  } catch (err) {
    const entry = err as { code?: number; stdout?: string; stderr?: string };
    return { status: entry.code ?? -1, out: `${entry.stdout ?? ''}${entry.stderr ?? ''}` };
  }
}

interface Case {
  name: string;
  change: (target: ReturnType<typeof tree>) => void;
  /** A line of the report must match this. */
  line: RegExp;
}

const bothVersions = (target: ReturnType<typeof tree>, version: string) => {
  target.edit('openapi.yaml', (data) => (data.info.version = version));
  target.edit('asyncapi.yaml', (data) => (data.info.version = version));
};

const breaking: Case[] = [
  {
    name: 'an operation added in 1.1 is removed',
    change: (target) =>
      target.edit('paths/chat-client.yaml', (data) => delete data['client-conversations'].get),
    line: /GET \/api\/v1\/client\/chat\/conversations.*removed/,
  },
  {
    name: 'a request constraint is tightened (maxLength 4000 -> 2000)',
    change: (target) =>
      target.edit(
        'components/schemas/enquiry.yaml',
        (data) => (data.EnquirySubmission.properties.message.maxLength = 2000),
      ),
    line: /submitEnquiry.*maxLength/,
  },
  {
    name: 'an optional request field is removed under additionalProperties: false',
    change: (target) =>
      target.edit(
        'components/schemas/enquiry.yaml',
        (data) => delete data.EnquirySubmission.properties.preferredContact,
      ),
    line: /submitEnquiry.*preferredContact/,
  },
  {
    name: 'an operation requires a new scope',
    change: (target) =>
      target.edit(
        'paths/enquiry.yaml',
        (data) =>
          (data['admin-enquiries'].get.security = [
            { adminSession: ['enquiries:read', 'enquiries:write'] },
          ]),
      ),
    line: /listEnquiries.*enquiries:write/,
  },
  {
    name: 'a response header is removed',
    change: (target) =>
      target.edit(
        'paths/enquiry.yaml',
        (data) => delete data['site-enquiries'].post.responses['201'].headers.RateLimit,
      ),
    line: /submitEnquiry.*RateLimit/,
  },
  {
    name: 'a request media type changes',
    change: (target) =>
      target.edit('paths/enquiry.yaml', (data) => {
        const content = data['admin-enquiry-status'].post.requestBody.content;
        content['application/vnd.balance-kitchen+json'] = content['application/json'];
        delete content['application/json'];
      }),
    line: /advanceEnquiryStatus.*application\/json/,
  },
  {
    name: 'a guard policy is tightened (rate limit 5 -> 3 per 10 min)',
    change: (target) =>
      target.edit(
        'paths/enquiry.yaml',
        (data) => (data['site-enquiries'].post['x-balanceguard'].rateLimit.ip.limit = 3),
      ),
    line: /submitEnquiry.*x-balanceguard.*rateLimit/,
  },
  {
    name: 'a WebSocket guard policy is tightened (guest -> session)',
    change: (target) =>
      target.edit(
        'asyncapi.yaml',
        (data) => (data.operations.sendVisitorMessage['x-wsguard'].auth = 'session'),
      ),
    line: /sendVisitorMessage.*x-wsguard/,
  },
  {
    name: 'a channel address changes',
    change: (target) =>
      target.edit('asyncapi.yaml', (data) => (data.channels.site.address = '/ws/v1/widget')),
    line: /channel site.*address/,
  },
  {
    name: 'an inbound message constraint is tightened (resume lists 20 -> 10 conversations)',
    change: (target) =>
      target.edit(
        'components/schemas/chat.yaml',
        (data) => (data.ResumeInput.properties.conversations.maxItems = 10),
      ),
    line: /chat\.resume.*maxItems/,
  },
  {
    name: 'an optional field is removed from an outbound message',
    change: (target) =>
      target.edit(
        'components/schemas/chat.yaml',
        (data) => delete data.StaffReply.properties.staffName,
      ),
    line: /staffName/,
  },
  {
    name: 'info.version goes to 2.0.0 inside contracts/v1 (with a removed operation)',
    change: (target) => {
      bothVersions(target, '2.0.0');
      target.edit('paths/chat-client.yaml', (data) => delete data['client-conversations'].get);
    },
    line: /contracts\/v2/,
  },
  {
    name: 'info.version is ahead of the last release with no release recorded',
    change: (target) => bothVersions(target, NEXT),
    line: new RegExp(`${escaped(NEXT)}.*contracts:release`),
  },
];

/** Edits that break only the contract content (the version stays as it is). */
const contentCases = breaking.filter((caseItem) => !/info\.version/.test(caseItem.name));
const versionCases = breaking.filter((caseItem) => /info\.version/.test(caseItem.name));

describe('npm run contracts:breaking on the real contracts', () => {
  // Every content edit at once on one copy: each touches its own place, and the report lists every
  // break, so one run (two of Redocly) answers for all of them.
  let all: { status: number; out: string };
  beforeAll(async () => {
    const target = tree();
    for (const contentCase of contentCases) contentCase.change(target);
    all = await gate(target.root);
  });

  it('when nothing changed, then it passes', async () => {
    const result = await gate(tree().root);
    expect(result.status, result.out).toBe(0);
  });

  for (const contentCase of contentCases) {
    it(`when ${contentCase.name}, then it fails naming the change`, () => {
      expect(all.status, all.out).toBe(1);
      expect(all.out).toMatch(contentCase.line);
    });
  }

  for (const versionCase of versionCases) {
    it(`when ${versionCase.name}, then it fails naming the change`, async () => {
      const target = tree();
      versionCase.change(target);
      const result = await gate(target.root);
      expect(result.status, result.out).toBe(1);
      expect(result.out).toMatch(versionCase.line);
    });
  }

  it('when only compatible edits are made (a new optional request field, a new response field, a looser rate limit, a looser inbound bound), then it passes', async () => {
    const target = tree();
    target.edit('components/schemas/enquiry.yaml', (data) => {
      data.EnquirySubmission.properties.company = { type: 'string', maxLength: 120 };
      data.EnquiryReceipt.properties.reference = { type: 'string', maxLength: 32 };
    });
    target.edit(
      'paths/enquiry.yaml',
      (data) => (data['site-enquiries'].post['x-balanceguard'].rateLimit.ip.limit = 10),
    );
    target.edit(
      'asyncapi.yaml',
      (data) => (data.operations.sendVisitorMessage['x-wsguard'].rateLimit.connection.limit = 20),
    );
    target.edit(
      'components/schemas/chat.yaml',
      (data) => (data.ResumeInput.properties.conversations.maxItems = 30),
    );
    const result = await gate(target.root);
    expect(result.status, result.out).toBe(0);
  });

  it('when the version is bumped and `npm run contracts:release` runs in the same change, then it passes and the release is recorded', async () => {
    const target = tree();
    bothVersions(target, NEXT);
    target.edit('components/schemas/enquiry.yaml', (data) => {
      data.EnquiryReceipt.properties.reference = { type: 'string', maxLength: 32 };
    });
    const release = await gate(target.root, '--release');
    expect(release.status, release.out).toBe(0);
    expect(release.out).toContain(`recorded ${NEXT} in contracts/releases/v1/${NEXT}`);
    const result = await gate(target.root);
    expect(result.status, result.out).toBe(0);
  });
});
