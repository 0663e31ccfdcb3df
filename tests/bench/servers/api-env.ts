/** The site origin the benches send enquiries from. */
export const BENCH_SITE = 'https://site.example';

/**
 * The API's settings in every bench: production (response validation off), 127.0.0.1 trusted as
 * the proxy so each request's X-Forwarded-For is its client, fixed origins, and Stripe keys that
 * are never called.
 */
export function benchApiEnv(accessLog: boolean): Record<string, string> {
  return {
    NODE_ENV: 'production',
    BK_ACCESS_LOG: String(accessLog),
    BK_TRUSTED_PROXIES: '127.0.0.1',
    BK_SITE_ORIGINS: BENCH_SITE,
    BK_CLIENT_ORIGINS: 'https://client.example',
    BK_ADMIN_ORIGINS: 'https://admin.example',
    STRIPE_WEBHOOK_SECRET: 'whsec_bench_only',
    STRIPE_SECRET_KEY: 'sk_test_bench_never_called',
  };
}

/** The n-th client address (10.x.y.z): the benches send each request from a new one, as a flood would, so per-IP limits never throttle them. */
export function benchClientIp(count: number): string {
  return `10.${(count >> 16) & 255}.${(count >> 8) & 255}.${count & 255}`;
}
