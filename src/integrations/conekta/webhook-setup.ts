/**
 * Setting up Conekta's webhooks for an account (issue 23): a webhook key
 * (`POST /webhook_keys`: Conekta keeps the private half and signs every
 * delivery, we keep the public PEM) and our URL (`POST /webhooks`). Replacing
 * means registering anew and removing the previous ones (best effort: an old
 * account's key may no longer open them). No secret in an error.
 */
export const CONEKTA_WEBHOOK_EVENTS = [
  'order.paid', 'order.pending_payment', 'order.declined', 'order.expired', 'order.canceled',
  'order.refunded', 'order.partially_refunded', 'order.charged_back',
] as const;

export interface ConektaWebhookRegistration {
  webhookId: string;
  webhookKeyId: string;
  /** The PEM Conekta's `digest` header is verified with. */
  publicKey: string;
}

/** Why a registration failed, in Spanish for the company admin (never a key). */
export class ConektaWebhookSetupError extends Error {
  constructor(readonly detail: string, readonly upstreamStatus?: number) {
    super(detail);
    this.name = 'ConektaWebhookSetupError';
  }
}

export interface ConektaWebhookSetupOptions {
  baseUrl: string;
  privateKey: string;
  timeoutMs: number;
  apiVersion?: string;
  fetch?: typeof fetch;
}

export function createConektaWebhookSetup(options: ConektaWebhookSetupOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const headers = {
    Accept: `application/vnd.conekta-v${options.apiVersion ?? '2.1.0'}+json`,
    'Accept-Language': 'es',
    Authorization: `Basic ${Buffer.from(`${options.privateKey}:`).toString('base64')}`,
    'Content-Type': 'application/json',
  };

  async function call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; body: any }> {
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}`, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch {
      throw new ConektaWebhookSetupError('Conekta no respondió; se reintentará al guardar de nuevo las llaves.');
    }
    const text = await response.text().catch(() => '');
    let parsed: unknown = null;
    try { parsed = text ? JSON.parse(text) : null; } catch { parsed = null; }
    return { status: response.status, body: parsed };
  }

  function refused(status: number, what: string): ConektaWebhookSetupError {
    if (status === 401 || status === 403) return new ConektaWebhookSetupError(`Conekta no aceptó la llave privada al ${what}: revise que sea la correcta.`, status);
    return new ConektaWebhookSetupError(`Conekta rechazó la solicitud al ${what} (HTTP ${status}).`, status);
  }

  return {
    /** Creates a webhook key and registers `url`; on a failure after the key, the key is removed again. */
    async register(url: string): Promise<ConektaWebhookRegistration> {
      const key = await call('POST', '/webhook_keys', {});
      if (key.status !== 200 && key.status !== 201) throw refused(key.status, 'crear la llave de webhooks');
      const publicKey = key.body?.public_key;
      const webhookKeyId = key.body?.id;
      if (typeof publicKey !== 'string' || typeof webhookKeyId !== 'string') throw new ConektaWebhookSetupError('Conekta respondió sin la llave pública de webhooks.');
      const hook = await call('POST', '/webhooks', { url, synchronous: false, subscribed_events: [...CONEKTA_WEBHOOK_EVENTS] });
      let webhookId = hook.body?.id;
      if (hook.status === 422) {
        // Already registered (a previous attempt, or by hand): reuse the endpoint with this URL.
        const list = await call('GET', '/webhooks');
        const found = Array.isArray(list.body?.data) ? list.body.data.find((w: { url?: string }) => w.url === url) : undefined;
        webhookId = found?.id;
      } else if (hook.status !== 200 && hook.status !== 201) {
        await call('DELETE', `/webhook_keys/${encodeURIComponent(webhookKeyId)}`).catch(() => undefined);
        throw refused(hook.status, 'registrar la URL de webhooks');
      }
      if (typeof webhookId !== 'string') {
        await call('DELETE', `/webhook_keys/${encodeURIComponent(webhookKeyId)}`).catch(() => undefined);
        throw new ConektaWebhookSetupError('Conekta no confirmó el registro de la URL de webhooks.');
      }
      return { webhookId, webhookKeyId, publicKey };
    },

    /** Removes a previous registration; never throws (the account may have changed). */
    async remove(previous: { webhookId?: string | null; webhookKeyId?: string | null }): Promise<void> {
      if (previous.webhookId) await call('DELETE', `/webhooks/${encodeURIComponent(previous.webhookId)}`).catch(() => undefined);
      if (previous.webhookKeyId) await call('DELETE', `/webhook_keys/${encodeURIComponent(previous.webhookKeyId)}`).catch(() => undefined);
    },
  };
}

export type ConektaWebhookSetup = ReturnType<typeof createConektaWebhookSetup>;
