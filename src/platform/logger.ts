import pino, { type Logger } from 'pino';
import type { Config } from './config';

export type { Logger };

/** JSON logs; anything that looks like a credential is redacted before it is written. */
export function createLogger(config: Pick<Config, 'logLevel' | 'appName'>, name = 'web'): Logger {
  return pino({
    name,
    level: config.logLevel,
    base: { service: 'pagos-hotspot', process: name },
    redact: {
      paths: [
        'password', '*.password', 'contrasena', '*.contrasena', 'token', '*.token', 'access_token', '*.access_token',
        'req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie',
        '*.private_key', '*.conekta_private_key', '*.webhook_secret', '*.card_token', '*.token_tarjeta',
      ],
      censor: '[redactado]',
    },
  });
}
