/**
 * Settles charges we could not settle in the request: a timeout, a 5xx, an
 * `in_process` payment. Asks the gateway (never charges again) until it gives
 * a final answer or the transaction's deadline passes.
 */
import type { Knex } from 'knex';
import { RetryLaterError } from '../services/hotspot-service';
import type { GatewayFactory } from './gateway-factory';
import { GatewayError } from './gateways';
import type { OutcomeApplier } from './outcomes';
import type { TransactionsStore } from './transactions-store';

export function createConfirmationService(deps: { knex: Knex; transactions: TransactionsStore; gateways: GatewayFactory; applyOutcome: OutcomeApplier }) {
  const { knex, transactions, gateways, applyOutcome } = deps;

  return {
    async confirm(id: string, options: { finalAttempt: boolean }): Promise<string> {
      const row = await transactions.get(id);
      if (!row || !['pending', 'unknown'].includes(row.estado_pago)) return 'settled';
      const empresa = await knex('empresas').where({ id: row.empresa_id }).first('id', 'conekta_private_key_enc', 'mp_access_token_enc');
      const pastDeadline = new Date(row.confirmar_hasta) <= new Date();
      let lookup;
      try {
        lookup = await gateways(empresa, row.gateway).lookup({ transaccionId: row.id, gatewayId: row.gateway_id ?? undefined });
      } catch (error) {
        // Unavailable now, or our credentials were refused: either way, ask again later.
        const reason = error instanceof GatewayError ? error.detail : (error as Error).message;
        await transactions.event(id, 'confirmacion_sin_respuesta', { motivo: reason });
        if (pastDeadline || options.finalAttempt) return expire(id, 'sin respuesta del gateway');
        throw new RetryLaterError('gateway no disponible');
      }
      await transactions.event(id, 'confirmacion', { gateway_status: lookup.gatewayStatus, estado: lookup.status });
      const result = await applyOutcome(row, lookup, 'confirmacion');
      if (result !== 'undecided') return lookup.status;
      if (pastDeadline || options.finalAttempt) return expire(id, lookup.status === 'not_found' ? 'el cargo no existe en el gateway' : 'sin decisión del gateway');
      throw new RetryLaterError(`pago aún ${lookup.status}`);
    },
  };

  async function expire(id: string, reason: string): Promise<string> {
    await transactions.transition(id, {
      field: 'estado_pago', from: ['pending', 'unknown'], to: 'expired', event: 'pago_expirado', detail: { motivo: reason },
      set: { decline_message: 'No se pudo confirmar el pago a tiempo. No se realizó ningún cargo confirmado.' },
    });
    return 'expired';
  }
}

export type ConfirmationService = ReturnType<typeof createConfirmationService>;
