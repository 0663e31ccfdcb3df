/**
 * Liveness and readiness.
 * @example
 * const health = createHealthModule({ db, version: config.version });
 * const handlers = { ...health.http, ...otherHandlers };
 */
export { createHealthModule, type HealthModule } from './health.module.js';
