/**
 * The breaking-change gate: compares a released contract with the current one. Pure: it takes the
 * bundled documents (codegen/load.ts, or the JSON snapshots in contracts/released/) and returns
 * every break. A document whose `info.version` major changed may break anything, and yields none.
 */
import { escapePointerToken } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../load.js';
import { HTTP_METHODS } from '../model.js';

export type BreakRule =
  | 'removed-operation'
  | 'removed-message'
  | 'removed-response'
  | 'removed-response-field'
  | 'removed-parameter'
  | 'new-required-request-field'
  | 'narrowed-enum'
  | 'changed-type';

export interface Break {
  rule: BreakRule;
  /** `openapi` or `asyncapi`. */
  document: 'openapi' | 'asyncapi';
  /** The operation or message the break affects, e.g. `POST /api/v1/site/enquiries (submitEnquiry)`. */
  subject: string;
  /** JSON pointer into the bundled document (the released one for removals, the current one otherwise). */
  pointer: string;
  message: string;
}

export interface ContractDocs {
  openapi: JsonObject;
  asyncapi: JsonObject;
}

type Direction = 'request' | 'response';
const tok = (t: string | number) => '/' + escapePointerToken(String(t));
const SCHEMA_KEYWORDS_NESTED = [
  'items',
  'additionalProperties',
  'not',
  'contains',
  'propertyNames',
] as const;
const SCHEMA_LISTS = ['allOf', 'oneOf', 'anyOf', 'prefixItems'] as const;

export function majorOf(doc: JsonObject): string {
  const info = isObject(doc['info']) ? doc['info'] : {};
  return String(info['version'] ?? '').split('.')[0] ?? '';
}

