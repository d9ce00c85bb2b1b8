/**
 * The checkout feature's public entry: selling access from the captive portal
 * (card, cash at a store, SPEI transfer) and confirming a charge the gateway
 * left undecided. Other features, the composition root and tests import only this.
 */
export { portalPaymentMethods } from './cash-fields';
export { registerCashPaymentRoutes } from './cash-routes';
export { createCashPaymentService, type CashPaymentService } from './cash-service';
export { createConfirmationService, type ConfirmationService } from './confirmation-service';
export { registerPaymentRoutes } from './payment-routes';
export { createPurchaseService, type PurchaseService } from './purchase-service';
