/**
 * Settles charges we could not settle in the request: a timeout, a 5xx, an
 * `in_process` payment. Asks the gateway (never charges again) until it gives
 * a final answer.
 *
 * Only a charge the gateway says does not exist is given up (`expired`) once
 * the deadline passes. A gateway that cannot answer, or a payment it still has
 * under review, keeps being asked: expiring it could hide money we took.
 * Recently expired rows are asked again for a while (`recheckExpired`), so a
 * charge that surfaces late still gets its customer access.
 */
import { RetryLaterError } from '../../platform/jobs/errors';
import type { GatewayFactory } from '../transacciones';
import { GatewayError } from '../../integrations/gateways';
import type { OutcomeApplier } from '../transacciones';
import type { TransaccionesStore } from '../transacciones';
import type { EmpresasStore } from '../empresas';

export function createConfirmationService(deps: { transacciones: TransaccionesStore; empresas: Pick<EmpresasStore, 'find'>; gateways: GatewayFactory; outcomes: OutcomeApplier }) {
  const { transacciones, gateways, outcomes } = deps;

  async function expire(id: string, reason: string): Promise<string> {
    await transacciones.transition(id, {
      event: 'pago_expirado', from: ['pending', 'unknown'], detail: { motivo: reason },
      set: {
        decline_message: reason === 'la referencia venció sin pago'
          ? 'La referencia de pago venció sin pagarse. Genera una nueva para comprar.'
          : 'No se pudo confirmar el pago. Si ves un cargo en tu tarjeta, contacta al operador con tu número de transacción.',
      },
    });
    return 'expired';
  }

  return {
    async confirm(id: string, options: { finalAttempt: boolean }): Promise<string> {
      const row = await transacciones.get(id);
      if (!row || row.requiere_revision) return 'settled';
      const recheck = row.estado_pago === 'expired';
      if (!recheck && !['pending', 'unknown'].includes(row.estado_pago)) return 'settled';
      const empresa = await deps.empresas.find(row.empresa_id);
      if (!empresa) return 'settled';
      const pastDeadline = new Date(row.confirmar_hasta) <= new Date();
      let lookup;
      try {
        lookup = await gateways(empresa, row.gateway).lookup({ transaccionId: row.id, gatewayId: row.gateway_id ?? undefined });
      } catch (error) {
        // Unavailable now, or our credentials were refused: ask again later, never give up blind.
        const reason = error instanceof GatewayError ? error.detail : (error as Error).message;
        await transacciones.event(id, 'confirmacion_sin_respuesta', { motivo: reason });
        if (recheck) return 'expired';
        throw new RetryLaterError('gateway no disponible');
      }
      if (recheck) await transacciones.update(id, {}); // marks when it was last asked
      await transacciones.event(id, 'confirmacion', { gateway_status: lookup.gatewayStatus, estado: lookup.status });
      const result = await outcomes.applyOutcome(row, lookup, recheck ? 'reconfirmacion' : 'confirmacion');
      if (result === 'mismatch') return 'mismatch'; // held for review by applyOutcome
      if (result !== 'undecided' || recheck) return lookup.status;
      if (lookup.status === 'not_found' && (pastDeadline || options.finalAttempt)) return expire(id, 'el cargo no existe en el gateway');
      // Cash (issue 15): a store reference still unpaid past its deadline (expiry + margin) is over.
      if (lookup.status === 'pending' && pastDeadline && row.metodo_pago && row.metodo_pago !== 'tarjeta') return expire(id, 'la referencia venció sin pago');
      throw new RetryLaterError(`pago aún ${lookup.status}`);
    },
  };
}

export type ConfirmationService = ReturnType<typeof createConfirmationService>;
