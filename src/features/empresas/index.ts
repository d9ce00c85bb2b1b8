/** The empresas feature's public entry: other features, the composition root and tests import only this. */
export * from './admin-routes';
export * from './gateways';
export * from './mi-empresa-service';
export * from './routes';
export * from './service';
export * from './store';
export * from './logos';
export * from './logos-store';
export * from './logo-routes';
export * from './conekta-webhooks';
