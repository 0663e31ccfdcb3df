/** True when a string is printable ASCII without `"` or `\`: its JSON form is the string in quotes. */
function isPlain(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const amount = value.charCodeAt(index);
    if (amount < 0x20 || amount === 0x22 || amount === 0x5c || amount > 0x7e) return false;
  }
  return true;
}

/**
 * A string as JSON, the same text as `JSON.stringify(value)`. The usual value (an id, a path, an
 * address) needs no escape, and checking for that costs a fraction of JSON.stringify, which matters
 * on paths that write several per request (problem bodies, access lines).
 * @example
 * `{"path":${jsonString(path)}}`
 */
export function jsonString(value: string): string {
  return isPlain(value) ? `"${value}"` : JSON.stringify(value);
}
