/** A random id for frames and client message ids; crypto.randomUUID where the browser has it. */
export function newId(prefix = ''): string {
  const item = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  const raw =
    item && typeof item.randomUUID === 'function'
      ? item.randomUUID()
      : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
  return prefix ? `${prefix}-${raw}` : raw;
}
