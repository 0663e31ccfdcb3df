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

const tok = (t: string) => '/' + escapePointerToken(t);
const obj = (v: Json | undefined): JsonObject => (isObject(v) ? v : {});
const show = (v: Json | undefined) => (v === undefined ? 'absent' : JSON.stringify(v));
const rateOf = (v: Json | undefined): Rate | undefined =>
  isObject(v) && typeof v['limit'] === 'number' && typeof v['windowSeconds'] === 'number'
    ? { limit: v['limit'], windowSeconds: v['windowSeconds'] }
    : undefined;
const fmt = (r: Rate) => `${r.limit} per ${r.windowSeconds} s`;

/** Why a rate limit now refuses a client the old one let through, if it does. */
function rateTightened(before: Json | undefined, after: Json | undefined): string | undefined {
  const o = rateOf(before);
  const n = rateOf(after);
  if (!n) return undefined; // removed: looser
  if (!o) return `is new (${fmt(n)})`;
  // Fewer requests in a burst, or a lower sustained rate.
  const lower = n.limit < o.limit || n.limit * o.windowSeconds < o.limit * n.windowSeconds;
  return lower ? `went from ${fmt(o)} to ${fmt(n)}` : undefined;
}

type Found = { pointer: string; message: string };

function rateLimits(ext: string, o: Json | undefined, n: Json | undefined, base: string): Found[] {
  const out: Found[] = [];
  const or = obj(o);
  for (const [k, v] of Object.entries(obj(n))) {
    const why = rateTightened(or[k], v);
    if (why)
      out.push({ pointer: `${base}/rateLimit${tok(k)}`, message: `${ext}.rateLimit.${k} ${why}` });
  }
  return out;
}

function unknownKeys(ext: string, o: JsonObject, n: JsonObject, known: string[], base: string) {
  const out: Found[] = [];
  for (const k of new Set([...Object.keys(o), ...Object.keys(n)])) {
    if (known.includes(k) || JSON.stringify(o[k]) === JSON.stringify(n[k])) continue;
    out.push({
      pointer: `${base}${tok(k)}`,
      message: `${ext}.${k} changed from ${show(o[k])} to ${show(n[k])}; the gate does not know whether that tightens the policy (teach codegen/breaking/policy.ts)`,
    });
  }
  return out;
}

export function guardChanges(old: Json | undefined, now: Json | undefined, base: string): Found[] {
  const o = obj(old);
  const n = obj(now);
  const X = 'x-balanceguard';
  const out = rateLimits(X, o['rateLimit'], n['rateLimit'], base);
  if (o['surface'] !== n['surface'])
    out.push({
      pointer: `${base}/surface`,
      message: `${X}.surface went from ${show(o['surface'])} to ${show(n['surface'])}: another origin, cookie and session`,
    });
  if (typeof o['bodyLimit'] === 'number' && typeof n['bodyLimit'] === 'number')
    if (n['bodyLimit'] < o['bodyLimit'])
      out.push({
        pointer: `${base}/bodyLimit`,
        message: `${X}.bodyLimit went down from ${o['bodyLimit']} to ${n['bodyLimit']} bytes`,
      });
  const oi = o['idempotency'] ?? 'none';
  const ni = n['idempotency'] ?? 'none';
  if ((ni === 'required' && oi !== 'required') || (ni === 'none' && oi !== 'none'))
    out.push({
      pointer: `${base}/idempotency`,
      message: `${X}.idempotency went from ${show(oi)} to ${show(ni)}: ${ni === 'required' ? 'a request without Idempotency-Key is now refused' : 'a retry with the same Idempotency-Key would now write twice'}`,
    });
  // rawBody only changes what the handler receives, nothing a client sends or reads.
  const known = ['surface', 'rateLimit', 'bodyLimit', 'idempotency', 'rawBody'];
  return [...out, ...unknownKeys(X, o, n, known, base)];
}

