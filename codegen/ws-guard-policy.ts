import { isObject, type Json } from './load.js';

/**
 * What is wrong with `weightedBy`, if anything: it must point at an array of the payload whose
 * `maxItems` every limit can hold (a frame costing more than a limit could never pass).
 */
export function weightProblem(
  guard: {
    rateLimit: Readonly<Record<string, { limit: number } | undefined>>;
    weightedBy?: unknown;
  },
  payload: Json,
): string | null {
  const pointer = guard.weightedBy;
  if (typeof pointer !== 'string' || !/^(\/[^/]+)+$/.test(pointer))
    return 'weightedBy must be a JSON pointer into the payload, e.g. /conversations';
  let node: Json | undefined = payload;
  for (const token of pointer.slice(1).split('/'))
    node =
      isObject(node) && isObject(node['properties'])
        ? node['properties'][token.replace(/~1/g, '/').replace(/~0/g, '~')]
        : undefined;
  if (!isObject(node) || node['type'] !== 'array' || typeof node['maxItems'] !== 'number')
    return `weightedBy ${pointer} must name an array with maxItems in the payload schema`;
  const maxItems = node['maxItems'];
  for (const [kind, rule] of Object.entries(guard.rateLimit)) {
    if (rule && rule.limit < maxItems)
      return `weightedBy ${pointer} allows ${maxItems} items, more than the ${kind} limit of ${rule.limit}: such a frame could never pass`;
  }
  return null;
}
