/** What a company admin can do to one of its sales: refund it, retry its provisioning, block its user. */
import { BadRequestError, NotFoundError } from '../../platform/errors';
import type { JobQueues } from '../../platform/jobs/queues';
import type { GatewayFactory } from '../transacciones';
import type { EnqueueOrLeave } from '../transacciones';
import type { TransaccionesStore } from '../transacciones';
import type { EmpresasStore } from '../empresas';

export function createAdminActions(deps: {
  transacciones: TransaccionesStore; empresas: Pick<EmpresasStore, 'find'>; gateways: GatewayFactory; jobs: JobQueues; enqueueOrLeave: EnqueueOrLeave;
  /** Disables an active sale's user (the hotspot feature's, wired by the composition root). */
  blockUser?: (transaccionId: string) => Promise<'disabled' | 'skipped'>;
}) {
  const { transacciones, gateways, jobs, enqueueOrLeave } = deps;

  async function ownRow(empresaId: string, id: string) {
    const row = await transacciones.get(id);
    if (!row || row.empresa_id !== empresaId) throw new NotFoundError('Transacción no encontrada');
    return row;
  }

  return {
    async refund(empresaId: string, id: string, motivo?: string) {
      const row = await ownRow(empresaId, id);
      if (row.estado_pago !== 'paid') throw new BadRequestError(`Sólo se pueden reembolsar transacciones pagadas (estado actual: ${row.estado_pago})`);
      if (!row.gateway_id) throw new BadRequestError('La transacción no tiene un cargo asociado en el gateway');
      const empresa = await deps.empresas.find(empresaId);
      if (!empresa) throw new NotFoundError('Transacción no encontrada');
      // A stable key: repeating the request (or a retry after a timeout) refunds once.
      const refund = await gateways(empresa, row.gateway).refund({ gatewayId: row.gateway_id, idempotencyKey: `refund-${row.id}`, reason: motivo ?? 'requested_by_client' });
      await transacciones.event(id, 'reembolso_solicitado', { estado_gateway: refund.status, motivo: motivo ?? null });
      const moved = await transacciones.transition(id, { event: 'pago_reembolsado', from: ['paid'], detail: { fuente: 'admin' } });
      if (moved) await enqueueOrLeave('disable-user', id);
      const after = (await transacciones.get(id))!;
      return { message: 'Reembolso realizado; el usuario hotspot será deshabilitado', transaccion_id: id, estado_pago: after.estado_pago, estado_hotspot: after.estado_hotspot };
    },

    /** "Bloquear": the sale's user is refused at its next login (RADIUS) or disabled on the router (API); no money moves. */
    async block(empresaId: string, id: string) {
      const row = await ownRow(empresaId, id);
      if (row.estado_hotspot !== 'active' || !deps.blockUser) {
        throw new BadRequestError(`Sólo se puede bloquear el acceso de una venta activa (estado actual: ${row.estado_hotspot})`);
      }
      await deps.blockUser(id);
      const after = (await transacciones.get(id))!;
      return { message: 'Acceso bloqueado: el próximo inicio de sesión será rechazado', transaccion_id: id, estado_hotspot: after.estado_hotspot };
    },

    async retryProvisioning(empresaId: string, id: string) {
      const row = await ownRow(empresaId, id);
      if (row.estado_pago !== 'paid') throw new BadRequestError('Sólo se puede reintentar el aprovisionamiento de transacciones pagadas');
      if (row.estado_hotspot !== 'failed') throw new BadRequestError(`El aprovisionamiento no ha fallado (estado actual: ${row.estado_hotspot})`);
      await transacciones.event(id, 'reintento_manual', {});
      await jobs.enqueue('provision-user', { transaccionId: id }, { replaceFinished: true });
      return { message: 'Reintento de aprovisionamiento en cola', transaccion_id: id, estado_hotspot: row.estado_hotspot };
    },
  };
}

export type AdminActions = ReturnType<typeof createAdminActions>;
