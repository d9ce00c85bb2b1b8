/** The routers feature's public entry: other features, the composition root and tests import only this. */
export * from './admin-routes';
export * from './api-key-usage';
export * from './api-keys';
export * from './key-expiry-warnings';
export * from './mis-routers-service';
export * from './operaciones-routes';
export * from './portal-download';
export * from './routes';
export * from './service';
export * from './store';
export * from './targets';
export * from './setup-script';
export * from './setup-routes';
export * from './setup-service';
export * from './setup-store';
