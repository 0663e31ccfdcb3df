import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { problemCodes } from '../../generated/v1/errors.js';
import type { OperationSpec } from '../../generated/v1/operations.js';
import type { components } from '../../generated/v1/types.js';
import { ORIGINS, signIn, type SignedIn, type TestApp } from '../support/app.js';
import type { RawResponse } from '../support/http.js';
import { openapi, type ContractNode } from '../support/contract.js';

type Problem = components['schemas']['Problem'];

export const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
} as const;

/** The contract's request example for an operation's JSON body (first named example, else the schema's). */
export function exampleBody(spec: OperationSpec): unknown {
  const op = openapi.paths[spec.path]?.[spec.method.toLowerCase()];
  const media = op?.requestBody?.content?.['application/json'];
  if (!media) return undefined;
  const named = media.examples
    ? Object.values(media.examples as Record<string, { value: unknown }>)[0]?.value
    : undefined;
  if (named !== undefined) return structuredClone(named);
  if (media.example !== undefined) return structuredClone(media.example);
  let schema = media.schema;
  if (schema?.$ref) schema = openapi.components.schemas[String(schema.$ref).split('/').pop()!];
  const examples = schema?.examples;
  return structuredClone(Array.isArray(examples) ? examples[0] : undefined);
}

/** A JSON schema from the bundled contract's components, by name. */
export function componentSchema(name: string): ContractNode | undefined {
  return openapi.components.schemas[name];
}

/** The operation's path with every `{param}` replaced by a fresh, well-formed UUID (or `values`). */
export function concretePath(spec: OperationSpec, values: Record<string, string> = {}): string {
  return spec.path.replace(/\{([^}]+)\}/g, (_m, name: string) => values[name] ?? randomUUID());
}

export const isUnsafe = (spec: OperationSpec) =>
  ['POST', 'PUT', 'PATCH', 'DELETE'].includes(spec.method);

/** The session surface an operation's `security` names, if any. */
export function sessionSurface(spec: OperationSpec): 'client' | 'admin' | null {
  for (const req of spec.security) {
    if ('clientSession' in req) return 'client';
    if ('adminSession' in req) return 'admin';
  }
  return null;
}

/** Every scope any alternative of the operation needs (we only have one alternative per operation today). */
export function requiredScopes(spec: OperationSpec): string[][] {
  return spec.security.map((req) => Object.values(req).flat());
}

/**
 * Calls an operation the way a browser on its surface would, with the contract's example body.
 * Raw: the matrices iterate the operation table, so the path is data, not a literal path the
 * typed client could check (and some send a `not-a-uuid` where the contract wants a UUID).
 */
export function callOperation(
  testApp: TestApp,
  spec: OperationSpec,
  options: {
    headers?: Record<string, string>;
    params?: Record<string, string>;
    ip?: string;
    body?: unknown;
  } = {},
): Promise<RawResponse> {
  const body =
    options.body !== undefined ? options.body : spec.request.body ? exampleBody(spec) : undefined;
  return testApp.request({
    method: spec.method,
    path: concretePath(spec, options.params),
    headers: options.headers ?? {},
    ...(body !== undefined ? { body: body as object } : {}),
    ...(options.ip ? { ip: options.ip } : {}),
  });
}

/** An answer from the typed client (`{ response, data, error }`). */
export interface TypedAnswer {
  response: Response;
  data?: unknown;
  error?: unknown;
}

/** An answer of either a raw request or the typed client. */
export type Answer = RawResponse | TypedAnswer;

const typed = (res: Answer): res is TypedAnswer => 'response' in res;

/** The status of either kind of answer. */
export const statusOf = (res: Answer): number => (typed(res) ? res.response.status : res.status);

/** A response header of either kind of answer (`undefined` when absent). */
export function headerOf(res: Answer, name: string): string | undefined {
  if (typed(res)) return res.response.headers.get(name) ?? undefined;
  const value = res.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The body as text (a typed answer's parsed body, serialized again), for messages and scans. */
export const textOf = (res: Answer): string =>
  typed(res) ? JSON.stringify(res.error ?? res.data ?? null) : res.text;

/** Asserts an RFC 9457 problem with this status and code. */
export function expectProblem(res: Answer, status: number, code?: string): Problem {
  expect(statusOf(res), `${statusOf(res)} ${textOf(res)}`).toBe(status);
  expect(String(headerOf(res, 'content-type'))).toMatch(/^application\/problem\+json/);
  const body = typed(res) ? (res.error as Problem) : res.json<Problem>();
  expect(body.status).toBe(status);
  expect(problemCodes as readonly string[]).toContain(body.code);
  if (code) expect(body.code).toBe(code);
  return body;
}

let ipCounter = 1;
/** A fresh client address, so tests do not share rate-limit buckets. */
export function freshIp(): string {
  const count = ipCounter++;
  return `10.${(count >> 16) & 255}.${(count >> 8) & 255}.${count & 255}`;
}

export interface Cast {
  demo: { admin: { email: string; password: string }; client: { email: string; password: string } };
  admin: SignedIn;
  client: SignedIn;
  staff: { email: string; password: string; id: string };
}

/** Seeds the demo admin and client, signs both in and has the admin create a staff user. */
export async function seedCast(testApp: TestApp): Promise<Cast> {
  const demo = await testApp.app.identity.seedDemoUsers();
  const admin = await signIn(testApp, 'admin', demo.admin.email, demo.admin.password, freshIp());
  const client = await signIn(
    testApp,
    'client',
    demo.client.email,
    demo.client.password,
    freshIp(),
  );
  const staff = {
    email: `staff-${randomUUID().slice(0, 8)}@example.com`,
    password: 'a long staff passphrase 42',
  };
  const created = await testApp
    .api(admin.headers(), { ip: freshIp() })
    .POST('/api/v1/admin/users', {
      body: {
        email: staff.email,
        displayName: 'Staff Member',
        role: 'staff',
        password: staff.password,
      },
    });
  if (!created.data)
    throw new Error(`creating a staff user failed: ${created.response.status} ${textOf(created)}`);
  return { demo, admin, client, staff: { ...staff, id: created.data.id } };
}

export function signInStaff(testApp: TestApp, cast: Cast): Promise<SignedIn> {
  return signIn(testApp, 'admin', cast.staff.email, cast.staff.password, freshIp());
}

/** Submits a site enquiry and returns its id. */
export async function submitEnquiry(
  testApp: TestApp,
  overrides: Partial<components['schemas']['EnquirySubmission']> = {},
): Promise<string> {
  const res = await testApp
    .api({ origin: ORIGINS.site }, { ip: freshIp() })
    .POST('/api/v1/site/enquiries', {
      body: {
        name: 'Ada Lovelace',
        email: `ada-${randomUUID().slice(0, 8)}@example.com`,
        message: `Meals for two? ${randomUUID()}`,
        ...overrides,
      },
    });
  if (res.response.status !== 201)
    throw new Error(`submitting an enquiry failed: ${res.response.status} ${textOf(res)}`);
  return res.data!.id;
}

export { ORIGINS };
