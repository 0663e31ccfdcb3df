/**
 * The (c) baseline: Fastify 5 with @fastify/cors, @fastify/helmet and @fastify/rate-limit (per IP,
 * trusting 127.0.0.1 as a proxy like the BK server), its own ajv validation of EnquirySubmission,
 * and the same transaction as the enquiry module: advisory lock on the duplicate key, duplicate
 * lookup, INSERT enquiry, INSERT audit row, INSERT outbox event and pg_notify.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify from 'fastify';
import pg from 'pg';

const openapi = JSON.parse(
  readFileSync(new URL('../../../generated/v1/openapi.json', import.meta.url), 'utf8'),
);
const schemas = openapi.components.schemas;
const submission = JSON.parse(
  JSON.stringify(schemas.EnquirySubmission).replace(
    '{"$ref":"#/components/schemas/Email"}',
    JSON.stringify({ ...schemas.Email, examples: undefined }),
  ),
);
delete submission.examples;

const pool = new pg.Pool({
  connectionString: process.env['DATABASE_URL'],
  max: Number(process.env['BK_DB_POOL_SIZE'] ?? 10),
});
const app = Fastify({
  logger: false,
  trustProxy: '127.0.0.1',
  bodyLimit: 16_384,
  ajv: { customOptions: { allErrors: true } },
});
await app.register(cors, { origin: ['https://site.example'], credentials: true });
await app.register(helmet, {
  contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
});
await app.register(rateLimit, { max: 5, timeWindow: 600_000 });

app.post('/api/v1/site/enquiries', { schema: { body: submission } }, async (request, reply) => {
  const second = request.body as {
    name: string;
    email: string;
    phone?: string;
    message: string;
    preferredContact?: string;
  };
  const key = `${second.email.trim().toLowerCase()}\n${second.message.trim()}`;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 42))', [key]);
    const now = new Date();
    const dup = await client.query(
      'SELECT id, created_at FROM enquiries WHERE duplicate_key = $1 AND created_at >= $2 ORDER BY created_at ASC LIMIT 1',
      [key, new Date(now.getTime() - 600_000)],
    );
    if (dup.rows[0]) {
      await client.query('COMMIT');
      return reply.code(200).send({
        id: dup.rows[0].id,
        status: 'received',
        receivedAt: dup.rows[0].created_at.toISOString(),
      });
    }
    const id = randomUUID();
    const { rows } = await client.query(
      `INSERT INTO enquiries (id, name, email, phone, message, preferred_contact, status, duplicate_key, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'received', $7, $8, $8) RETURNING id, name, email, phone, message, preferred_contact, status, created_at, updated_at`,
      [
        id,
        second.name.trim(),
        second.email.trim(),
        second.phone?.trim() || null,
        second.message.trim(),
        second.preferredContact ?? null,
        key,
        now,
      ],
    );
    await client.query(
      'INSERT INTO enquiry_audit (id, enquiry_id, actor_id, actor_email, from_status, to_status, reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [randomUUID(), id, null, null, null, 'received', null, now],
    );
    await client.query(
      'INSERT INTO outbox (id, type, occurred_at, schema_version, payload, metadata) VALUES ($1, $2, $3, $4, $5, $6)',
      [
        randomUUID(),
        'enquiry.received',
        now.toISOString(),
        1,
        JSON.stringify({ enquiryId: id, receivedAt: now.toISOString() }),
        JSON.stringify({ requestId: request.id, actor: { kind: 'guest', id: 'site' } }),
      ],
    );
    await client.query("SELECT pg_notify('bk_outbox', $1)", ['enquiry.received']);
    await client.query('COMMIT');
    return reply
      .code(201)
      .send({ id, status: 'received', receivedAt: rows[0].created_at.toISOString() });
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
});

await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(
  JSON.stringify({ ready: true, port: (app.server.address() as { port: number }).port }) + '\n',
);
process.on('SIGTERM', () => {
  void app
    .close()
    .then(() => pool.end())
    .then(() => process.exit(0));
});