/** Follows local `$ref`s; returns the schema and the pointer it lives at. */
function resolve(
  doc: JsonObject,
  schema: Json | undefined,
  pointer: string,
): { schema: Json | undefined; pointer: string } {
  let cur = schema;
  let ptr = pointer;
  for (
    let i = 0;
    i < 20 && isObject(cur) && typeof cur['$ref'] === 'string' && cur['$ref'].startsWith('#/');
    i++
  ) {
    const ref = cur['$ref'];
    let target: Json | undefined = doc;
    for (const t of ref.slice(2).split('/'))
      target = isObject(target) ? target[t.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    if (target === undefined) break;
    cur = target;
    ptr = ref.slice(1);
  }
  return { schema: cur, pointer: ptr };
}

const typesOf = (s: JsonObject): string[] | undefined => {
  const t = s['type'];
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.map(String);
  return undefined;
};

class SchemaDiff {
  private visited = new Set<string>();
  constructor(
    private readonly oldDoc: JsonObject,
    private readonly newDoc: JsonObject,
    private readonly document: Break['document'],
    private readonly out: Break[],
  ) {}

  walk(
    oldRaw: Json | undefined,
    newRaw: Json | undefined,
    oldPtr: string,
    newPtr: string,
    dir: Direction,
    subject: string,
  ): void {
    const o = resolve(this.oldDoc, oldRaw, oldPtr);
    const n = resolve(this.newDoc, newRaw, newPtr);
    if (!isObject(o.schema) || !isObject(n.schema)) return;
    const key = `${subject}|${dir}|${o.pointer}|${n.pointer}`;
    if (this.visited.has(key)) return;
    this.visited.add(key);
    const os = o.schema;
    const ns = n.schema;
    const add = (rule: BreakRule, pointer: string, message: string) =>
      this.out.push({ rule, document: this.document, subject, pointer, message });

    const ot = typesOf(os);
    const nt = typesOf(ns);
    if (ot && nt) {
      // A request may start accepting more types; a response may start sending fewer. Anything else breaks a client.
      const lost =
        dir === 'request' ? ot.filter((t) => !nt.includes(t)) : nt.filter((t) => !ot.includes(t));
      if (lost.length)
        add(
          'changed-type',
          `${n.pointer}/type`,
          `type changed from ${ot.join('|')} to ${nt.join('|')} in a ${dir}`,
        );
    }

    if (Array.isArray(os['enum']) && Array.isArray(ns['enum'])) {
      const now = new Set(ns['enum'].map((v) => JSON.stringify(v)));
      const removed = os['enum'].filter((v) => !now.has(JSON.stringify(v)));
      if (removed.length)
        add(
          'narrowed-enum',
          `${n.pointer}/enum`,
          `enum in a ${dir} lost ${removed.map((v) => JSON.stringify(v)).join(', ')}`,
        );
    } else if (Array.isArray(ns['enum']) && !Array.isArray(os['enum']) && dir === 'request') {
      add(
        'narrowed-enum',
        `${n.pointer}/enum`,
        `a request field that took any value now takes only ${ns['enum'].map((v) => JSON.stringify(v)).join(', ')}`,
      );
    }

    const oprops = isObject(os['properties']) ? os['properties'] : {};
    const nprops = isObject(ns['properties']) ? ns['properties'] : {};
    const oreq = new Set(Array.isArray(os['required']) ? os['required'].map(String) : []);
    const nreq = Array.isArray(ns['required']) ? ns['required'].map(String) : [];
    if (dir === 'response') {
      for (const name of Object.keys(oprops)) {
        if (!(name in nprops))
          add(
            'removed-response-field',
            `${o.pointer}/properties${tok(name)}`,
            `response field "${name}" was removed`,
          );
      }
      // A field the response always carried and now may omit is also a removal, for the clients that read it.
      for (const name of oreq) {
        if (name in nprops && !nreq.includes(name))
          add(
            'removed-response-field',
            `${n.pointer}/required`,
            `response field "${name}" is no longer always present`,
          );
      }
    } else {
      for (const name of nreq) {
        if (!oreq.has(name))
          add(
            'new-required-request-field',
            `${n.pointer}/required`,
            `request field "${name}" is newly required`,
          );
      }
    }
    for (const [name, sub] of Object.entries(oprops)) {
      if (name in nprops)
        this.walk(
          sub,
          nprops[name],
          `${o.pointer}/properties${tok(name)}`,
          `${n.pointer}/properties${tok(name)}`,
          dir,
          subject,
        );
    }
    for (const k of SCHEMA_KEYWORDS_NESTED) {
      if (isObject(os[k]) && isObject(ns[k]))
        this.walk(os[k], ns[k], `${o.pointer}/${k}`, `${n.pointer}/${k}`, dir, subject);
    }
    for (const k of SCHEMA_LISTS) {
      const ol = os[k];
      const nl = ns[k];
      if (Array.isArray(ol) && Array.isArray(nl)) {
        ol.forEach((sub, i) => {
          if (i < nl.length)
            this.walk(sub, nl[i], `${o.pointer}/${k}/${i}`, `${n.pointer}/${k}/${i}`, dir, subject);
        });
      }
    }
  }
}

interface OpenApiOp {
  label: string;
  pointer: string;
  op: JsonObject;
  item: JsonObject;
}

function openApiOps(doc: JsonObject): Map<string, OpenApiOp> {
  const out = new Map<string, OpenApiOp>();
  const paths = isObject(doc['paths']) ? doc['paths'] : {};
  for (const [p, itemRaw] of Object.entries(paths)) {
    const item = resolve(doc, itemRaw, `/paths${tok(p)}`).schema;
    if (!isObject(item)) continue;
    for (const m of HTTP_METHODS) {
      const op = item[m];
      if (!isObject(op)) continue;
      const id = typeof op['operationId'] === 'string' ? ` (${op['operationId']})` : '';
      out.set(`${m.toUpperCase()} ${p}`, {
        label: `${m.toUpperCase()} ${p}${id}`,
        pointer: `/paths${tok(p)}${tok(m)}`,
        op,
        item,
      });
    }
  }
  return out;
}

function paramsOf(
  doc: JsonObject,
  o: OpenApiOp,
): Map<string, { param: JsonObject; pointer: string }> {
  const out = new Map<string, { param: JsonObject; pointer: string }>();
  const lists: [Json | undefined, string][] = [
    [o.item['parameters'], o.pointer.replace(/\/[^/]+$/, '') + '/parameters'],
    [o.op['parameters'], `${o.pointer}/parameters`],
  ];
  for (const [list, base] of lists) {
    if (!Array.isArray(list)) continue;
    list.forEach((raw, i) => {
      const r = resolve(doc, raw, `${base}/${i}`);
      if (isObject(r.schema) && typeof r.schema['name'] === 'string')
        out.set(`${r.schema['in']}:${r.schema['name']}`, { param: r.schema, pointer: r.pointer });
    });
  }
  return out;
}

function jsonMedia(content: Json | undefined): [string, JsonObject] | undefined {
  if (!isObject(content)) return undefined;
  const type =
    Object.keys(content).find((t) => t === 'application/json' || t.endsWith('+json')) ??
    Object.keys(content)[0];
  const media = type ? content[type] : undefined;
  return type && isObject(media) ? [type, media] : undefined;
}

export function compareOpenApi(oldDoc: JsonObject, newDoc: JsonObject): Break[] {
  if (majorOf(oldDoc) !== majorOf(newDoc)) return [];
  const out: Break[] = [];
  const diff = new SchemaDiff(oldDoc, newDoc, 'openapi', out);
  const add = (rule: BreakRule, subject: string, pointer: string, message: string) =>
    out.push({ rule, document: 'openapi', subject, pointer, message });
  const oldOps = openApiOps(oldDoc);
  const newOps = openApiOps(newDoc);
  for (const [key, o] of oldOps) {
    const n = newOps.get(key);
    if (!n) {
      add('removed-operation', o.label, o.pointer, `operation ${key} was removed`);
      continue;
    }
    const subject = n.label;
    // Parameters.
    const op = paramsOf(oldDoc, o);
    const np = paramsOf(newDoc, n);
    for (const [k, { param, pointer }] of np) {
      const before = op.get(k);
      const required = param['required'] === true || param['in'] === 'path';
      if (
        required &&
        !(before && (before.param['required'] === true || before.param['in'] === 'path'))
      ) {
        add(
          'new-required-request-field',
          subject,
          `${pointer}/required`,
          `${before ? '' : 'new '}${param['in']} parameter "${param['name']}" is required`,
        );
      }
      if (before)
        diff.walk(
          before.param['schema'],
          param['schema'],
          `${before.pointer}/schema`,
          `${pointer}/schema`,
          'request',
          subject,
        );
    }
    for (const [k, { param, pointer }] of op) {
      // Our query and path validators refuse unknown parameters, so a client still sending it would fail.
      if (!np.has(k))
        add(
          'removed-parameter',
          subject,
          pointer,
          `${param['in']} parameter "${param['name']}" was removed`,
        );
    }
    // Request body.
    const orb = resolve(oldDoc, o.op['requestBody'], `${o.pointer}/requestBody`);
    const nrb = resolve(newDoc, n.op['requestBody'], `${n.pointer}/requestBody`);
    if (isObject(nrb.schema)) {
      const wasRequired = isObject(orb.schema) && orb.schema['required'] === true;
      if (nrb.schema['required'] === true && !wasRequired)
        add(
          'new-required-request-field',
          subject,
          `${nrb.pointer}/required`,
          'the request body is newly required',
        );
      const om = isObject(orb.schema) ? jsonMedia(orb.schema['content']) : undefined;
      const nm = jsonMedia(nrb.schema['content']);
      if (om && nm) {
        diff.walk(
          om[1]['schema'],
          nm[1]['schema'],
          `${orb.pointer}/content${tok(om[0])}/schema`,
          `${nrb.pointer}/content${tok(nm[0])}/schema`,
          'request',
          subject,
        );
      }
    }
    // 2xx responses.
    const oresp = isObject(o.op['responses']) ? o.op['responses'] : {};
    const nresp = isObject(n.op['responses']) ? n.op['responses'] : {};
    for (const [status, rr] of Object.entries(oresp)) {
      if (!/^2/.test(status)) continue;
      const or = resolve(oldDoc, rr, `${o.pointer}/responses${tok(status)}`);
      if (!(status in nresp)) {
        add('removed-response', subject, or.pointer, `response ${status} was removed`);
        continue;
      }
      const nr = resolve(newDoc, nresp[status], `${n.pointer}/responses${tok(status)}`);
      if (!isObject(or.schema) || !isObject(nr.schema)) continue;
      const om = jsonMedia(or.schema['content']);
      const nm = jsonMedia(nr.schema['content']);
      if (om && !nm) {
        add(
          'removed-response-field',
          subject,
          `${or.pointer}/content`,
          `response ${status} no longer has a body`,
        );
        continue;
      }
      if (om && nm)
        diff.walk(
          om[1]['schema'],
          nm[1]['schema'],
          `${or.pointer}/content${tok(om[0])}/schema`,
          `${nr.pointer}/content${tok(nm[0])}/schema`,
          'response',
          subject,
        );
    }
  }
  return out;
}

interface AsyncMessage {
  label: string;
  pointer: string;
  message: JsonObject;
  messagePointer: string;
}

/** Every message of every channel, keyed `channel/messageKey`, with the direction of the operations that use it. */
function asyncMessages(doc: JsonObject): Map<string, AsyncMessage> {
  const out = new Map<string, AsyncMessage>();
  const channels = isObject(doc['channels']) ? doc['channels'] : {};
  for (const [cid, chRaw] of Object.entries(channels)) {
    const ch = resolve(doc, chRaw, `/channels${tok(cid)}`).schema;
    if (!isObject(ch) || !isObject(ch['messages'])) continue;
    for (const [mid, raw] of Object.entries(ch['messages'])) {
      const pointer = `/channels${tok(cid)}/messages${tok(mid)}`;
      const r = resolve(doc, raw, pointer);
      if (!isObject(r.schema)) continue;
      const name = typeof r.schema['name'] === 'string' ? ` (${r.schema['name']})` : '';
      out.set(`${cid}/${mid}`, {
        label: `message ${cid}/${mid}${name}`,
        pointer,
        message: r.schema,
        messagePointer: r.pointer,
      });
    }
  }
  return out;
}

/** `receive` operations take client frames (request-like); `send` operations emit server frames (response-like). */
function messageDirections(doc: JsonObject): Map<string, Set<Direction>> {
  const out = new Map<string, Set<Direction>>();
  const ops = isObject(doc['operations']) ? doc['operations'] : {};
  for (const opRaw of Object.values(ops)) {
    const op = resolve(doc, opRaw, '').schema;
    if (!isObject(op)) continue;
    const dir: Direction = op['action'] === 'receive' ? 'request' : 'response';
    for (const m of Array.isArray(op['messages']) ? op['messages'] : []) {
      const ref = isObject(m) && typeof m['$ref'] === 'string' ? m['$ref'] : '';
      const match = /^#\/channels\/([^/]+)\/messages\/([^/]+)$/.exec(ref);
      if (!match) continue;
      const key = `${match[1]!.replace(/~1/g, '/').replace(/~0/g, '~')}/${match[2]!.replace(/~1/g, '/').replace(/~0/g, '~')}`;
      (out.get(key) ?? out.set(key, new Set()).get(key)!).add(dir);
    }
  }
  return out;
}

export function compareAsyncApi(oldDoc: JsonObject, newDoc: JsonObject): Break[] {
  if (majorOf(oldDoc) !== majorOf(newDoc)) return [];
  const out: Break[] = [];
  const diff = new SchemaDiff(oldDoc, newDoc, 'asyncapi', out);
  const add = (rule: BreakRule, subject: string, pointer: string, message: string) =>
    out.push({ rule, document: 'asyncapi', subject, pointer, message });
  const oldOps = isObject(oldDoc['operations']) ? oldDoc['operations'] : {};
  const newOps = isObject(newDoc['operations']) ? newDoc['operations'] : {};
  for (const id of Object.keys(oldOps)) {
    if (!(id in newOps))
      add(
        'removed-operation',
        `operation ${id}`,
        `/operations${tok(id)}`,
        `operation "${id}" was removed`,
      );
  }
  const oldMsgs = asyncMessages(oldDoc);
  const newMsgs = asyncMessages(newDoc);
  const dirs = messageDirections(oldDoc);
  for (const [key, o] of oldMsgs) {
    const n = newMsgs.get(key);
    if (!n) {
      add('removed-message', o.label, o.pointer, `message ${key} was removed from its channel`);
      continue;
    }
    if (typeof o.message['name'] === 'string' && o.message['name'] !== n.message['name']) {
      add(
        'removed-message',
        n.label,
        `${n.messagePointer}/name`,
        `message ${key} changed its type from "${o.message['name']}" to "${String(n.message['name'])}"`,
      );
    }
    // A message no operation uses yet is checked both ways.
    for (const dir of dirs.get(key) ?? new Set<Direction>(['request', 'response'])) {
      diff.walk(
        o.message['payload'],
        n.message['payload'],
        `${o.messagePointer}/payload`,
        `${n.messagePointer}/payload`,
        dir,
        n.label,
      );
    }
  }
  return out;
}

export function compareContracts(oldDocs: ContractDocs, newDocs: ContractDocs): Break[] {
  return [
    ...compareOpenApi(oldDocs.openapi, newDocs.openapi),
    ...compareAsyncApi(oldDocs.asyncapi, newDocs.asyncapi),
  ];
}

export function formatBreak(b: Break): string {
  return `${b.document}  ${b.subject}  #${b.pointer}  ${b.rule}  ${b.message}`;
}
