/**
 * Liveness and readiness.
 * @example
 * const health = createHealthModule({ db, version: config.version });
 * const handlers = { ...healthHttp(health) };
 */
export { createHealthModule, type HealthModule } from './health.module.js';
export { healthHttp } from './transport/health.http.js';
