/** The productos feature's public entry: other features, the composition root and tests import only this. */
export * from './catalogo-routes';
export * from './catalogo-service';
export * from './routes';
export * from './service';
export * from './store';
/** For the tests' fast layer only (nothing in the server builds it). */
export { createFakeProductosStore, type FakeProductosStoreOptions } from './fake-store';
