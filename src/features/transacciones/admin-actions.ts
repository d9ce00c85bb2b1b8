/** What a company admin can do to one of its sales: refund it, retry its provisioning. */
import type { Knex } from 'knex';
import { BadRequestError, NotFoundError } from '../../platform/errors';
import type { JobQueues } from '../../platform/jobs/queues';
import type { GatewayFactory } from './gateway-factory';
import type { TransactionsStore } from './store';

export function createAdminActions(deps: { knex: Knex; transactions: TransactionsStore; gateways: GatewayFactory; jobs: JobQueues }) {
  const { knex, transactions, gateways, jobs } = deps;

  async function ownRow(empresaId: string, id: string) {
    const row = await transactions.get(id);
    if (!row || row.empresa_id !== empresaId) throw new NotFoundError('Transacción no encontrada');
    return row;
  }

  return {
    async refund(empresaId: string, id: string, motivo?: string) {
      const row = await ownRow(empresaId, id);
      if (row.estado_pago !== 'paid') throw new BadRequestError(`Sólo se pueden reembolsar transacciones pagadas (estado actual: ${row.estado_pago})`);
      if (!row.gateway_id) throw new BadRequestError('La transacción no tiene un cargo asociado en el gateway');
      const empresa = await knex('empresas').where({ id: empresaId }).first('id', 'conekta_private_key_enc', 'mp_access_token_enc');
      // A stable key: repeating the request (or a retry after a timeout) refunds once.
      const refund = await gateways(empresa, row.gateway).refund({ gatewayId: row.gateway_id, idempotencyKey: `refund-${row.id}`, reason: motivo ?? 'requested_by_client' });
      await transactions.event(id, 'reembolso_solicitado', { estado_gateway: refund.status, motivo: motivo ?? null });
      const moved = await transactions.transition(id, { field: 'estado_pago', from: ['paid'], to: 'refunded', event: 'pago_reembolsado', detail: { fuente: 'admin' } });
      // Should Redis fail here, the reconciler disables refunded users it finds enabled.
      if (moved) await jobs.enqueue('disable-user', { transaccionId: id }).catch(() => undefined);
      const after = (await transactions.get(id))!;
      return { message: 'Reembolso realizado; el usuario hotspot será deshabilitado', transaccion_id: id, estado_pago: after.estado_pago, estado_hotspot: after.estado_hotspot };
    },

    async retryProvisioning(empresaId: string, id: string) {
      const row = await ownRow(empresaId, id);
      if (row.estado_pago !== 'paid') throw new BadRequestError('Sólo se puede reintentar el aprovisionamiento de transacciones pagadas');
      if (row.estado_hotspot !== 'failed') throw new BadRequestError(`El aprovisionamiento no ha fallado (estado actual: ${row.estado_hotspot})`);
      await transactions.event(id, 'reintento_manual', {});
      await jobs.enqueue('provision-user', { transaccionId: id }, { replaceFinished: true });
      return { message: 'Reintento de aprovisionamiento en cola', transaccion_id: id, estado_hotspot: row.estado_hotspot };
    },
  };
}

export type AdminActions = ReturnType<typeof createAdminActions>;
