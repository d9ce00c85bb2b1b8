/**
 * Daily: router API keys expiring within 30, 7 and 1 days get one warning per
 * key and threshold (the primary key makes a second one impossible), shown in
 * the dashboards and sent to the company's Telegram chat when it set one up.
 */
import type { EmpresasStore } from '../empresas';
import type { RoutersStore } from './store';
import type { Config } from '../../platform/config';
import type { SecretBox } from '../../platform/crypto/secret-box';
import type { Logger } from '../../platform/logger';

export const EXPIRY_THRESHOLDS_DAYS = [30, 7, 1] as const;
const DAY = 86_400_000;

export function createKeyExpiryWarnings(deps: { config: Config; store: RoutersStore; empresas: EmpresasStore; secrets: SecretBox; logger: Logger; fetch?: typeof fetch }) {
  const { config, store, empresas, secrets, logger } = deps;
  const doFetch = deps.fetch ?? fetch;

  async function sendTelegram(token: string, chatId: string, text: string): Promise<'sent' | 'failed'> {
    try {
      const res = await doFetch(`${config.telegram.apiUrl}/bot${token}/sendMessage`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ chat_id: chatId, text }), signal: AbortSignal.timeout(10_000),
      });
      return res.ok ? 'sent' : 'failed';
    } catch {
      return 'failed';
    }
  }

  return {
    async run(now = new Date()): Promise<number> {
      const horizon = new Date(now.getTime() + EXPIRY_THRESHOLDS_DAYS[0] * DAY);
      const keys = await store.expiringKeys(now, horizon);
      const companies = new Map<string, Awaited<ReturnType<EmpresasStore['find']>>>();
      let created = 0;
      for (const key of keys) {
        const daysLeft = Math.ceil((new Date(key.expires_at).getTime() - now.getTime()) / DAY);
        const crossed = EXPIRY_THRESHOLDS_DAYS.filter((t) => daysLeft <= t);
        const inserted = await store.insertWarnings(key.key_id, crossed, daysLeft);
        if (inserted.length === 0) continue;
        created += inserted.length;
        if (!companies.has(key.empresa_id)) companies.set(key.empresa_id, await empresas.find(key.empresa_id));
        const empresa = companies.get(key.empresa_id);
        const token = secrets.open(empresa?.telegram_bot_token_enc);
        if (!empresa || !token || !empresa.telegram_chat_id) continue;
        // One message for the most urgent new threshold.
        const text = `⚠️ ${empresa.nombre}: la API Key del router "${key.router_nombre}" (${key.router_id}) expira en ${daysLeft} día(s). Pida al administrador que la regenere.`;
        const status = await sendTelegram(token, empresa.telegram_chat_id, text);
        await store.setWarningStatus(key.key_id, inserted, status);
        if (status === 'failed') logger.warn({ key_id: key.key_id }, 'telegram warning not delivered');
      }
      return created;
    },
  };
}
