/**
 * The schema and structure half of the breaking gate is Redocly's `diff` command (@redocly/cli,
 * already the contracts' linter, pinned to an exact version). It is maintained, runs offline, reads
 * OpenAPI 3.1 and AsyncAPI 3, and judges every change by direction: a narrower request breaks the
 * clients that send it, a wider or thinner response breaks the clients that read it. Its rules cover
 * removed operations, paths, parameters, responses, headers, media types, messages and channels;
 * changed channel addresses, operation actions and ids; new required parameters, bodies, properties
 * and scopes; removed properties; narrowed enums; changed types, bounds, patterns and formats.
 *
 * Three things it does not see the way we need, handled here or in policy.ts:
 * - Direction in AsyncAPI. Redocly finds a message's direction from the operations that reach it,
 *   and also through the operation's `channel`: every channel of ours carries both directions, so
 *   every payload would be judged both ways (a looser inbound bound would break). `asyncApiView`
 *   drops the operation -> channel reference (kept as `x-channel`, which policy.ts compares), so a
 *   message's direction comes only from the operations that list it.
 * - The envelope. No message payload references `EventEnvelope` or `InboundEnvelope` yet, so the
 *   view adds them as the payloads of a synthetic inbound and outbound message.
 * - Our extensions (`x-balanceguard`, `x-wsguard`) and the envelope `type` (a message's `name`):
 *   policy.ts.
 *
 * The command is marked experimental: its rule names and JSON report may change between releases.
 * tests/contract/breaking.test.ts holds a breaking and a compatible edit per rule, so an upgrade that
 * changes what a rule finds fails there first.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../cli-args.js';
import { unescapePointerToken } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../load.js';
import { HTTP_METHODS } from '../model.js';
import type { Break, DocumentKind } from './policy.js';

const run = promisify(execFile);
const REDOCLY = path.join(PROJECT_ROOT, 'node_modules/@redocly/cli/bin/cli.js');
const CONFIG = path.join(PROJECT_ROOT, 'codegen/breaking/redocly-diff.yaml');
/** The synthetic channel that carries the envelope in `asyncApiView`. */
export const ENVELOPE_CHANNEL = '_envelope';

interface Verdict {
  ruleId: string;
  impact: string;
  message: string;
  location: { file: string; pointer: string };
}
interface Change {
  path: string;
  impact: 'major' | 'minor' | 'patch';
  verdicts: Verdict[];
}
export interface DiffResult {
  breaks: Break[];
  /** Changes that break nobody: additions (minor) and prose (patch). */
  compatible: number;
}

