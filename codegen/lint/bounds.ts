/**
 * `bounded-schemas`: every string has a `maxLength` (or an `enum`/`const`), every array a
 * `maxItems`, every integer and number a lower and an upper bound, in both contracts (OpenAPI
 * schemas, parameters and headers; AsyncAPI payloads). Spectral's OWASP ruleset asks the same of
 * the OpenAPI document only; this rule also covers the realtime frames, whose payloads are
 * validated and stored the same way.
 */
import { escapePointerToken } from '../errors.js';
import { isObject, type Bundle, type Json, type JsonObject, type Source } from '../load.js';
import type { Finding } from './finding.js';

const tok = (target: string | number) => '/' + escapePointerToken(String(target));
const SCHEMA_TYPES = new Set(['string', 'array', 'integer', 'number', 'object', 'boolean', 'null']);
// Values, not schemas: nothing under these keys is checked.
const VALUE_KEYS = new Set(['example', 'examples', 'enum', 'const', 'default']);
// Maps whose keys are names (a property may well be called `default`) and whose values are schemas.
const NAMED_SCHEMAS = new Set(['properties', 'patternProperties', '$defs']);

function typesOf(node: JsonObject): string[] | null {
  const target = node['type'];
  if (typeof target === 'string') return SCHEMA_TYPES.has(target) ? [target] : null;
  if (
    Array.isArray(target) &&
    target.length > 0 &&
    target.every((item) => typeof item === 'string' && SCHEMA_TYPES.has(item))
  )
    return target as string[];
  return null;
}

/** What a schema node lacks, or an empty list. */
export function missingBounds(node: JsonObject): string[] {
  const types = typesOf(node);
  if (!types || node['enum'] !== undefined || node['const'] !== undefined) return [];
  const missing: string[] = [];
  if (types.includes('string') && node['maxLength'] === undefined)
    missing.push('a string without maxLength');
  if (types.includes('array') && node['maxItems'] === undefined)
    missing.push('an array without maxItems');
  if (types.includes('integer') || types.includes('number')) {
    const low = node['minimum'] !== undefined || node['exclusiveMinimum'] !== undefined;
    const high = node['maximum'] !== undefined || node['exclusiveMaximum'] !== undefined;
    if (!low || !high)
      missing.push(
        `${types.includes('integer') ? 'an integer' : 'a number'} without ${!low && !high ? 'minimum and maximum' : !low ? 'minimum' : 'maximum'}`,
      );
  }
  return missing;
}

export function lintBounds(bundle: Bundle, rootFile: string): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<object>();
  const visit = (node: Json | undefined, pointer: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, `${pointer}/${index}`));
      return;
    }
    if (!isObject(node) || seen.has(node)) return;
    seen.add(node);
    const missing = missingBounds(node);
    if (missing.length > 0) {
      const where: Source = bundle.sourceOf(node) ?? { file: rootFile, pointer };
      findings.push({
        rule: 'bounded-schemas',
        file: where.file,
        pointer: where.pointer,
        message: `${missing.join(', ')}: bound it`,
      });
    }
    for (const [key, value] of Object.entries(node)) {
      if (VALUE_KEYS.has(key) || key.startsWith('x-')) continue;
      if (NAMED_SCHEMAS.has(key) && isObject(value)) {
        for (const [name, sub] of Object.entries(value))
          visit(sub, `${pointer}${tok(key)}${tok(name)}`);
      } else {
        visit(value, `${pointer}${tok(key)}`);
      }
    }
  };
  visit(bundle.doc, '');
  return findings;
}
