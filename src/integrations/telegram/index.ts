/**
 * Telegram Bot API `sendMessage`, bounded in time. The bot token is part of the
 * URL, so neither the URL nor the raw error ever leaves this module: callers
 * get a typed error with a safe description.
 */
export class TelegramError extends Error {
  constructor(readonly detail: string, readonly retryable: boolean) {
    super(detail);
    this.name = 'TelegramError';
  }
}

export interface TelegramClient {
  sendMessage(token: string, chatId: string, text: string): Promise<void>;
}

export function createTelegramClient(options: { apiUrl: string; timeoutMs?: number; fetch?: typeof fetch }): TelegramClient {
  const doFetch = options.fetch ?? fetch;
  return {
    async sendMessage(token, chatId, text) {
      let res: Response;
      try {
        res = await doFetch(`${options.apiUrl}/bot${encodeURIComponent(token)}/sendMessage`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ chat_id: chatId, text, parse_mode: 'HTML', disable_web_page_preview: true }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        const timeout = (error as Error).name === 'TimeoutError';
        throw new TelegramError(timeout ? 'Telegram no respondió a tiempo' : 'No se pudo conectar con Telegram', true);
      }
      if (res.ok) return;
      let description = '';
      try {
        description = String(((await res.json()) as { description?: unknown }).description ?? '').slice(0, 200);
      } catch { /* not JSON */ }
      if (res.status === 401 || res.status === 404) throw new TelegramError('El token del bot de Telegram no es válido', false);
      if (res.status === 400 || res.status === 403) throw new TelegramError(`Telegram rechazó el mensaje: ${description || 'chat no válido'}`, false);
      throw new TelegramError(`Telegram respondió ${res.status}`, true);
    },
  };
}

/** Text for parse_mode HTML: customer input can never become markup. */
export const escapeHtml = (value: unknown): string =>
  String(value ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