const tokensOf = (pointer: string): string[] =>
  pointer
    .replace(/^#?\/?/, '')
    .split('/')
    .filter((text) => text !== '')
    .map(unescapePointerToken);

/** Copies `components.schemas` entries the view lacks, with the schemas they reference. */
function copySchemas(into: JsonObject, from: JsonObject, names: string[]): void {
  const pending = [...names];
  while (pending.length) {
    const name = pending.pop()!;
    if (name in into || !(name in from)) continue;
    const schema = structuredClone(from[name]) as Json;
    into[name] = schema;
    JSON.stringify(schema, (key, value: unknown) => {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/'))
        pending.push(unescapePointerToken(value.slice('#/components/schemas/'.length)));
      return value;
    });
  }
}

/**
 * The AsyncAPI document as Redocly should judge it: operations without their channel reference
 * (kept as `x-channel`), and the envelope as a synthetic channel with one inbound message
 * (`InboundEnvelope`) and one outbound (`EventEnvelope`). Schemas come from the AsyncAPI document,
 * else from the OpenAPI one (the bundler names a shared schema the same in both).
 */
export function asyncApiView(asyncapi: JsonObject, openapi: JsonObject): JsonObject {
  const view = structuredClone(asyncapi);
  const ops = isObject(view['operations']) ? view['operations'] : {};
  for (const op of Object.values(ops)) {
    if (!isObject(op)) continue;
    const ch = op['channel'];
    if (isObject(ch) && typeof ch['$ref'] === 'string') op['x-channel'] = ch['$ref'];
    delete op['channel'];
  }
  const components = isObject(view['components']) ? view['components'] : (view['components'] = {});
  const schemas = isObject(components['schemas'])
    ? components['schemas']
    : (components['schemas'] = {});
  const oc = isObject(openapi['components']) ? openapi['components'] : {};
  copySchemas(schemas, isObject(oc['schemas']) ? oc['schemas'] : {}, [
    'EventEnvelope',
    'InboundEnvelope',
  ]);
  const messages: JsonObject = {};
  for (const [key, schema, action] of [
    ['inbound', 'InboundEnvelope', 'receive'],
    ['outbound', 'EventEnvelope', 'send'],
  ] as const) {
    if (!(schema in schemas)) continue;
    messages[key] = { payload: { $ref: `#/components/schemas/${schema}` } };
    ops[`${ENVELOPE_CHANNEL}_${key}`] = {
      action,
      messages: [{ $ref: `#/channels/${ENVELOPE_CHANNEL}/messages/${key}` }],
    };
  }
  if (Object.keys(messages).length) {
    const channels = isObject(view['channels']) ? view['channels'] : (view['channels'] = {});
    channels[ENVELOPE_CHANNEL] = { messages };
    view['operations'] = ops;
  }
  return view;
}

const plain = (doc: JsonObject, tokens: string[]): Json | undefined =>
  tokens.reduce<Json | undefined>(
    (node, token) =>
      isObject(node) ? node[token] : Array.isArray(node) ? node[Number(token)] : undefined,
    doc,
  );

/** The node at `tokens`, following local `$ref`s on the way (channel messages point into components). */
function at(doc: JsonObject, tokens: string[]): Json | undefined {
  const deref = (node: Json | undefined) => {
    for (let index = 0; index < 10 && isObject(node) && typeof node['$ref'] === 'string'; index++)
      node = plain(doc, tokensOf(node['$ref']));
    return node;
  };
  let node: Json | undefined = doc;
  for (const token of tokens) node = plain(deref(node) as JsonObject, [token]);
  return deref(node);
}

/** What a change is about, for a reader: the operation, message, channel or section it sits in. */
export function subjectOf(
  kind: DocumentKind,
  changePath: string,
  docs: { base: JsonObject; revision: JsonObject },
): string {
  const target = tokensOf(changePath);
  const find = (tokens: string[]) => at(docs.revision, tokens) ?? at(docs.base, tokens);
  if (kind === 'openapi' && target[0] === 'paths' && target[1]) {
    const method = target[2];
    if (!method || !(HTTP_METHODS as readonly string[]).includes(method))
      return `path ${target[1]}`;
    const op = find(target.slice(0, 3));
    const id =
      isObject(op) && typeof op['operationId'] === 'string' ? ` (${op['operationId']})` : '';
    return `${method.toUpperCase()} ${target[1]}${id}`;
  }
  if (kind === 'asyncapi' && target[0] === 'channels' && target[1] === ENVELOPE_CHANNEL)
    return `the envelope of every ${target[3] ?? ''} frame`;
  if (
    kind === 'asyncapi' &&
    target[0] === 'channels' &&
    target[1] &&
    target[2] === 'messages' &&
    target[3]
  ) {
    const msg = find(target.slice(0, 4));
    const name = isObject(msg) && typeof msg['name'] === 'string' ? ` (${msg['name']})` : '';
    return `message ${target[1]}/${target[3]}${name}`;
  }
  if (target[0] === 'channels' && target[1]) return `channel ${target[1]}`;
  if (target[0] === 'operations' && target[1]) return `operation ${target[1]}`;
  return target.slice(0, 2).join('/') || 'the document';
}

/**
 * Runs `redocly diff` over two bundled documents (AsyncAPI ones already through `asyncApiView`)
 * and returns each major change as a break. `locate` turns a pointer into the working document
 * into the contract file it came from.
 */
export async function redoclyDiff(
  kind: DocumentKind,
  base: JsonObject,
  revision: JsonObject,
  locate: (side: 'released' | 'working', pointer: string) => string,
): Promise<DiffResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bk-contracts-diff-'));
  try {
    writeFileSync(path.join(dir, 'released.json'), JSON.stringify(base));
    writeFileSync(path.join(dir, 'working.json'), JSON.stringify(revision));
    const args = [REDOCLY, 'diff', 'released.json', 'working.json', '--config', CONFIG];
    args.push('--format', 'json', '--output', 'report.json', '--fail-on', 'none');
    try {
      await run(process.execPath, args, {
        cwd: dir,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        env: {
          ...process.env,
          REDOCLY_TELEMETRY: 'off',
          REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
          REDOCLY_SUPPRESS_NOTIFICATIONS: 'true',
        },
      });
    } catch (err) {
      const entry = err as { stderr?: string; stdout?: string; code?: number };
      const tail = `${entry.stderr ?? ''}${entry.stdout ?? ''}`
        .trim()
        .split('\n')
        .slice(-8)
        .join('\n  ');
      throw new Error(
        `redocly diff of the ${kind} document failed (exit ${entry.code}):\n  ${tail}`,
        { cause: err },
      );
    }
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as {
      changes: Change[];
    };
    const breaks: Break[] = [];
    let compatible = 0;
    for (const change of report.changes) {
      if (change.impact !== 'major') {
        compatible++;
        continue;
      }
      const subject = subjectOf(kind, change.path, { base, revision });
      for (const verdict of change.verdicts.filter((item) => item.impact === 'major')) {
        const side =
          path.basename(verdict.location.file) === 'released.json' ? 'released' : 'working';
        breaks.push({
          rule: verdict.ruleId,
          document: kind,
          subject,
          pointer: verdict.location.pointer.replace(/^#/, ''),
          at: locate(side, verdict.location.pointer.replace(/^#/, '')),
          message: verdict.message,
        });
      }
    }
    return { breaks, compatible };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
