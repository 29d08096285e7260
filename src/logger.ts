/** The process logger (pino, JSON lines on stderr). Secrets are redacted by key name. */
import { pino } from 'pino';
import type { Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: ['apiKey', 'apiKeys', '*.apiKey', '*.apiKeys', 'headers.authorization', 'headers["api-key"]'], censor: '[redacted]' },
    },
    pino.destination(2),
  );
}
