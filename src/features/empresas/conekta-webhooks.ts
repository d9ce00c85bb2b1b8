/**
 * Conekta webhooks that set themselves up (issue 23, item 3). When a company
 * saves its own Conekta keys, the service registers our URL for it at Conekta
 * (`POST /webhooks`) with a webhook key (`POST /webhook_keys`), keeps the key's
 * public half to verify deliveries, and replaces both when the keys change.
 * Companies on the platform's shared key (CONEKTA_DEFAULT_PRIVATE_KEY) share one
 * registration, made once per key, whose URL (`/api/v1/webhook/conekta`) finds
 * the company from the order. A public PEM typed by hand is kept as it is.
 * The network calls run outside any transaction; a failure leaves the keys
 * saved and the state `error`, said in Spanish. An outcome is recorded only
 * while the key it was made with is still the saved one, so of two concurrent
 * saves with different keys the registration that stands is the saved key's.
 */
import crypto from 'node:crypto';
import type { Config } from '../../platform/config';
import type { SecretBox } from '../../platform/crypto/secret-box';
import type { Logger } from '../../platform/logger';
import { ConektaWebhookSetupError, type ConektaWebhookSetup } from '../../integrations/gateways';
import type { EmpresaRow, EmpresasStore, PasarelaRow } from './store';
import { accountOf } from './gateways';
import type { GatewayRegistry } from '../../integrations/gateways';

export type ConektaWebhookEstado = 'automatico' | 'manual' | 'error' | 'plataforma' | 'sin_configurar';

const sha256 = (value: string) => crypto.createHash('sha256').update(value).digest('hex');

