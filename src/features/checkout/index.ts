/** The checkout feature's public entry: other features, the composition root and tests import only this. */
export * from './cash-fields';
export * from './cash-routes';
export * from './cash-service';
export * from './cash-store';
export * from './confirmation-service';
export * from './payment-routes';
export * from './purchase-service';
