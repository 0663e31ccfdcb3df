/**
 * The half of the breaking gate no differ can know: our own extensions and the envelope.
 * - `x-balanceguard` (HTTP operations): a changed surface, a new or lower rate limit, a lower body
 *   limit, an idempotency key newly required or no longer honoured.
 * - `x-wsguard` (inbound WebSocket operations): guest -> session, a new permission, a new or lower
 *   rate limit, a frame newly weighted by a list in its payload.
 * - The envelope: a message's `name` is the `type` its frames travel with, so renaming it breaks
 *   every client that switches on `type`; an operation moved to another channel (the differ sees
 *   operations without their channel, see differ.ts `asyncApiView`).
 * The envelope's schemas themselves go through the differ (differ.ts). A key of either extension this
 * file does not know breaks whenever it changes, until someone teaches it here which way tightens.
 */
import { escapePointerToken } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../load.js';
import { HTTP_METHODS } from '../model.js';

export type DocumentKind = 'openapi' | 'asyncapi';

export interface Break {
  /** A Redocly diff rule id, or one of ours (`guard-tightened`, `wsguard-tightened`, ...). */
  rule: string;
  document: DocumentKind;
  /** The operation or message the break affects, e.g. `POST /api/v1/site/enquiries (submitEnquiry)`. */
  subject: string;
  /** JSON pointer into the bundled document (the released one for removals, the working one otherwise). */
  pointer: string;
  /** Where to look: a contract file and pointer, or a release record. */
  at: string;
  message: string;
}

export interface ContractDocs {
  openapi: JsonObject;
  asyncapi: JsonObject;
}

interface Rate {
  limit: number;
  windowSeconds: number;
}

const tok = (text: string) => '/' + escapePointerToken(text);
const obj = (value: Json | undefined): JsonObject => (isObject(value) ? value : {});
const show = (value: Json | undefined) => (value === undefined ? 'absent' : JSON.stringify(value));
const rateOf = (value: Json | undefined): Rate | undefined =>
  isObject(value) &&
  typeof value['limit'] === 'number' &&
  typeof value['windowSeconds'] === 'number'
    ? { limit: value['limit'], windowSeconds: value['windowSeconds'] }
    : undefined;
const fmt = (rate: Rate) => `${rate.limit} per ${rate.windowSeconds} s`;

/** Why a rate limit now refuses a client the old one let through, if it does. */
function rateTightened(before: Json | undefined, after: Json | undefined): string | undefined {
  const rate = rateOf(before);
  const count = rateOf(after);
  if (!count) return undefined; // removed: looser
  if (!rate) return `is new (${fmt(count)})`;
  // Fewer requests in a burst, or a lower sustained rate.
  const lower =
    count.limit < rate.limit || count.limit * rate.windowSeconds < rate.limit * count.windowSeconds;
  return lower ? `went from ${fmt(rate)} to ${fmt(count)}` : undefined;
}

type Found = { pointer: string; message: string };

function rateLimits(
  ext: string,
  before: Json | undefined,
  after: Json | undefined,
  base: string,
): Found[] {
  const out: Found[] = [];
  const or = obj(before);
  for (const [key, value] of Object.entries(obj(after))) {
    const why = rateTightened(or[key], value);
    if (why)
      out.push({
        pointer: `${base}/rateLimit${tok(key)}`,
        message: `${ext}.rateLimit.${key} ${why}`,
      });
  }
  return out;
}

