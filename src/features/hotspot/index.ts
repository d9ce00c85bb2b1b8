/** The hotspot feature's public entry: other features, the composition root and tests import only this. */
export * from './reconnect-service';
export * from './routes';
export * from './service';
export * from './ensure-user';
export * from './profile-info-service';
