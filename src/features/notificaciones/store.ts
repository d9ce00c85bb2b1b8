import type { Knex } from 'knex';
import { EmpresaTelegramModel, EventoModel, VentaNotificableModel } from './models';

export function createNotificacionesStore(knex: Knex) {
  return {
    empresa: (empresaId: string) => EmpresaTelegramModel.query(knex).findById(empresaId),
    venta: (transaccionId: string) => VentaNotificableModel.query(knex).findById(transaccionId),
    async wasSent(transaccionId: string, tipo: string): Promise<boolean> {
      return Boolean(await EventoModel.query(knex).where({ transaccion_id: transaccionId, tipo }).first().select('id'));
    },
    async record(transaccionId: string, tipo: string, detalle: Record<string, unknown>): Promise<void> {
      await EventoModel.query(knex).insert({ transaccion_id: transaccionId, tipo, detalle });
    },
  };
}
export type NotificacionesStore = ReturnType<typeof createNotificacionesStore>;
