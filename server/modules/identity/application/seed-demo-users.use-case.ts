import { randomUUID } from 'node:crypto';
import type { Role } from '../domain/role.js';
import type { IdentityDeps } from './identity.deps.js';

/** Well-known development credentials; production never seeds them and refuses to start beside them (main.ts). */
export const DEMO_USERS = {
  admin: {
    email: 'demo.admin@example.com',
    password: 'seasoned skillet at sunrise',
    displayName: 'Demo Admin',
    role: 'admin' as Role,
  },
  client: {
    email: 'demo.client@example.com',
    password: 'fresh basil in the lunchbox',
    displayName: 'Demo Client',
    role: 'client' as Role,
  },
};

/** Creates the demo admin and client when absent; an existing account is left as it is. */
export async function seedDemoUsers(deps: IdentityDeps): Promise<{
  admin: { email: string; password: string };
  client: { email: string; password: string };
}> {
  for (const demo of Object.values(DEMO_USERS)) {
    if (await deps.users.findByEmail(demo.email)) continue;
    await deps.users.insertIfAbsent({
      id: randomUUID(),
      email: demo.email,
      displayName: demo.displayName,
      role: demo.role,
      passwordHash: await deps.hasher.hash(demo.password),
      createdAt: deps.clock.now(),
    });
  }
  return {
    admin: { email: DEMO_USERS.admin.email, password: DEMO_USERS.admin.password },
    client: { email: DEMO_USERS.client.email, password: DEMO_USERS.client.password },
  };
}

/** The demo accounts this database holds (their emails): a production start refuses them. */
export async function demoAccountsPresent(deps: IdentityDeps): Promise<string[]> {
  const present: string[] = [];
  for (const demo of Object.values(DEMO_USERS))
    if (await deps.users.findByEmail(demo.email)) present.push(demo.email);
  return present;
}
