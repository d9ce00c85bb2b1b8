/** The transacciones feature's public entry: other features, the composition root and tests import only this. */
export * from './credentials';
export * from './gateway-factory';
export * from './outcomes';
export * from './reconciler';
export * from './store';
export * from './states';
export * from './state-machine';
