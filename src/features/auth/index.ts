/** The auth feature's public entry: other features, the composition root and tests import only this. */
export * from './authenticator';
export * from './login-guard';
export * from './passwords';
export * from './portal-gate';
export * from './routes';
export * from './service';
export * from './session-tokens';
export * from './store';
