/**
 * Who may do what comes from the contract: `x-roles` on the session schemes generates
 * ROLE_PERMISSIONS, and generation refuses a contract whose scopes no role grants, a role on two
 * schemes, or a permission table in a description that says otherwise.
 */
import { describe, expect, it } from 'vitest';
import { CodegenError } from '../../codegen/errors.js';
import { generate } from '../../codegen/generate.js';
import { ROLE_PERMISSIONS, ROLES } from '../../generated/v1/roles.js';
import { ROLES as IDENTITY_ROLES } from '../../server/modules/identity/domain/role.js';
import { ASYNCAPI, CREATE, fixture, OPENAPI, type Mutations } from './fixture.js';

/** The copy server/shared/security/session-port.ts kept by hand before it was generated. */
const HAND_KEPT: Record<string, readonly string[]> = {
  client: [],
  staff: ['enquiries:read', 'enquiries:write', 'chat:use', 'chat:moderate'],
  admin: [
    'enquiries:read',
    'enquiries:write',
    'users:read',
    'users:write',
    'chat:use',
    'chat:moderate',
    'chat:manage',
    'events:read',
    'events:replay',
    'billing:read',
    'billing:write',
    'catalogue:write',
  ],
  super_admin: [
    'enquiries:read',
    'enquiries:write',
    'users:read',
    'users:write',
    'chat:use',
    'chat:moderate',
    'chat:manage',
    'events:read',
    'events:replay',
    'billing:read',
    'billing:write',
    'catalogue:write',
  ],
};

async function generateFixture(mutations: Mutations) {
  const field = fixture(mutations);
  try {
    return await generate({ projectRoot: field.root, contractsDir: 'contracts/v1', outDir: 'out' });
  } finally {
    field.cleanup();
  }
}

async function failure(mutations: Mutations): Promise<string> {
  try {
    await generateFixture(mutations);
  } catch (err) {
    if (err instanceof CodegenError) return err.message;
    throw err;
  }
  throw new Error('generate() accepted the contract');
}

const ADMIN_ROLES = '/components/securitySchemes/adminSession/x-roles';

describe('role permissions come from the contract', () => {
  it('when the v1 contract is generated, then ROLE_PERMISSIONS is what the hand-kept copy said', () => {
    expect(ROLE_PERMISSIONS).toEqual(HAND_KEPT);
    expect(Object.keys(ROLE_PERMISSIONS)).toEqual(Object.keys(HAND_KEPT));
  });

  it('when identity lists its roles, then they are the contract roles, in order', () => {
    expect([...IDENTITY_ROLES]).toEqual([...ROLES]);
  });

  it('when a scheme declares x-roles, then roles.ts lists each role with its scopes', async () => {
    const result = await generateFixture({});
    const roles = result.files.find((file) => file.path === 'out/roles.ts')!.content;
    expect(roles).toContain('  staff: [],');
    expect(roles).toContain('  admin: ["things:write"],');
  });

  it('when an operation asks for a scope no role grants, then generation fails at its security requirement', async () => {
    const message = await failure({
      [OPENAPI]: (data) =>
        void (data.components.securitySchemes.adminSession['x-roles'].admin = []),
    });
    expect(message).toContain(`${OPENAPI}#${CREATE}/security/0/adminSession: scope "things:write"`);
  });

  it('when a role is declared on two schemes, then generation fails at the second', async () => {
    const message = await failure({
      [OPENAPI]: (data) =>
        void (data.components.securitySchemes.csrfToken['x-roles'] = { staff: ['things:write'] }),
    });
    expect(message).toContain(
      `${OPENAPI}#/components/securitySchemes/csrfToken/x-roles/staff: role "staff" is declared on two security schemes`,
    );
  });

  it('when a role lists a scope twice, then generation fails at that role', async () => {
    const message = await failure({
      [OPENAPI]: (data) =>
        void (data.components.securitySchemes.adminSession['x-roles'].admin = [
          'things:write',
          'things:write',
        ]),
    });
    expect(message).toContain(`${OPENAPI}#${ADMIN_ROLES}/admin: role "admin" lists a scope twice`);
  });

  it("when a scheme's permission table disagrees with x-roles, then generation fails at the description", async () => {
    const message = await failure({
      [OPENAPI]: (data) =>
        void (data.components.securitySchemes.adminSession.description = [
          '| permission | staff | admin |',
          '|---|---|---|',
          '| `things:write` | yes | yes |',
        ].join('\n')),
    });
    expect(message).toContain(
      `${OPENAPI}#/components/securitySchemes/adminSession/description: the permission table says staff has [things:write], x-roles says []`,
    );
  });

  it('when a WS message asks for a permission no role grants, then generation fails at its x-wsguard', async () => {
    const message = await failure({
      [ASYNCAPI]: (data) =>
        void (data.operations.sendPing['x-wsguard'].permissions = ['things:fly']),
    });
    expect(message).toContain(
      `${ASYNCAPI}#/operations/sendPing/x-wsguard/permissions: permission "things:fly" is granted by no role`,
    );
  });
});
