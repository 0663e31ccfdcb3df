# Applies one deliberate break at a time to a COPY of the tree and runs the WS attack tests.
# Run only from a copy: rsync -a --exclude node_modules --exclude .git ./ /tmp/bk-break/ &&
#   ln -s $PWD/node_modules /tmp/bk-break/node_modules && cd /tmp/bk-break && python3 tests/realtime/break-guard.py
import subprocess, sys, re, os
G = 'server/shared/security/wsguard/wsguard.ts'
S = 'server/shared/realtime/ws-server.ts'
C = 'server/shared/realtime/connection.ts'
I = 'server/modules/identity/transport/identity.realtime.ts'
breaks = [
  (G, "if (typeof origin !== 'string' || !config.origins[channel].includes(origin)) {", "if (false) {", 'Origin allowlist skipped'),
  (G, "if (typeof origin !== 'string' || !config.origins[channel].includes(origin)) {", "if (typeof origin === 'string' && !Object.values(config.origins).flat().includes(origin)) {", 'Origin: any surface\'s origin, and a missing Origin, accepted'),
  (G, "if (!session) return { ok: false, code: 'AUTH.UNAUTHENTICATED'", "if (!session && token === undefined) return { ok: false, code: 'AUTH.UNAUTHENTICATED'", 'Session: a cookie that resolves to nothing is let through'),
  (G, "if ((perIp.get(ip) ?? 0) >= config.wsMaxConnectionsPerIp) {", "if (false) {", 'Per-IP connection cap skipped'),
  (G, "if (actor && (perSession.get(actor.sessionId) ?? 0) >= config.wsMaxConnectionsPerSession) {", "if (false) {", 'Per-session connection cap skipped'),
  (G, "if (!spec.validate(parsed)) {", "if (false) {", 'Payload validation skipped'),
  (G, "if (spec.guard.auth === 'guest' && actor === null) {", "if (false) {", 'Authorization (principal required) skipped'),
  (G, "if (rl.connection) {", "if (false) {", 'Per-connection rate limit skipped'),
  (S, "maxPayload: 64 * 1024,", "maxPayload: 100 * 1024 * 1024,", 'maxPayload back to the ws default (100 MiB)'),
  (S, "maxFragments: 64,", "maxFragments: 0,", 'Fragment limit off'),
  (C, "if (ws.readyState !== WebSocket.OPEN || ws.bufferedAmount <= this.host.maxBufferedBytes) return;", "return;", 'Backpressure cut skipped'),
  (C, "if (!this.alive) {", "if (false) {", 'Heartbeat never terminates'),
  (C, "if (this.violations.length < this.host.violationLimit || this.ws.readyState !== WebSocket.OPEN)", "if (true)", 'No close 1008 after repeated violations'),
  (I, "for (const sessionId of sessionIds) out.closeSessionSockets(", "for (const sessionId of [] as string[]) out.closeSessionSockets(", 'Session end does not close sockets'),
]
only = sys.argv[1:]
for f, old, new, label in breaks:
    if only and not any(o in label for o in only): continue
    src = open(f).read()
    assert old in src, label
    open(f, 'w').write(src.replace(old, new, 1))
    try:
        r = subprocess.run(['npx', 'vitest', 'run', 'tests/realtime/wsguard.test.ts'], capture_output=True, text=True, env={**os.environ, 'TEST_DATABASE_URL': 'postgres://postgres@127.0.0.1:5432/postgres', 'NO_COLOR': '1'}, timeout=300)
        out = r.stdout + r.stderr
        m = re.search(r'Tests\s+(.*)', out)
        failed = [re.sub(r'\s+\d+ms$', '', x.strip()) for x in re.findall(r'[×✗] (.*)', out)]
        print(f'{label:62} | {m.group(1).strip() if m else "?"} | ' + ' / '.join(x[:70] for x in failed), flush=True)
    finally:
        open(f, 'w').write(src)
