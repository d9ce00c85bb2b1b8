/** What a cash (OXXO / Paycash) transaction tells the customer: reference, amount, expiry, how to pay. */
import type { CashMethod } from '../../integrations/gateways';
import type { TransaccionRow } from './store';

const STORE_NAME: Record<CashMethod, string> = { oxxo: 'OXXO', paycash: 'una tienda Paycash (7-Eleven, Circle K, Extra y otras)' };

export function cashInstructions(method: CashMethod, monto: string, moneda: string): string[] {
  return [
    `Acude a ${STORE_NAME[method]} y di en caja que quieres hacer un pago de servicio${method === 'oxxo' ? ' OXXO Pay' : ''}.`,
    `Dicta o muestra la referencia y paga $${monto} ${moneda} en efectivo.`,
    'Conserva tu ticket: es tu comprobante de pago.',
    'Al confirmarse el pago (normalmente en minutos) vuelve a esta página: verás tu usuario y contraseña y te conectaremos.',
  ];
}

export type PortalPaymentMethod = 'tarjeta' | CashMethod;
export type PortalGateway = 'conekta' | 'mercadopago';

/**
 * Whether a payment method needs the customer's phone: Conekta refuses a cash
 * order without `customer_info.phone` (a card order gets a placeholder, as the
 * original did); Mercado Pago needs none. The cash route and the portal's
 * `config/public` both answer from here.
 */
export function phoneRequiredFor(gateway: PortalGateway, method: PortalPaymentMethod): boolean {
  return gateway === 'conekta' && method !== 'tarjeta';
}

/** The methods each enabled gateway offers the portal (Conekta: card and OXXO; Mercado Pago: card, OXXO and Paycash), with their phone rule. */
export function portalPaymentMethods(enabled: Record<PortalGateway, boolean>): Array<{ pasarela: PortalGateway; metodo: PortalPaymentMethod; telefono_requerido: boolean }> {
  const offered: Record<PortalGateway, PortalPaymentMethod[]> = { conekta: ['tarjeta', 'oxxo'], mercadopago: ['tarjeta', 'oxxo', 'paycash'] };
  return (Object.keys(offered) as PortalGateway[]).filter((g) => enabled[g])
    .flatMap((pasarela) => offered[pasarela].map((metodo) => ({ pasarela, metodo, telefono_requerido: phoneRequiredFor(pasarela, metodo) })));
}

/** The cash part of a transaction's answer (the status endpoint adds it to the card answer). */
export function cashFields(row: TransaccionRow): Record<string, unknown> {
  if (!row.metodo_pago || row.metodo_pago === 'tarjeta') return {};
  const method = row.metodo_pago as CashMethod;
  return {
    metodo_pago: method,
    pasarela: row.gateway,
    referencia: row.referencia_pago ?? null,
    monto: row.monto,
    moneda: row.moneda,
    expira_en: row.referencia_expira_en ? new Date(row.referencia_expira_en as Date).toISOString() : null,
    url_ficha_pago: row.referencia_url ?? null,
    instrucciones: cashInstructions(method, row.monto, row.moneda),
  };
}

