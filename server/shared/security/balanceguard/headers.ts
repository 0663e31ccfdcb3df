/**
 * Security headers: every answer starts from the security headers and the request id, so
 * errors carry them too.
 */

/**
 * A response's headers as the flat `[name, value, …]` list `writeHead` takes: Node walks it with
 * an index, where an object with a different shape on every request costs a for-in and a
 * megamorphic load per header. Names are lower-case; setting a name again replaces its value.
 */
export class HeaderList {
  readonly list: string[];
  constructor(base: readonly string[]) {
    this.list = base.slice();
  }
  set(name: string, value: string): void {
    const line = this.list;
    for (let index = 0; index < line.length; index += 2) {
      if (line[index] === name) {
        line[index + 1] = value;
        return;
      }
    }
    line.push(name, value);
  }
  /** For a name not yet in the list: no scan. */
  add(name: string, value: string): void {
    this.list.push(name, value);
  }
  merge(headers: Readonly<Record<string, string>>): void {
    for (const name of Object.keys(headers)) this.set(name.toLowerCase(), headers[name]!);
  }
}

/** The headers every answer to this request starts with: the security headers and its id. */
export function startHeaders(securityHeaders: readonly string[], requestId: string): HeaderList {
  const headers = new HeaderList(securityHeaders);
  headers.add('x-request-id', requestId);
  return headers;
}
