import subprocess, shutil, sys, re, os
G='server/shared/security/balanceguard/balanceguard.ts'
breaks = [
 ('authz-matrix', G, "    authorize(ex, plan);\n", "    // authorize(ex, plan);\n", 'Authorization step (RBAC from security scopes) commented out'),
 ('cors', G, "const allowed = origin !== undefined && config.origins[surface].includes(origin);", "const allowed = origin !== undefined;", 'CORS echoes any Origin'),
 ('csrf', G, "    csrf(ex, plan);\n", "    // csrf(ex, plan);\n", 'CSRF step commented out'),
 ('csrf', G, "if (plan.needsCsrfToken && (typeof token !== 'string' || !safeEqual(token, ex.session.csrfToken)))", "if (plan.needsCsrfToken && typeof token !== 'string')", 'CSRF token presence checked but not compared to the session\'s'),
 ('bodies', G, "    if (length > spec.guard.bodyLimit || (bodySent && spec.guard.bodyLimit === 0)) {", "    if (false) {", 'Body limit skipped before reading (Content-Length not checked)'),
 ('bodies', G, "    if (bodySent && spec.request.body && !isJsonContentType(ex.req.headers['content-type'])) {", "    if (false) {", 'Content-type check skipped'),
 ('headers', G, "    send(ex, problem.status, problem.body, 'application/problem+json', problem.headers);", "    for (const k of ['x-content-type-options', 'content-security-policy', 'referrer-policy']) delete ex.headers[k];\n    send(ex, problem.status, problem.body, 'application/problem+json', problem.headers);", 'Security headers dropped on errors'),
 ('headers', G, "    if (NEVER_ALLOWED_METHODS.has(ex.method)) {", "    if (false) {", 'TRACE/TRACK/CONNECT no longer refused up front'),
 ('rate-limit', G, "      rateLimit(ex, plan);\n", "      // rateLimit(ex, plan);\n", 'Rate-limit step commented out'),
 ('rate-limit', 'server/shared/security/balanceguard/client-ip.ts', "  if (trustedProxies.length === 0 || !trustedProxies.includes(peer)) return peer;", "  if (false) return peer;", 'X-Forwarded-For believed from any peer'),
 ('logs', G, "ms: Math.round((performance.now() - ex.started) * 10) / 10, ip: ex.ip }, 'request');", "ms: Math.round((performance.now() - ex.started) * 10) / 10, ip: ex.ip, hdrs: JSON.stringify(ex.req.headers) }, 'request');", 'Access log line carries the raw request headers'),
 ('idempotency', G, "const key = spec.guard.idempotency !== 'none' ? ex.req.headers['idempotency-key'] : undefined;", "const key = undefined as string | undefined;", 'Idempotency-Key ignored'),
]
only = sys.argv[1:] 
for test, f, old, new, label in breaks:
    if only and test not in only: continue
    src = open(f).read()
    assert old in src, (test, label)
    open(f,'w').write(src.replace(old, new, 1))
    try:
        r = subprocess.run(['npx','vitest','run',f'tests/security/{test}.test.ts'], capture_output=True, text=True, env={**os.environ, 'TEST_DATABASE_URL':'postgres://postgres@127.0.0.1:5432/postgres', 'NO_COLOR':'1'}, timeout=300)
        out = r.stdout + r.stderr
        m = re.search(r'Tests\s+(.*)', out)
        print(f'{test:14} | {label:70} | exit {r.returncode} | {m.group(1).strip() if m else "?"}', flush=True)
    finally:
        open(f,'w').write(src)
