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
  for (const t of trees) rmSync(t, { recursive: true, force: true });
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
    const r = await run(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      [path.join(ROOT, 'codegen/breaking/cli.ts'), '--root', root, ...args],
      { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
    );
    return { status: 0, out: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { status: e.code ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

interface Case {
  name: string;
  change: (t: ReturnType<typeof tree>) => void;
  /** A line of the report must match this. */
  line: RegExp;
}

const bothVersions = (t: ReturnType<typeof tree>, version: string) => {
  t.edit('openapi.yaml', (d) => (d.info.version = version));
  t.edit('asyncapi.yaml', (d) => (d.info.version = version));
};

const breaking: Case[] = [
  {
    name: 'an operation added in 1.1 is removed',
    change: (t) => t.edit('paths/chat-client.yaml', (d) => delete d['client-conversations'].get),
    line: /GET \/api\/v1\/client\/chat\/conversations.*removed/,
  },
  {
    name: 'a request constraint is tightened (maxLength 4000 -> 2000)',
    change: (t) =>
      t.edit(
        'components/schemas/enquiry.yaml',
        (d) => (d.EnquirySubmission.properties.message.maxLength = 2000),
      ),
    line: /submitEnquiry.*maxLength/,
  },
  {
    name: 'an optional request field is removed under additionalProperties: false',
    change: (t) =>
      t.edit(
        'components/schemas/enquiry.yaml',
        (d) => delete d.EnquirySubmission.properties.preferredContact,
      ),
    line: /submitEnquiry.*preferredContact/,
  },
  {
    name: 'an operation requires a new scope',
    change: (t) =>
      t.edit(
        'paths/enquiry.yaml',
        (d) =>
          (d['admin-enquiries'].get.security = [
            { adminSession: ['enquiries:read', 'enquiries:write'] },
          ]),
      ),
    line: /listEnquiries.*enquiries:write/,
  },
  {
    name: 'a response header is removed',
    change: (t) =>
      t.edit(
        'paths/enquiry.yaml',
        (d) => delete d['site-enquiries'].post.responses['201'].headers.RateLimit,
      ),
    line: /submitEnquiry.*RateLimit/,
  },
  {
    name: 'a request media type changes',
    change: (t) =>
      t.edit('paths/enquiry.yaml', (d) => {
        const content = d['admin-enquiry-status'].post.requestBody.content;
        content['application/vnd.balance-kitchen+json'] = content['application/json'];
        delete content['application/json'];
      }),
    line: /advanceEnquiryStatus.*application\/json/,
  },
  {
    name: 'a guard policy is tightened (rate limit 5 -> 3 per 10 min)',
    change: (t) =>
      t.edit(
        'paths/enquiry.yaml',
        (d) => (d['site-enquiries'].post['x-balanceguard'].rateLimit.ip.limit = 3),
      ),
    line: /submitEnquiry.*x-balanceguard.*rateLimit/,
  },
  {
    name: 'a WebSocket guard policy is tightened (guest -> session)',
    change: (t) =>
      t.edit(
        'asyncapi.yaml',
        (d) => (d.operations.sendVisitorMessage['x-wsguard'].auth = 'session'),
      ),
    line: /sendVisitorMessage.*x-wsguard/,
  },
  {
    name: 'a channel address changes',
    change: (t) => t.edit('asyncapi.yaml', (d) => (d.channels.site.address = '/ws/v1/widget')),
    line: /channel site.*address/,
  },
  {
    name: 'an inbound message constraint is tightened (resume lists 20 -> 10 conversations)',
    change: (t) =>
      t.edit(
        'components/schemas/chat.yaml',
        (d) => (d.ResumeInput.properties.conversations.maxItems = 10),
      ),
    line: /chat\.resume.*maxItems/,
  },
  {
    name: 'an optional field is removed from an outbound message',
    change: (t) =>
      t.edit('components/schemas/chat.yaml', (d) => delete d.StaffReply.properties.staffName),
    line: /staffName/,
  },
  {
    name: 'info.version goes to 2.0.0 inside contracts/v1 (with a removed operation)',
    change: (t) => {
      bothVersions(t, '2.0.0');
      t.edit('paths/chat-client.yaml', (d) => delete d['client-conversations'].get);
    },
    line: /contracts\/v2/,
  },
  {
    name: 'info.version is ahead of the last release with no release recorded',
    change: (t) => bothVersions(t, NEXT),
    line: new RegExp(`${escaped(NEXT)}.*contracts:release`),
  },
];

/** Edits that break only the contract content (the version stays as it is). */
const contentCases = breaking.filter((c) => !/info\.version/.test(c.name));
const versionCases = breaking.filter((c) => /info\.version/.test(c.name));

describe('npm run contracts:breaking on the real contracts', () => {
  // Every content edit at once on one copy: each touches its own place, and the report lists every
  // break, so one run (two of Redocly) answers for all of them.
  let all: { status: number; out: string };
  beforeAll(async () => {
    const t = tree();
    for (const c of contentCases) c.change(t);
    all = await gate(t.root);
  });

  it('when nothing changed, then it passes', async () => {
    const r = await gate(tree().root);
    expect(r.status, r.out).toBe(0);
  });

  for (const c of contentCases) {
    it(`when ${c.name}, then it fails naming the change`, () => {
      expect(all.status, all.out).toBe(1);
      expect(all.out).toMatch(c.line);
    });
  }

  for (const c of versionCases) {
    it(`when ${c.name}, then it fails naming the change`, async () => {
      const t = tree();
      c.change(t);
      const r = await gate(t.root);
      expect(r.status, r.out).toBe(1);
      expect(r.out).toMatch(c.line);
    });
  }

  it('when only compatible edits are made (a new optional request field, a new response field, a looser rate limit, a looser inbound bound), then it passes', async () => {
    const t = tree();
    t.edit('components/schemas/enquiry.yaml', (d) => {
      d.EnquirySubmission.properties.company = { type: 'string', maxLength: 120 };
      d.EnquiryReceipt.properties.reference = { type: 'string', maxLength: 32 };
    });
    t.edit(
      'paths/enquiry.yaml',
      (d) => (d['site-enquiries'].post['x-balanceguard'].rateLimit.ip.limit = 10),
    );
    t.edit(
      'asyncapi.yaml',
      (d) => (d.operations.sendVisitorMessage['x-wsguard'].rateLimit.connection.limit = 20),
    );
    t.edit(
      'components/schemas/chat.yaml',
      (d) => (d.ResumeInput.properties.conversations.maxItems = 30),
    );
    const r = await gate(t.root);
    expect(r.status, r.out).toBe(0);
  });

  it('when the version is bumped and `npm run contracts:release` runs in the same change, then it passes and the release is recorded', async () => {
    const t = tree();
    bothVersions(t, NEXT);
    t.edit('components/schemas/enquiry.yaml', (d) => {
      d.EnquiryReceipt.properties.reference = { type: 'string', maxLength: 32 };
    });
    const release = await gate(t.root, '--release');
    expect(release.status, release.out).toBe(0);
    expect(release.out).toContain(`recorded ${NEXT} in contracts/releases/v1/${NEXT}`);
    const r = await gate(t.root);
    expect(r.status, r.out).toBe(0);
  });
});
