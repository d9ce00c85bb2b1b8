/**
 * Daily: router API keys expiring within 30, 7 and 1 days get one warning per
 * key and threshold (the primary key makes a second one impossible), shown in
 * the dashboards and sent to the company's Telegram chat when it set one up.
 */
import type { Knex } from 'knex';
import type { Config } from '../../platform/config';
import type { SecretBox } from '../../platform/crypto/secret-box';
import type { Logger } from '../../platform/logger';

export const EXPIRY_THRESHOLDS_DAYS = [30, 7, 1] as const;
const DAY = 86_400_000;

export function createKeyExpiryWarnings(deps: { config: Config; knex: Knex; secrets: SecretBox; logger: Logger; fetch?: typeof fetch }) {
  const { config, knex, secrets, logger } = deps;
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
      const keys = await knex('router_api_keys as k')
        .join('routers as r', 'r.id', 'k.router_id')
        .join('empresas as e', 'e.id', 'k.empresa_id')
        .where('k.revoked', false).where('k.expires_at', '>', now).where('k.expires_at', '<=', horizon)
        .select('k.key_id', 'k.expires_at', 'r.nombre as router_nombre', 'r.id as router_id', 'e.nombre as empresa_nombre',
          'e.telegram_bot_token_enc', 'e.telegram_chat_id');
      let created = 0;
      for (const key of keys) {
        const daysLeft = Math.ceil((new Date(key.expires_at).getTime() - now.getTime()) / DAY);
        const crossed = EXPIRY_THRESHOLDS_DAYS.filter((t) => daysLeft <= t);
        const inserted = await knex('api_key_expiry_warnings')
          .insert(crossed.map((threshold) => ({ key_id: key.key_id, threshold_days: threshold, days_left: daysLeft })))
          .onConflict(['key_id', 'threshold_days']).ignore().returning('threshold_days');
        if (inserted.length === 0) continue;
        created += inserted.length;
        const token = secrets.open(key.telegram_bot_token_enc);
        if (!token || !key.telegram_chat_id) continue;
        // One message for the most urgent new threshold.
        const text = `⚠️ ${key.empresa_nombre}: la API Key del router "${key.router_nombre}" (${key.router_id}) expira en ${daysLeft} día(s). Pida al administrador que la regenere.`;
        const status = await sendTelegram(token, key.telegram_chat_id, text);
        await knex('api_key_expiry_warnings').where({ key_id: key.key_id }).whereIn('threshold_days', inserted.map((r: { threshold_days: number }) => r.threshold_days)).update({ telegram_status: status });
        if (status === 'failed') logger.warn({ key_id: key.key_id }, 'telegram warning not delivered');
      }
      return created;
    },
  };
}
