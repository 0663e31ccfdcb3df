import type { Handlers } from '../../../../generated/v1/handlers.js';
import type { RequestContext } from '../../../shared/http/request-context.js';
import type { HealthModule } from '../health.module.js';

export function healthHttp(
  health: HealthModule,
): Pick<Handlers<RequestContext>, 'getHealth' | 'getReadiness'> {
  return {
    async getHealth() {
      return { status: 200, body: health.liveness() };
    },
    async getReadiness() {
      return { status: 200, body: await health.readiness() };
    },
  };
}
