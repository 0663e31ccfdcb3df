import { describe, expect, it } from 'vitest';
import { canSignInOn, mayManage, permissionsOf } from './role.js';

describe('roles', () => {
  it('when a client signs in, then only the client surface accepts it', () => {
    expect(canSignInOn('client', 'client')).toBe(true);
    expect(canSignInOn('client', 'admin')).toBe(false);
  });
  it('when staff, admin or super_admin sign in, then only the admin surface accepts them', () => {
    for (const role of ['staff', 'admin', 'super_admin'] as const) {
      expect(canSignInOn(role, 'admin')).toBe(true);
      expect(canSignInOn(role, 'client')).toBe(false);
    }
  });
  it('when an admin acts on a super_admin, then it is refused; a super_admin may', () => {
    expect(mayManage('admin', 'super_admin')).toBe(false);
    expect(mayManage('super_admin', 'super_admin')).toBe(true);
    expect(mayManage('admin', 'staff')).toBe(true);
  });
  it('when staff permissions are read, then they lack users:read', () => {
    expect(permissionsOf('staff')).not.toContain('users:read');
    expect(permissionsOf('admin')).toContain('users:write');
  });
});