function unknownKeys(
  ext: string,
  before: JsonObject,
  after: JsonObject,
  known: string[],
  base: string,
) {
  const out: Found[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (known.includes(key) || JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    out.push({
      pointer: `${base}${tok(key)}`,
      message: `${ext}.${key} changed from ${show(before[key])} to ${show(after[key])}; the gate does not know whether that tightens the policy (teach codegen/breaking/policy.ts)`,
    });
  }
  return out;
}

export function guardChanges(old: Json | undefined, now: Json | undefined, base: string): Found[] {
  const before = obj(old);
  const after = obj(now);
  const text = 'x-balanceguard';
  const out = rateLimits(text, before['rateLimit'], after['rateLimit'], base);
  if (before['surface'] !== after['surface'])
    out.push({
      pointer: `${base}/surface`,
      message: `${text}.surface went from ${show(before['surface'])} to ${show(after['surface'])}: another origin, cookie and session`,
    });
  if (typeof before['bodyLimit'] === 'number' && typeof after['bodyLimit'] === 'number')
    if (after['bodyLimit'] < before['bodyLimit'])
      out.push({
        pointer: `${base}/bodyLimit`,
        message: `${text}.bodyLimit went down from ${before['bodyLimit']} to ${after['bodyLimit']} bytes`,
      });
  const oi = before['idempotency'] ?? 'none';
  const ni = after['idempotency'] ?? 'none';
  if ((ni === 'required' && oi !== 'required') || (ni === 'none' && oi !== 'none'))
    out.push({
      pointer: `${base}/idempotency`,
      message: `${text}.idempotency went from ${show(oi)} to ${show(ni)}: ${ni === 'required' ? 'a request without Idempotency-Key is now refused' : 'a retry with the same Idempotency-Key would now write twice'}`,
    });
  // rawBody only changes what the handler receives, nothing a client sends or reads.
  const known = ['surface', 'rateLimit', 'bodyLimit', 'idempotency', 'rawBody'];
  return [...out, ...unknownKeys(text, before, after, known, base)];
}

export function wsGuardChanges(
  old: Json | undefined,
  now: Json | undefined,
  base: string,
): Found[] {
  const before = obj(old);
  const after = obj(now);
  const text = 'x-wsguard';
  const out = rateLimits(text, before['rateLimit'], after['rateLimit'], base);
  if (before['auth'] === 'guest' && after['auth'] !== 'guest' && after['auth'] !== undefined)
    out.push({
      pointer: `${base}/auth`,
      message: `${text}.auth went from "guest" to ${show(after['auth'])}: an anonymous connection may no longer send it`,
    });
  const had = new Set(
    Array.isArray(before['permissions']) ? before['permissions'].map(String) : [],
  );
  const added = (
    Array.isArray(after['permissions']) ? after['permissions'].map(String) : []
  ).filter((path) => !had.has(path));
  if (added.length)
    out.push({
      pointer: `${base}/permissions`,
      message: `${text}.permissions now also require ${added.join(', ')}`,
    });
  if (after['weightedBy'] !== undefined && after['weightedBy'] !== before['weightedBy'])
    out.push({
      pointer: `${base}/weightedBy`,
      message: `${text}.weightedBy went from ${show(before['weightedBy'])} to ${show(after['weightedBy'])}: a frame now counts once per item against its rate limit`,
    });
  return [
    ...out,
    ...unknownKeys(text, before, after, ['auth', 'permissions', 'rateLimit', 'weightedBy'], base),
  ];
}

function httpOperations(
  doc: JsonObject,
): Map<string, { label: string; pointer: string; op: JsonObject }> {
  const out = new Map<string, { label: string; pointer: string; op: JsonObject }>();
  for (const [key, item] of Object.entries(obj(doc['paths']))) {
    for (const message of HTTP_METHODS) {
      const op = obj(item)[message];
      if (!isObject(op)) continue;
      const id = typeof op['operationId'] === 'string' ? ` (${op['operationId']})` : '';
      out.set(`${message} ${key}`, {
        label: `${message.toUpperCase()} ${key}${id}`,
        pointer: `/paths${tok(key)}${tok(message)}`,
        op,
      });
    }
  }
  return out;
}

/** The channel message an AsyncAPI `$ref` names, resolved through `components/messages`. */
function messageAt(doc: JsonObject, raw: Json | undefined): JsonObject {
  const ref = isObject(raw) && typeof raw['$ref'] === 'string' ? raw['$ref'] : undefined;
  const match = ref ? /^#\/components\/messages\/(.+)$/.exec(ref) : null;
  return match?.[1] ? obj(obj(obj(doc['components'])['messages'])[match[1]]) : obj(raw);
}

/** Our extensions and the envelope `type` of every message, old against new. */
export function comparePolicies(old: ContractDocs, now: ContractDocs): Omit<Break, 'at'>[] {
  const out: Omit<Break, 'at'>[] = [];
  const nowHttp = httpOperations(now.openapi);
  for (const [key, value] of httpOperations(old.openapi)) {
    const count = nowHttp.get(key);
    if (!count) continue; // the differ reports the removal
    const base = `${count.pointer}/x-balanceguard`;
    for (const found of guardChanges(value.op['x-balanceguard'], count.op['x-balanceguard'], base))
      out.push({ rule: 'guard-tightened', document: 'openapi', subject: count.label, ...found });
  }
  const oldOps = obj(old.asyncapi['operations']);
  const nowOps = obj(now.asyncapi['operations']);
  for (const [id, raw] of Object.entries(oldOps)) {
    const jsonObject = obj(raw);
    const count = nowOps[id];
    if (!isObject(count)) continue;
    const subject = `operation ${id}`;
    const base = `/operations${tok(id)}`;
    for (const found of wsGuardChanges(
      jsonObject['x-wsguard'],
      count['x-wsguard'],
      `${base}/x-wsguard`,
    ))
      out.push({ rule: 'wsguard-tightened', document: 'asyncapi', subject, ...found });
    const oc = show(obj(jsonObject['channel'])['$ref']);
    const nc = show(obj(count['channel'])['$ref']);
    if (oc !== nc)
      out.push({
        rule: 'operation-channel-changed',
        document: 'asyncapi',
        subject,
        pointer: `${base}/channel`,
        message: `the operation moved from channel ${oc} to ${nc}`,
      });
  }
  const nowChannels = obj(now.asyncapi['channels']);
  for (const [cid, ch] of Object.entries(obj(old.asyncapi['channels']))) {
    const nowMsgs = obj(obj(nowChannels[cid])['messages']);
    for (const [mid, raw] of Object.entries(obj(obj(ch)['messages']))) {
      if (!(mid in nowMsgs)) continue; // the differ reports the removal
      const before = messageAt(old.asyncapi, raw)['name'];
      const after = messageAt(now.asyncapi, nowMsgs[mid])['name'];
      if (before === after) continue;
      out.push({
        rule: 'envelope-type-changed',
        document: 'asyncapi',
        subject: `message ${cid}/${mid} (${String(before)})`,
        pointer: `/channels${tok(cid)}/messages${tok(mid)}/name`,
        message: `its frames now travel as type ${show(after)} instead of ${show(before)}`,
      });
    }
  }
  return out;
}
