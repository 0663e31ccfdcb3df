/**
 * A contract problem found while generating. It always names the file and the JSON pointer inside
 * that file, so the author can jump to the line that is wrong.
 */
export class CodegenError extends Error {
  constructor(
    readonly file: string,
    readonly pointer: string,
    readonly problem: string,
  ) {
    super(`${file}#${pointer}: ${problem}`);
    this.name = 'CodegenError';
  }
}

/** Several contract problems, reported together so one run shows every one of them. */
export class CodegenErrors extends Error {
  constructor(readonly errors: CodegenError[]) {
    super(errors.map((error) => error.message).join('\n'));
    this.name = 'CodegenErrors';
  }
}

export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapePointerToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function pointerOf(tokens: readonly (string | number)[]): string {
  return tokens.map((token) => '/' + escapePointerToken(String(token))).join('');
}
