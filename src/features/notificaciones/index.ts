/** The notificaciones feature's public entry: other features, the composition root and tests import only this. */
export * from './routes';
export * from './service';
