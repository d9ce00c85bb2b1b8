/** The dashboard feature's public entry: the super admin's platform-wide and per-company figures. */
export * from './service';
export * from './routes';
export * from './store';
