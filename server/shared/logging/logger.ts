import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Paths pino censors wherever they appear: credentials, session material and chat bodies never
 * reach a log line.
 */
export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'headers.authorization',
  'headers["x-csrf-token"]',
  'cookie',
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'csrfToken',
  'sessionToken',
  'sessionId',
  'body',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.token',
  '*.csrfToken',
  '*.sessionToken',
  '*.sessionId',
  '*.cookie',
  '*.body',
  '*.*.password',
  '*.*.body',
  '*.*.token',
];

/**
 * The process logger: JSON lines, redacted.
 * @example
 * const log = createLogger({ level: 'info' });
 * log.info({ requestId }, 'enquiry received');
 */
export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { service: 'balance-kitchen-api' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}
