import { CodegenError } from './errors.js';
import { isObject, type Json, type JsonObject, type Source } from './load.js';

/** Resolving local $refs and picking an operation's media type, for model.ts. */

/** A request or response body: its content type and schema. */
export interface MediaModel {
  contentType: string;
  schema: Json;
}

/** Follows local `$ref`s (up to 10 deep); sibling keys of a `$ref` override the target's. */
export function deref(doc: JsonObject, node: Json | undefined): Json | undefined {
  let cur = node;
  for (let index = 0; index < 10 && isObject(cur) && typeof cur['$ref'] === 'string'; index++) {
    const ref = cur['$ref'] as string;
    if (!ref.startsWith('#/')) return cur;
    let target: Json | undefined = doc;
    for (const text of ref.slice(2).split('/'))
      target = isObject(target) ? target[text.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    if (target === undefined) return cur;
    const { $ref: _ignored, ...rest } = cur;
    cur = Object.keys(rest).length ? ({ ...(target as JsonObject), ...rest } as Json) : target;
  }
  return cur;
}

export function pickMedia(
  content: Json | undefined,
  where: Source,
  what: string,
): MediaModel | undefined {
  if (!isObject(content)) return undefined;
  const types = Object.keys(content);
  if (types.length === 0) return undefined;
  const type =
    types.find((type) => type === 'application/json' || type === 'application/problem+json') ??
    types[0]!;
  const media = content[type];
  if (!isObject(media) || media['schema'] === undefined) {
    throw new CodegenError(
      where.file,
      `${where.pointer}/content/${type.replace(/\//g, '~1')}/schema`,
      `${what} media type ${type} has no schema`,
    );
  }
  return { contentType: type, schema: media['schema'] };
}
