import { CodegenError, pointerOf } from './errors.js';
import { isObject, type Bundle } from './load.js';
import type { OperationModel } from './model.js';

/** The permissions (security scopes) each role grants, in the contract's order. */
export type RolePermissions = Record<string, string[]>;

const ROLE = /^[a-z][a-z0-9_]*$/;

/**
 * Reads `x-roles` from the security schemes: on a session scheme, the roles that sign in with it
 * and the scopes each grants, e.g. `x-roles: { staff: ['enquiries:read'], admin: [...] }`. OpenAPI
 * names scopes on each operation but has no field for who holds them; this is that field. A role
 * belongs to one scheme; every scope an operation asks of a scheme is granted by one of its roles
 * (else no one could call it), and so is every permission a WS message asks for.
 */
export function readRoles(
  bundle: Bundle,
  files: { openapi: string; asyncapi: string },
  operations: readonly OperationModel[],
  wsMessages: readonly { operationId: string; guard?: { permissions?: string[] } }[],
): RolePermissions {
  const file = files.openapi;
  const components = bundle.doc['components'];
  const schemes =
    isObject(components) && isObject(components['securitySchemes'])
      ? components['securitySchemes']
      : {};
  const roles: RolePermissions = {};
  const grantedBy = new Map<string, Set<string>>();
  for (const [scheme, raw] of Object.entries(schemes)) {
    if (!isObject(raw) || raw['x-roles'] === undefined) continue;
    const at = pointerOf(['components', 'securitySchemes', scheme, 'x-roles']);
    const declared = raw['x-roles'];
    if (!isObject(declared))
      throw new CodegenError(file, at, 'x-roles maps each role to the scopes it grants');
    const granted = new Set<string>();
    for (const [role, scopes] of Object.entries(declared)) {
      const where = `${at}/${role}`;
      if (!ROLE.test(role)) throw new CodegenError(file, where, `role "${role}" is not snake_case`);
      if (role in roles)
        throw new CodegenError(file, where, `role "${role}" is declared on two security schemes`);
      if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string'))
        throw new CodegenError(file, where, 'a role grants a list of scopes');
      if (new Set(scopes).size !== scopes.length)
        throw new CodegenError(file, where, `role "${role}" lists a scope twice`);
      roles[role] = scopes as string[];
      for (const scope of scopes as string[]) granted.add(scope);
    }
    grantedBy.set(scheme, granted);
    checkPermissionTable(
      raw['description'],
      roles,
      file,
      pointerOf(['components', 'securitySchemes', scheme, 'description']),
    );
  }
  for (const op of operations) {
    for (const [index, requirement] of op.security.entries()) {
      for (const [scheme, scopes] of Object.entries(requirement)) {
        const missing = scopes.find((scope) => !grantedBy.get(scheme)?.has(scope));
        if (missing !== undefined)
          throw new CodegenError(
            op.source.file,
            `${op.source.pointer}/security/${index}/${scheme}`,
            `scope "${missing}" is granted by no role of ${scheme} (x-roles): no one could call ${op.operationId}`,
          );
      }
    }
  }
  const all = new Set([...grantedBy.values()].flatMap((text) => [...text]));
  for (const wsMessage of wsMessages) {
    const missing = wsMessage.guard?.permissions?.find((permission) => !all.has(permission));
    if (missing !== undefined)
      throw new CodegenError(
        files.asyncapi,
        pointerOf(['operations', wsMessage.operationId, 'x-wsguard', 'permissions']),
        `permission "${missing}" is granted by no role (x-roles)`,
      );
  }
  return roles;
}

/**
 * A scheme's description may show the roles as a Markdown table for readers of the reference
 * (`| permission | staff | admin |`, then `| \`scope\` | yes | no |` rows); it must say what
 * `x-roles` says, so it can never drift from what the server enforces.
 */
function checkPermissionTable(
  description: unknown,
  roles: RolePermissions,
  file: string,
  at: string,
): void {
  if (typeof description !== 'string') return;
  const rows = description
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('|') && !/^\|[-| ]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((char) => char.trim()),
    );
  const [head, ...body] = rows;
  if (!head || head[0] !== 'permission') return;
  const shown = head.slice(1);
  const table: RolePermissions = Object.fromEntries(shown.map((raw) => [raw, []]));
  for (const [cell, ...marks] of body) {
    const scope = (cell ?? '').replace(/`/g, '');
    marks.forEach((mark, index) => {
      if (mark === 'yes') table[shown[index]!]!.push(scope);
    });
  }
  for (const role of shown) {
    const want = [...(roles[role] ?? [])].sort().join(', ');
    const got = [...table[role]!].sort().join(', ');
    if (!(role in roles) || want !== got)
      throw new CodegenError(
        file,
        at,
        `the permission table says ${role} has [${got}], x-roles says [${role in roles ? want : 'no such role'}]`,
      );
  }
}

/** `roles.ts`: ROLE_PERMISSIONS, what the server grants a signed-in user of each role. */
export function emitRoles(roles: RolePermissions, header: string): string {
  const lines = [
    header,
    '',
    '/** The permissions (security scopes) each role grants, from `x-roles` on the session schemes. */',
    'export const ROLE_PERMISSIONS: Readonly<Record<string, readonly string[]>> = {',
  ];
  for (const [role, scopes] of Object.entries(roles))
    lines.push(`  ${role}: [${scopes.map((scope) => JSON.stringify(scope)).join(', ')}],`);
  lines.push('};', '');
  lines.push("/** Every role, in the contract's order. */");
  lines.push(
    `export const ROLES = [${Object.keys(roles)
      .map((raw) => JSON.stringify(raw))
      .join(', ')}] as const;`,
  );
  lines.push('export type Role = (typeof ROLES)[number];', '');
  return lines.join('\n');
}
