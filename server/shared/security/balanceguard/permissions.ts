import { AppError } from '../../errors/app-error.js';
import type { RoutedRequest } from './guard-request.js';

const NONE: readonly string[] = [];

/** True when the permissions hold every scope of every scheme in one security alternative. */
function satisfies(
  requirement: Readonly<Record<string, readonly string[]>>,
  permissions: readonly string[],
): boolean {
  for (const scheme of Object.keys(requirement))
    for (const scope of requirement[scheme]!) if (!permissions.includes(scope)) return false;
  return true;
}

/** Permissions: one of the operation's security alternatives must be fully satisfied. */
export function authorize(ctx: RoutedRequest): void {
  const { security } = ctx.plan.spec;
  if (security.length === 0) return;
  const permissions = ctx.actor?.permissions ?? NONE;
  for (const requirement of security) if (satisfies(requirement, permissions)) return;
  throw new AppError('AUTH.FORBIDDEN');
}
