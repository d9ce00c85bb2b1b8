/** The radius feature's public entry: other features, the composition root and tests import only this. */
export * from './plan';
export * from './service';
export * from './store';
