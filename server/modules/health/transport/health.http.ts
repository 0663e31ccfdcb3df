import type { Handlers } from '../../../../generated/v1/handlers.js';
import type { RequestContext } from '../../../shared/http/request-context.js';
import { checkReadiness } from '../application/check-readiness.use-case.js';
import type { HealthDeps } from '../application/health.deps.js';

export type HealthOperations = Pick<Handlers<RequestContext>, 'getHealth' | 'getReadiness'>;

export function healthHttp(deps: HealthDeps): HealthOperations {
  const live = Object.freeze({ status: 'ok' as const, version: deps.version });
  return {
    async getHealth() {
      return { status: 200, body: live };
    },
    async getReadiness() {
      return { status: 200, body: await checkReadiness(deps) };
    },
  };
}
