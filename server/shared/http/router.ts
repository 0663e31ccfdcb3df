import type { OperationSpec } from '../../../generated/v1/operations.js';

export type RouteResult =
  | { kind: 'found'; spec: OperationSpec; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[]; specs: OperationSpec[] }
  | { kind: 'not-found' };

interface PathEntry {
  pattern: RegExp;
  paramNames: readonly string[];
  byMethod: Map<string, OperationSpec>;
}

/**
 * Matches method and path against the generated operation table, nothing else: no body parsing,
 * no auth, no errors. Static paths are a map lookup; templated ones a short regex scan.
 * @example
 * const router = createRouter(operationList);
 * router.match('GET', '/api/v1/admin/enquiries/0b7e...');
 */
export function createRouter(specs: readonly OperationSpec[]) {
  const byPath = new Map<string, PathEntry>();
  const templated: PathEntry[] = [];
  for (const spec of specs) {
    let entry = byPath.get(spec.path);
    if (!entry) {
      entry = { pattern: spec.pathPattern, paramNames: spec.pathParams, byMethod: new Map() };
      byPath.set(spec.path, entry);
      if (spec.pathParams.length > 0) templated.push(entry);
    }
    entry.byMethod.set(spec.method, spec);
  }
  const staticPaths = new Map(
    [...byPath].filter(([, pathEntry]) => pathEntry.paramNames.length === 0),
  );

  function resolve(entry: PathEntry, method: string, params: Record<string, string>): RouteResult {
    const spec = entry.byMethod.get(method);
    if (spec) return { kind: 'found', spec, params };
    return {
      kind: 'method-not-allowed',
      allowed: [...entry.byMethod.keys()],
      specs: [...entry.byMethod.values()],
    };
  }

  return {
    match(method: string, path: string): RouteResult {
      const pathEntry = staticPaths.get(path);
      if (pathEntry) return resolve(pathEntry, method, {});
      for (const entry of templated) {
        const matchItem = entry.pattern.exec(path);
        if (!matchItem) continue;
        const params: Record<string, string> = {};
        for (let index = 0; index < entry.paramNames.length; index++) {
          try {
            params[entry.paramNames[index]!] = decodeURIComponent(matchItem[index + 1]!);
          } catch {
            return { kind: 'not-found' };
          }
        }
        return resolve(entry, method, params);
      }
      return { kind: 'not-found' };
    },
  };
}

export type Router = ReturnType<typeof createRouter>;
