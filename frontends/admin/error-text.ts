import { ApiError } from '../lib/problem.js';

/** The message to show for a failed call. */
export function errorText(err: unknown): string {
  return err instanceof ApiError
    ? err.userMessage
    : err instanceof Error
      ? err.message
      : String(err);
}
