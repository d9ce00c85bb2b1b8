/** The transacciones feature's public entry: other features, the composition root and tests import only this. */
export * from './admin-actions';
export * from './confirmation-service';
export * from './credentials';
export * from './gateway-factory';
export * from './outcomes';
export * from './payment-routes';
export * from './purchase-service';
export * from './reconciler';
export * from './store';
export * from './ventas-acciones-routes';
export * from './ventas-export';
export * from './ventas-routes';
export * from './ventas-service';
export * from './webhook-routes';
export * from './webhook-service';
export { empresaOfMercadoPagoPayment } from './models';
