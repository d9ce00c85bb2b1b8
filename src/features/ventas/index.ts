/** The ventas feature's public entry: other features, the composition root and tests import only this. */
export * from './admin-actions';
export * from './ventas-acciones-routes';
export * from './ventas-export';
export * from './ventas-routes';
export * from './ventas-service';
