import type { AdminActions } from './admin-actions';
import type { ApiRouter } from '../../platform/http/api-router';
import { errorResponse, object, str, transaccionId } from '../../platform/http/schemas';
import { ESTADOS_HOTSPOT } from '../transacciones';

export function registerSaleActionRoutes(api: ApiRouter, deps: { actions: AdminActions }) {
  const tags = ['Ventas (cliente_admin)'];
  const params = object({ transaccion_id: transaccionId }, ['transaccion_id']);
  api.add({
    method: 'post', path: '/api/v1/admin/mi-empresa/transacciones/:transaccion_id/reembolso', auth: 'cliente_admin', tags,
    summary: 'Reembolsar una venta pagada (a través del gateway) y deshabilitar su usuario hotspot',
    params, body: object({ motivo: { type: 'string', maxLength: 200 } }, [], { example: { motivo: 'El cliente no pudo conectarse' } }),
    responses: {
      200: { description: 'Reembolsado', schema: object({ message: str(), transaccion_id: str(), estado_pago: str(), estado_hotspot: str() }), example: { message: 'Reembolso realizado; el usuario hotspot será deshabilitado', transaccion_id: 'TRX_0A1B2C3D4E5F', estado_pago: 'refunded', estado_hotspot: 'active' } },
      400: errorResponse('No reembolsable', 'Sólo se pueden reembolsar transacciones pagadas (estado actual: declined)'),
      404: errorResponse('No es de su empresa', 'Transacción no encontrada'),
    },
    handler: (ctx, { params: p, body }) => deps.actions.refund(ctx.state.user!.empresa_id!, p.transaccion_id, body.motivo),
  });
  api.add({
    method: 'post', path: '/api/v1/admin/mi-empresa/transacciones/:transaccion_id/bloquear', auth: 'cliente_admin', tags,
    summary: 'Bloquear el acceso de una venta activa (sin reembolso)',
    description: 'Modo RADIUS: el próximo inicio de sesión es rechazado (la sesión en curso termina con su tiempo). Modo API: el usuario se deshabilita en el router.',
    params,
    responses: {
      200: {
        description: 'Bloqueado',
        schema: object({ message: str(), transaccion_id: str(), estado_hotspot: { type: 'string', enum: [...ESTADOS_HOTSPOT] } }, ['message', 'transaccion_id', 'estado_hotspot']),
        example: { message: 'Acceso bloqueado: el próximo inicio de sesión será rechazado', transaccion_id: 'TRX_0A1B2C3D4E5F', estado_hotspot: 'disabled' },
      },
      400: errorResponse('No está activa', 'Sólo se puede bloquear el acceso de una venta activa (estado actual: expired)'),
      404: errorResponse('No es de su empresa', 'Transacción no encontrada'),
    },
    handler: (ctx, { params: p }) => deps.actions.block(ctx.state.user!.empresa_id!, p.transaccion_id),
  });
  api.add({
    method: 'post', path: '/api/v1/admin/mi-empresa/transacciones/:transaccion_id/reintentar', auth: 'cliente_admin', tags,
    summary: 'Reintentar el aprovisionamiento fallido de una venta pagada',
    params, status: 202,
    responses: {
      202: {
        description: 'En cola',
        schema: object({ message: str(), transaccion_id: str(), estado_hotspot: { type: 'string', enum: [...ESTADOS_HOTSPOT] } }, ['message', 'transaccion_id', 'estado_hotspot']),
        example: { message: 'Reintento de aprovisionamiento en cola', transaccion_id: 'TRX_0A1B2C3D4E5F', estado_hotspot: 'failed' } },
      400: errorResponse('No ha fallado', 'El aprovisionamiento no ha fallado (estado actual: active)'),
      404: errorResponse('No es de su empresa', 'Transacción no encontrada'),
    },
    handler: (ctx, { params: p }) => deps.actions.retryProvisioning(ctx.state.user!.empresa_id!, p.transaccion_id),
  });
}
