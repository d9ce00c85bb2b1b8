/** The webhooks feature's public entry: other features, the composition root and tests import only this. */
export * from './webhook-routes';
export * from './webhook-service';
