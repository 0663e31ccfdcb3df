import { Ajv2020, type AnySchema, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import addFormatsModule from 'ajv-formats';
import { CodegenError } from './errors.js';
import { isObject, type Json, type JsonObject, type Source } from './load.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives as the module object.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule })
  .default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;
type StandaloneFn = (ajv: Ajv2020, refsOrFunc?: Record<string, string>) => string;
const makeStandalone = ((standaloneCode as unknown as { default?: StandaloneFn }).default ??
  standaloneCode) as unknown as StandaloneFn;

/** The id under which every named component schema is registered: `defs#/$defs/<Name>`. */
export const DEFS_ID = 'defs';

/** Rewrites bundle refs (`#/components/schemas/X`) to the shared ajv registry (`defs#/$defs/X`). */
export function toAjvSchema(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(toAjvSchema);
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
      out[key] = `${DEFS_ID}#/$defs/${value.slice('#/components/schemas/'.length)}`;
    } else {
      out[key] = toAjvSchema(value);
    }
  }
  return out;
}

export interface ValidatorSpec {
  /** Exported name of the standalone function. */
  name: string;
  schema: Json;
  /** Where the schema came from, for error messages. */
  source: Source;
  /** Params, query and headers arrive as strings: coerce them and apply defaults. */
  coerce: boolean;
}

function newAjv(coerce: boolean, defs: JsonObject): Ajv2020 {
  const ajv = new Ajv2020({
    strict: true,
    allErrors: true,
    allowUnionTypes: true,
    // Shared component schemas compile to one function each instead of being inlined per use.
    inlineRefs: false,
    coerceTypes: coerce,
    useDefaults: coerce,
    code: { source: true, esm: true, lines: false, optimize: true },
  });
  addFormats(ajv);
  // OpenAPI annotations that JSON Schema 2020-12 does not define.
  ajv.addVocabulary(['example', 'xml', 'externalDocs', 'discriminator']);
  ajv.addSchema({ $id: DEFS_ID, $defs: toAjvSchema(defs) } as AnySchema);
  return ajv;
}

/**
 * Compiles every component schema, so a schema ajv cannot compile is reported at its own file and
 * pointer rather than at the first operation that happens to use it.
 */
export function checkComponentSchemas(
  defs: JsonObject,
  sourceOf: (node: unknown) => Source | undefined,
  fallback: Source,
): Ajv2020 {
  let ajv: Ajv2020;
  try {
    ajv = newAjv(false, defs);
  } catch (err) {
    throw new CodegenError(
      fallback.file,
      `${fallback.pointer}/components/schemas`,
      `ajv cannot load the component schemas: ${(err as Error).message}`,
    );
  }
  for (const [name, schema] of Object.entries(defs)) {
    try {
      ajv.compile({ $ref: `${DEFS_ID}#/$defs/${name}` });
    } catch (err) {
      const where = sourceOf(schema) ?? {
        file: fallback.file,
        pointer: `/components/schemas/${name}`,
      };
      throw new CodegenError(
        where.file,
        where.pointer,
        `ajv cannot compile schema "${name}": ${(err as Error).message}`,
      );
    }
  }
  return ajv;
}

/** A validator compiled at generation time, used to check examples. */
export function compileForCheck(ajv: Ajv2020, schema: Json, where: Source): ValidateFunction {
  try {
    return ajv.compile(toAjvSchema(schema) as AnySchema);
  } catch (err) {
    throw new CodegenError(
      where.file,
      where.pointer,
      `ajv cannot compile schema: ${(err as Error).message}`,
    );
  }
}

export function formatAjvErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map(
      (errorObject) =>
        `${errorObject.instancePath || '/'} ${errorObject.message ?? errorObject.keyword}`,
    )
    .join('; ');
}

const HEADER_PRELUDE = [
  "import { createRequire } from 'node:module';",
  '// ajv emits require() for format and runtime helpers even in ESM output.',
  'const require = createRequire(import.meta.url);',
].join('\n');

/** `defs#/$defs/X` when the schema is exactly `{ $ref: '#/components/schemas/X' }`, else null. */
function onlyRef(schema: unknown): string | null {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return null;
  const keys = Object.keys(schema);
  const ref = (schema as JsonObject)['$ref'];
  if (keys.length !== 1 || typeof ref !== 'string' || !ref.startsWith('#/components/schemas/'))
    return null;
  return `${DEFS_ID}#/$defs/${ref.slice('#/components/schemas/'.length)}`;
}

/** Emits one ESM module of standalone validators (and its declaration file). */
export function emitStandalone(
  specs: ValidatorSpec[],
  defs: JsonObject,
  header: string,
): { js: string; dts: string } {
  const ajv = newAjv(
    specs.some((spec) => spec.coerce),
    defs,
  );
  const mapping: Record<string, string> = {};
  for (const spec of specs) {
    // A schema that is only a reference to a component exports the component's own validator: a
    // wrapper around it would cost a call, an options object and an array copy of its errors.
    const ref = onlyRef(spec.schema);
    const id = ref ?? `v_${spec.name}`;
    try {
      if (!ref)
        ajv.addSchema({ ...(toAjvSchema(spec.schema) as JsonObject), $id: id } as AnySchema);
      if (!ajv.getSchema(id)) throw new Error(`nothing to compile at ${id}`);
    } catch (err) {
      throw new CodegenError(
        spec.source.file,
        spec.source.pointer,
        `ajv cannot compile schema: ${(err as Error).message}`,
      );
    }
    mapping[spec.name] = id;
  }
  let code = makeStandalone(ajv, mapping);
  code = code.replace(/^"use strict";/, '');
  const js = `${header}\n${HEADER_PRELUDE}\n${code}\n`;
  const lines = [header, "import type { Validator } from './validator.js';", ''];
  for (const spec of specs) lines.push(`export declare const ${spec.name}: Validator;`);
  return { js, dts: lines.join('\n') + '\n' };
}