export function wsGuardChanges(
  old: Json | undefined,
  now: Json | undefined,
  base: string,
): Found[] {
  const o = obj(old);
  const n = obj(now);
  const X = 'x-wsguard';
  const out = rateLimits(X, o['rateLimit'], n['rateLimit'], base);
  if (o['auth'] === 'guest' && n['auth'] !== 'guest' && n['auth'] !== undefined)
    out.push({
      pointer: `${base}/auth`,
      message: `${X}.auth went from "guest" to ${show(n['auth'])}: an anonymous connection may no longer send it`,
    });
  const had = new Set(Array.isArray(o['permissions']) ? o['permissions'].map(String) : []);
  const added = (Array.isArray(n['permissions']) ? n['permissions'].map(String) : []).filter(
    (p) => !had.has(p),
  );
  if (added.length)
    out.push({
      pointer: `${base}/permissions`,
      message: `${X}.permissions now also require ${added.join(', ')}`,
    });
  if (n['weightedBy'] !== undefined && n['weightedBy'] !== o['weightedBy'])
    out.push({
      pointer: `${base}/weightedBy`,
      message: `${X}.weightedBy went from ${show(o['weightedBy'])} to ${show(n['weightedBy'])}: a frame now counts once per item against its rate limit`,
    });
  return [
    ...out,
    ...unknownKeys(X, o, n, ['auth', 'permissions', 'rateLimit', 'weightedBy'], base),
  ];
}

function httpOperations(
  doc: JsonObject,
): Map<string, { label: string; pointer: string; op: JsonObject }> {
  const out = new Map<string, { label: string; pointer: string; op: JsonObject }>();
  for (const [p, item] of Object.entries(obj(doc['paths']))) {
    for (const m of HTTP_METHODS) {
      const op = obj(item)[m];
      if (!isObject(op)) continue;
      const id = typeof op['operationId'] === 'string' ? ` (${op['operationId']})` : '';
      out.set(`${m} ${p}`, {
        label: `${m.toUpperCase()} ${p}${id}`,
        pointer: `/paths${tok(p)}${tok(m)}`,
        op,
      });
    }
  }
  return out;
}

/** The channel message an AsyncAPI `$ref` names, resolved through `components/messages`. */
function messageAt(doc: JsonObject, raw: Json | undefined): JsonObject {
  const ref = isObject(raw) && typeof raw['$ref'] === 'string' ? raw['$ref'] : undefined;
  const m = ref ? /^#\/components\/messages\/(.+)$/.exec(ref) : null;
  return m?.[1] ? obj(obj(obj(doc['components'])['messages'])[m[1]]) : obj(raw);
}

/** Our extensions and the envelope `type` of every message, old against new. */
export function comparePolicies(old: ContractDocs, now: ContractDocs): Omit<Break, 'at'>[] {
  const out: Omit<Break, 'at'>[] = [];
  const nowHttp = httpOperations(now.openapi);
  for (const [key, o] of httpOperations(old.openapi)) {
    const n = nowHttp.get(key);
    if (!n) continue; // the differ reports the removal
    const base = `${n.pointer}/x-balanceguard`;
    for (const f of guardChanges(o.op['x-balanceguard'], n.op['x-balanceguard'], base))
      out.push({ rule: 'guard-tightened', document: 'openapi', subject: n.label, ...f });
  }
  const oldOps = obj(old.asyncapi['operations']);
  const nowOps = obj(now.asyncapi['operations']);
  for (const [id, raw] of Object.entries(oldOps)) {
    const o = obj(raw);
    const n = nowOps[id];
    if (!isObject(n)) continue;
    const subject = `operation ${id}`;
    const base = `/operations${tok(id)}`;
    for (const f of wsGuardChanges(o['x-wsguard'], n['x-wsguard'], `${base}/x-wsguard`))
      out.push({ rule: 'wsguard-tightened', document: 'asyncapi', subject, ...f });
    const oc = show(obj(o['channel'])['$ref']);
    const nc = show(obj(n['channel'])['$ref']);
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
