/**
 * The baseline's request handler: plain node:http answering the health JSON, and rejecting an
 * invalid enquiry with the same schema as the API (EnquirySubmission from generated/v1/openapi.json,
 * compiled here with ajv and the same options as codegen) and a 400 problem of the same shape.
 * `bare.ts` serves it; `guard-cost.ts` calls it directly.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule })
  .default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;
const openapi = JSON.parse(
  readFileSync(new URL('../../../generated/v1/openapi.json', import.meta.url), 'utf8'),
);
const ajv = new Ajv2020({ strict: false, allErrors: true, allowUnionTypes: true });
addFormats(ajv);
ajv.addSchema({ $id: 'https://bench/components', components: openapi.components });
const validate = ajv.compile({
  $ref: 'https://bench/components#/components/schemas/EnquirySubmission',
});

const health = JSON.stringify({ status: 'ok', version: '0.1.0' });

export function bareHandler(req: IncomingMessage, res: ServerResponse): void {
  if (req.method === 'GET' && req.url === '/api/v1/health') {
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(health),
    });
    res.end(health);
    return;
  }
  if (req.method === 'POST' && req.url === '/api/v1/site/enquiries') {
    const chunks: Buffer[] = [];
    req.on('data', (code: Buffer) => chunks.push(code));
    req.on('end', () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      if (body !== undefined && validate(body)) {
        res.writeHead(501).end();
        return;
      }
      const errors = (validate.errors ?? []).map((errorObject) => ({
        pointer: `/body${errorObject.instancePath}`,
        message: errorObject.message ?? errorObject.keyword,
        keyword: errorObject.keyword,
      }));
      const problem = JSON.stringify({
        type: '/docs/errors#REQUEST.VALIDATION_FAILED',
        title: 'The request is not valid',
        status: 400,
        code: 'REQUEST.VALIDATION_FAILED',
        requestId: randomUUID(),
        detail: `${errors.length} rules failed validation.`,
        errors,
      });
      res.writeHead(400, {
        'content-type': 'application/problem+json',
        'content-length': Buffer.byteLength(problem),
      });
      res.end(problem);
    });
    return;
  }
  res.writeHead(404).end();
}
