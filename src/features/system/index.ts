/** The system feature's public entry: other features, the composition root and tests import only this. */
export * from './bull-board';
export * from './docs-routes';
export * from './routes';
export * from './panel';
