/** The webhooks feature's public entry (gateway notifications that move a sale): the composition root and tests import only this. */
export { registerWebhookRoutes } from './webhook-routes';
export { createWebhookService, type WebhookService } from './webhook-service';
