import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CodegenError, pointerOf, unescapePointerToken } from './errors.js';

/** Where a node of a bundled document came from: a file relative to the project root and a JSON pointer in it. */
export interface Source {
  file: string;
  pointer: string;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A multi-file contract bundled into one document whose `$ref`s all point inside it. */
export interface Bundle {
  doc: JsonObject;
  /** The file and pointer a bundled object or array came from. */
  sourceOf(node: unknown): Source | undefined;
  /** Every file read, relative to the project root. */
  files: string[];
}

type Section = 'schemas' | 'responses' | 'parameters' | 'headers' | 'examples';

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Bundles a contract split over files with relative `$ref`s. Named definitions in the shared
 * component files (`components/schemas/*.yaml`, and for OpenAPI also `components/responses.yaml`,
 * `parameters.yaml`, `headers.yaml`, `examples.yaml`) are hoisted under `components/<section>/<Name>`,
 * so OpenAPI and AsyncAPI documents name the same schema the same way; everything else (path items)
 * is inlined. Every object keeps its source so errors can name a file and pointer.
 */
export function bundleContract(
  rootFile: string,
  options: { hoist: Section[]; projectRoot: string },
): Bundle {
  const { projectRoot } = options;
  const absRoot = path.resolve(projectRoot, rootFile);
  const files = new Map<string, Json>();
  const sources = new WeakMap<object, Source>();
  const hoisted: Partial<Record<Section, Map<string, { value: Json | undefined; file: string }>>> =
    {};
  const rel = (abs: string) => path.relative(projectRoot, abs).split(path.sep).join('/');

  const load = (abs: string, from: Source): Json => {
    const cached = files.get(abs);
    if (cached !== undefined) return cached;
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch {
      throw new CodegenError(
        from.file,
        from.pointer,
        `$ref target file ${rel(abs)} does not exist`,
      );
    }
    let parsed: Json;
    try {
      parsed = parseYaml(text, { prettyErrors: true, uniqueKeys: true }) as Json;
    } catch (err) {
      throw new CodegenError(
        rel(abs),
        '',
        `not valid YAML: ${(err as Error).message.split('\n')[0]}`,
      );
    }
    files.set(abs, parsed);
    return parsed;
  };

  const sectionOf = (abs: string): Section | undefined => {
    const raw = rel(abs);
    const match = /components\/(schemas\/[^/]+|responses|parameters|headers|examples)\.yaml$/.exec(
      raw,
    );
    if (!match || !match[1]) return undefined;
    const section = (match[1].startsWith('schemas/') ? 'schemas' : match[1]) as Section;
    return options.hoist.includes(section) ? section : undefined;
  };

  const at = (doc: Json, fragment: string, from: Source, ref: string): Json => {
    let node: Json | undefined = doc;
    if (fragment === '' || fragment === '/') return doc;
    for (const raw of fragment.slice(1).split('/')) {
      const token = unescapePointerToken(decodeURIComponent(raw));
      if (Array.isArray(node)) node = node[Number(token)];
      else if (isObject(node)) node = node[token];
      else node = undefined;
      if (node === undefined)
        throw new CodegenError(from.file, from.pointer, `$ref "${ref}" does not resolve`);
    }
    return node;
  };

  const hoist = (section: Section, name: string, abs: string, from: Source, ref: string): void => {
    const table = (hoisted[section] ??= new Map());
    const seen = table.get(name);
    if (seen) {
      if (seen.file !== abs) {
        throw new CodegenError(
          from.file,
          from.pointer,
          `${section} name "${name}" is defined in both ${rel(seen.file)} and ${rel(abs)}; names must be unique`,
        );
      }
      return;
    }
    const entry: { value: Json | undefined; file: string } = { value: undefined, file: abs };
    table.set(name, entry);
    const target = at(load(abs, from), '/' + name, from, ref);
    entry.value = resolve(target, abs, [name]);
  };

  const resolve = (node: Json, abs: string, tokens: (string | number)[]): Json => {
    const here: Source = { file: rel(abs), pointer: pointerOf(tokens) };
    if (Array.isArray(node)) {
      const out = node.map((item, index) => resolve(item, abs, [...tokens, index]));
      sources.set(out, here);
      return out;
    }
    if (!isObject(node)) return node;
    const ref = node['$ref'];
    if (typeof ref === 'string') {
      const hash = ref.indexOf('#');
      const filePart = hash === -1 ? ref : ref.slice(0, hash);
      const fragment = hash === -1 ? '' : ref.slice(hash + 1);
      const siblings: JsonObject = {};
      for (const [key, value] of Object.entries(node))
        if (key !== '$ref') siblings[key] = resolve(value, abs, [...tokens, key]);
      if (filePart === '' && abs === absRoot) {
        const out = { $ref: ref, ...siblings };
        sources.set(out, here);
        return out;
      }
      const targetAbs = filePart === '' ? abs : path.resolve(path.dirname(abs), filePart);
      const section = sectionOf(targetAbs);
      const single = /^\/([^/]+)$/.exec(fragment);
      if (section && single && single[1]) {
        const name = unescapePointerToken(single[1]);
        hoist(section, name, targetAbs, here, ref);
        const out = { $ref: `#/components/${section}/${name}`, ...siblings };
        sources.set(out, here);
        return out;
      }
      const target = at(load(targetAbs, here), fragment, here, ref);
      const fragTokens =
        fragment === ''
          ? []
          : fragment
              .slice(1)
              .split('/')
              .map((text) => unescapePointerToken(text));
      const inlined = resolve(target, targetAbs, fragTokens);
      if (isObject(inlined) && Object.keys(siblings).length > 0) return { ...inlined, ...siblings };
      return inlined;
    }
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node))
      out[key] = resolve(value, abs, [...tokens, key]);
    sources.set(out, here);
    return out;
  };

  const rootDoc = load(absRoot, { file: rel(absRoot), pointer: '' });
  if (!isObject(rootDoc))
    throw new CodegenError(rel(absRoot), '', 'the contract must be a YAML mapping');
  const doc = resolve(rootDoc, absRoot, []) as JsonObject;

  // The root lists components by $ref to their files; each such entry became a self-reference
  // (`components/schemas/X -> #/components/schemas/X`), which the hoisted definition replaces.
  const components = (
    isObject(doc['components']) ? doc['components'] : (doc['components'] = {})
  ) as JsonObject;
  for (const section of options.hoist) {
    const table = hoisted[section];
    if (!table) continue;
    const target = (
      isObject(components[section]) ? components[section] : (components[section] = {})
    ) as JsonObject;
    for (const [name, entry] of [...table.entries()].sort(([first], [second]) =>
      first.localeCompare(second),
    )) {
      const existing = target[name];
      const selfRef = isObject(existing) && existing['$ref'] === `#/components/${section}/${name}`;
      if (existing === undefined || selfRef) target[name] = entry.value as Json;
    }
    const sorted: JsonObject = {};
    for (const name of Object.keys(target).sort()) sorted[name] = target[name] as Json;
    components[section] = sorted;
    sources.set(sorted, { file: rel(absRoot), pointer: `/components/${section}` });
  }
  return {
    doc,
    sourceOf: (node) => (typeof node === 'object' && node !== null ? sources.get(node) : undefined),
    files: [...files.keys()].map(rel).sort(),
  };
}

/** The two bundled contracts of a version: how each is bundled is decided here only. */
export interface ContractBundles {
  openapiFile: string;
  asyncapiFile: string;
  http: Bundle;
  ws: Bundle;
}

/**
 * Bundles `<contractsDir>/openapi.yaml` (schemas, responses, parameters, headers and examples
 * hoisted into components) and `<contractsDir>/asyncapi.yaml` (schemas hoisted, so both documents
 * name a shared schema the same way).
 * @example
 * const { http, ws } = bundleContracts(projectRoot, 'contracts/v1');
 */
export function bundleContracts(projectRoot: string, contractsDir: string): ContractBundles {
  const openapiFile = `${contractsDir}/openapi.yaml`;
  const asyncapiFile = `${contractsDir}/asyncapi.yaml`;
  return {
    openapiFile,
    asyncapiFile,
    http: bundleContract(openapiFile, {
      hoist: ['schemas', 'responses', 'parameters', 'headers', 'examples'],
      projectRoot,
    }),
    ws: bundleContract(asyncapiFile, { hoist: ['schemas'], projectRoot }),
  };
}
