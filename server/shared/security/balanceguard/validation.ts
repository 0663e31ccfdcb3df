import type { ValidationError } from '../../../../generated/v1/validator.js';
import { AppError, Refusal, type FieldError } from '../../errors/app-error.js';
import type { RoutedRequest } from './guard-request.js';

function pointerFor(prefix: string, error: ValidationError): string {
  const extra =
    error.keyword === 'required'
      ? `/${String(error.params['missingProperty'])}`
      : error.keyword === 'additionalProperties'
        ? `/${String(error.params['additionalProperty'])}`
        : '';
  return `${prefix}${error.instancePath}${extra}`;
}

/** The 400 for a validator's errors, each as a JSON pointer into the request (at most 50). */
export function validationFailed(
  prefix: string,
  errors: ValidationError[] | null | undefined,
): Refusal {
  const list: FieldError[] = [];
  const all = errors ?? [];
  for (let index = 0; index < all.length && index < 50; index++) {
    const error = all[index]!;
    list.push({
      pointer: pointerFor(prefix, error),
      message: error.message ?? error.keyword,
      keyword: error.keyword,
    });
  }
  return new Refusal('REQUEST.VALIDATION_FAILED', {
    detail: `${list.length} ${list.length === 1 ? 'rule' : 'rules'} failed validation.`,
    errors: list,
  });
}

function parseQuery(rawQuery: string): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  if (rawQuery === '') return query;
  for (const [key, value] of new URLSearchParams(rawQuery)) {
    if (key in query)
      throw new AppError('REQUEST.VALIDATION_FAILED', {
        detail: 'A query parameter is repeated.',
        errors: [{ pointer: `/query/${key}`, message: 'must not be repeated' }],
      });
    query[key] = value;
  }
  return query;
}

/**
 * Validation: params, query and headers against the generated validators, before the body is
 * read (the body follows in checkBody). A failure is returned as a Refusal; handlers see the
 * declared headers only.
 */
export function validateRequest(ctx: RoutedRequest): Refusal | null {
  const { plan } = ctx;
  const { request } = plan.spec;
  if (request.params && !request.params(ctx.params))
    return validationFailed('/params', request.params.errors);
  const query = parseQuery(ctx.rawQuery);
  if ((ctx.rawQuery !== '' || !plan.emptyQueryPasses) && !request.query(query))
    return validationFailed('/query', request.query.errors);
  ctx.query = query;
  const headers: Record<string, string | undefined> = {};
  if (request.headers) {
    let present = 0;
    for (const name of request.headerNames) {
      const value = ctx.req.headers[name];
      if (typeof value === 'string') {
        headers[name] = value;
        present++;
      }
    }
    if ((present > 0 || !plan.noHeadersPass) && !request.headers(headers))
      return validationFailed('/headers', request.headers.errors);
  }
  ctx.declaredHeaders = headers;
  return null;
}
