/** What a cash (OXXO / Paycash) or SPEI transaction tells the customer: reference or CLABE, amount, expiry, how to pay. */
import type { CashMethod, GatewayProvider } from '../../integrations/gateways';
import type { TransaccionRow } from '../transacciones';

const STORE_NAME: Record<Exclude<CashMethod, 'spei'>, string> = { oxxo: 'OXXO', paycash: 'una tienda Paycash (7-Eleven, Circle K, Extra y otras)' };

/** How the customer's bank app is told to pay: one transfer, this amount, to this CLABE. */
export function speiInstructions(monto: string, moneda: string, clabe: string | null, banco: string | null): string[] {
  return [
    'Abre la app o la banca en línea de tu banco y elige «Transferir» por SPEI.',
    clabe
      ? `Da de alta la CLABE ${clabe}${banco ? ` (banco ${banco})` : ''} como cuenta destino.`
      : 'Da de alta como cuenta destino la CLABE que aparece en la página de instrucciones de pago.',
    `Transfiere exactamente $${monto} ${moneda} en una sola transferencia; otro monto no activa tu acceso.`,
    'Al confirmarse la transferencia (normalmente en segundos o minutos) vuelve a esta página: verás tu usuario y contraseña y te conectaremos.',
  ];
}

export function cashInstructions(method: CashMethod, monto: string, moneda: string): string[] {
  if (method === 'spei') return speiInstructions(monto, moneda, null, null);
  return [
    `Acude a ${STORE_NAME[method]} y di en caja que quieres hacer un pago de servicio${method === 'oxxo' ? ' OXXO Pay' : ''}.`,
    `Dicta o muestra la referencia y paga $${monto} ${moneda} en efectivo.`,
    'Conserva tu ticket: es tu comprobante de pago.',
    'Al confirmarse el pago (normalmente en minutos) vuelve a esta página: verás tu usuario y contraseña y te conectaremos.',
  ];
}

export type PortalPaymentMethod = 'tarjeta' | CashMethod;

/** Where a method is paid, as the Spanish messages say it. */
export const CASH_METHOD_WHERE: Readonly<Record<CashMethod, string>> = { oxxo: 'en OXXO', paycash: 'en Paycash', spei: 'por SPEI' };

/** "en OXXO o por SPEI": a gateway's cash methods in a sentence. */
export function cashMethodList(methods: readonly CashMethod[]): string {
  const words = methods.map((m) => CASH_METHOD_WHERE[m]);
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} o ${words[words.length - 1]}`;
}

/**
 * The methods each enabled gateway offers the portal (a card, then its cash
 * methods: Conekta OXXO and SPEI; Mercado Pago OXXO, Paycash and SPEI), with
 * whether the customer's phone is required (Conekta refuses a cash order
 * without one). The cash route checks the same provider answers.
 */
export function portalPaymentMethods(providers: readonly GatewayProvider[], enabled: (id: string) => boolean): Array<{ pasarela: string; metodo: PortalPaymentMethod; telefono_requerido: boolean }> {
  return providers.filter((p) => enabled(p.id)).flatMap((provider) => (['tarjeta', ...provider.cashMethods] as PortalPaymentMethod[])
    .map((metodo) => ({ pasarela: provider.id, metodo, telefono_requerido: provider.phoneRequired(metodo) })));
}

/** The cash part of a transaction's answer (the status endpoint adds it to the card answer). */
export function cashFields(row: TransaccionRow): Record<string, unknown> {
  if (!row.metodo_pago || row.metodo_pago === 'tarjeta') return {};
  const method: CashMethod = row.metodo_pago;
  if (method === 'spei') {
    const clabe = row.referencia_clabe ?? null;
    const banco = row.referencia_banco ?? null;
    return {
      metodo_pago: method,
      pasarela: row.gateway,
      clabe,
      banco,
      referencia: row.referencia_pago ?? null,
      monto: row.monto,
      moneda: row.moneda,
      expira_en: row.referencia_expira_en ? new Date(row.referencia_expira_en).toISOString() : null,
      url_ficha_pago: row.referencia_url ?? null,
      instrucciones: speiInstructions(row.monto, row.moneda, clabe, banco),
    };
  }
  return {
    metodo_pago: method,
    pasarela: row.gateway,
    referencia: row.referencia_pago ?? null,
    monto: row.monto,
    moneda: row.moneda,
    expira_en: row.referencia_expira_en ? new Date(row.referencia_expira_en).toISOString() : null,
    url_ficha_pago: row.referencia_url ?? null,
    instrucciones: cashInstructions(method, row.monto, row.moneda),
  };
}