export function createConektaWebhooks(deps: {
  store: Pick<EmpresasStore, 'find' | 'savePasarela' | 'savePasarelaIfSecret' | 'platformWebhook' | 'claimPlatformWebhook' | 'savePlatformWebhook'>;
  secrets: SecretBox;
  config: Pick<Config, 'publicBaseUrl' | 'conekta'>;
  /** The Conekta client for one private key (src/integrations/conekta/webhook-setup.ts). */
  setupFor(privateKey: string): ConektaWebhookSetup;
  logger: Logger;
  /** Builds the company's webhook URL (the registry, once for every caller). */
  gateways: Pick<GatewayRegistry, 'webhookUrl'>;
}) {
  const { store, secrets, config, logger } = deps;
  const base = config.publicBaseUrl.replace(/\/+$/, '');
  const companyUrl = (empresaId: string) => deps.gateways.webhookUrl(base, 'conekta', empresaId);
  const platformUrl = `${base}/api/v1/webhook/conekta`;
  const platformKey = config.conekta.defaultPrivateKey;
  /** The company's Conekta account as stored (every field null when it saved none). */
  const conekta = (row: EmpresaRow): Partial<PasarelaRow> => accountOf(row, 'conekta') ?? {};
  /** Records how the company's registration went (its Conekta account). */
  const saveState = async (row: EmpresaRow, values: Partial<PasarelaRow>) => (await store.savePasarela(row.id, 'conekta', values)) ?? row;
  /**
   * Records the outcome of a registration made with the key `row` holds, unless a
   * concurrent save replaced that key meanwhile: then undefined, and the save that
   * won records its own (a registration for a key no longer saved must not stand
   * beside it, nor its failure hide the other's success).
   */
  const saveOutcome = (row: EmpresaRow, values: Partial<PasarelaRow>) =>
    store.savePasarelaIfSecret(row.id, 'conekta', values, conekta(row).secreto_enc ?? null);
  /** The company as stored now (after a concurrent save won). */
  const current = async (row: EmpresaRow) => (await store.find(row.id)) ?? row;

  /** Registers the platform key's one webhook if it has none yet (one process does it; errors are kept, not thrown). */
  async function ensurePlatform(): Promise<void> {
    if (!platformKey) return;
    const id = sha256(platformKey);
    const current = await store.platformWebhook(id);
    if (current?.registrado_en && current.public_key && current.url === platformUrl) return;
    if (!(await store.claimPlatformWebhook(id))) return;
    try {
      const setup = deps.setupFor(platformKey);
      const registered = await setup.register(platformUrl);
      await store.savePlatformWebhook(id, {
        webhook_id: registered.webhookId, webhook_key_id: registered.webhookKeyId, public_key: registered.publicKey,
        url: platformUrl, error: null, registrado_en: new Date(),
      });
      if (current?.webhook_id || current?.webhook_key_id) await setup.remove({ webhookId: current.webhook_id, webhookKeyId: current.webhook_key_id });
    } catch (error) {
      const detail = error instanceof ConektaWebhookSetupError ? error.detail : 'Error inesperado al registrar el webhook de la plataforma.';
      await store.savePlatformWebhook(id, { error: detail });
      logger.warn({ detail }, 'platform Conekta webhook not registered');
    }
  }

  return {
    ensurePlatform,

    /** The PEM deliveries to the platform URL are verified with (null: not registered yet). */
    async platformPublicKey(): Promise<string | null> {
      if (!platformKey) return null;
      return (await store.platformWebhook(sha256(platformKey)))?.public_key ?? null;
    },

    /**
     * After a company's Conekta settings were saved: a hand-typed PEM is `manual`;
     * new own keys (or none registered yet, or a failed attempt) register anew and
     * remove the previous registration with the previous key; the platform key's
     * companies make sure the shared registration exists.
     */
    async afterSave(before: EmpresaRow, after: EmpresaRow, options: { manualPem: boolean }): Promise<EmpresaRow> {
      const now = conekta(after);
      if (options.manualPem) {
        return saveState(after, { webhook_estado: now.webhook_llave ? 'manual' : null, webhook_error: null, webhook_en: new Date() });
      }
      const privateKey = secrets.open(now.secreto_enc);
      if (!privateKey) {
        await ensurePlatform();
        return after;
      }
      const was = conekta(before);
      const previousKey = secrets.open(was.secreto_enc);
      const changed = previousKey !== privateKey;
      if (!changed && now.webhook_llave && (now.webhook_estado === 'automatico' || now.webhook_estado === 'manual')) return after;
      try {
        const registered = await deps.setupFor(privateKey).register(companyUrl(after.id));
        const saved = await saveOutcome(after, {
          webhook_llave: registered.publicKey, webhook_id: registered.webhookId, webhook_llave_id: registered.webhookKeyId,
          webhook_estado: 'automatico', webhook_error: null, webhook_en: new Date(),
        });
        if (!saved) {
          // Another save changed the key while this one registered. Its webhook key is this call's
          // alone, so it goes; the endpoint stays (on the same account the other save may be using it).
          logger.info({ empresa: after.id }, 'Conekta keys changed during registration; the newer save keeps its own');
          await deps.setupFor(privateKey).remove({ webhookKeyId: registered.webhookKeyId });
          return current(after);
        }
        const old = { webhookId: was.webhook_id ?? null, webhookKeyId: was.webhook_llave_id ?? null };
        if ((old.webhookId && old.webhookId !== registered.webhookId) || old.webhookKeyId) {
          await deps.setupFor(previousKey ?? privateKey).remove({
            webhookId: old.webhookId !== registered.webhookId ? old.webhookId : null, webhookKeyId: old.webhookKeyId,
          });
        }
        return saved;
      } catch (error) {
        const detail = error instanceof ConektaWebhookSetupError ? error.detail : 'Error inesperado al registrar el webhook en Conekta.';
        logger.warn({ empresa: after.id, detail }, 'Conekta webhook not registered');
        return (await saveOutcome(after, { webhook_estado: 'error', webhook_error: detail, webhook_en: new Date() })) ?? current(after);
      }
    },

    /** The state the settings show, and its sentence in Spanish. */
    estado(row: EmpresaRow): { estado: ConektaWebhookEstado; texto: string } {
      const account = conekta(row);
      const own = Boolean(account.secreto_enc);
      if (account.webhook_estado === 'error') {
        return { estado: 'error', texto: `No se pudo registrar el webhook en Conekta: ${account.webhook_error ?? 'error desconocido'} Los pagos se confirman consultando a Conekta, con más demora. Guarde las llaves de nuevo para reintentar, o pegue una llave pública de webhooks creada a mano.` };
      }
      if (account.webhook_llave && account.webhook_estado === 'manual') {
        return { estado: 'manual', texto: 'Webhooks configurados a mano: la llave pública que pegó verifica los avisos de Conekta.' };
      }
      if (account.webhook_llave) {
        return { estado: 'automatico', texto: 'Webhooks configurados automáticamente: Conekta avisa de cada pago a este servicio y cada aviso se verifica con su firma.' };
      }
      if (!own && platformKey) {
        return { estado: 'plataforma', texto: 'Usa la cuenta de Conekta de la plataforma: sus webhooks ya están configurados por el servicio.' };
      }
      if (own) {
        return { estado: 'sin_configurar', texto: 'Sin webhooks: los avisos de Conekta se rechazan (los pagos se confirman consultando a Conekta, con más demora). Guarde de nuevo sus llaves y el servicio los configura solo, o pegue en webhook_public_key una llave pública de webhooks creada a mano.' };
      }
      return { estado: 'sin_configurar', texto: 'Sin webhooks: guarde sus llaves de Conekta y el servicio los configura solo (o pegue en webhook_public_key una llave creada a mano).' };
    },
  };
}

export type ConektaWebhooks = ReturnType<typeof createConektaWebhooks>;
