/** The gateways' scripts (live mode only) and card tokenization: Conekta.js, Mercado Pago's SDK, or the demo's sandbox. */
import { CFG, SANDBOX, URLS } from './config';
import { state } from './state';
import type { CardInput, CardToken, SandboxTokenizer } from './types';

const scripts: Record<string, Promise<void>> = {};
interface MercadoPagoHolder { mp: any; method: any }
let mercadoPago: MercadoPagoHolder | null = null;

export function loadScript(url: string, what: string): Promise<void> {
  if (scripts[url]) return scripts[url]!;
  scripts[url] = new Promise<void>((resolve, reject) => {
    const s = document.createElement('script');
    s.src = url;
    s.async = true;
    s.onload = () => { resolve(); };
    s.onerror = () => {
      delete scripts[url];
      const host = url.replace(/^https?:\/\//, '').split('/')[0];
      reject({ message: 'No se pudo cargar ' + what + ' (' + host + '). Revisa tu conexi\u00f3n; si el problema sigue, el operador debe permitir ese dominio en el walled garden del hotspot.' });
    };
    document.head.appendChild(s);
  });
  return scripts[url]!;
}
export function loadSandbox(): Promise<SandboxTokenizer> {
  return loadScript(URLS.sandbox, 'el tokenizador sandbox').then(() => {
    if (!window.PagosSandboxTokenizer) throw { message: 'El tokenizador sandbox no est\u00e1 disponible.' };
    return window.PagosSandboxTokenizer;
  });
}
function publicKey(gateway: string): string {
  const pub = state.pub || {};
  if (gateway === 'conekta') return CFG.conektaPublicKey || (pub.conekta && pub.conekta.public_key) || '';
  return CFG.mercadoPagoPublicKey || (pub.mercado_pago && pub.mercado_pago.public_key) || '';
}
function conektaTokenize(card: CardInput): Promise<CardToken> {
  const key = publicKey('conekta');
  if (!key) return Promise.reject({ message: 'Conekta no est\u00e1 configurado para este punto de acceso.' });
  return loadScript(URLS.conekta, 'Conekta').then(() => new Promise<CardToken>((resolve, reject) => {
    const C = window.Conekta;
    if (!C || !C.Token) { reject({ message: 'No se pudo iniciar Conekta.' }); return; }
    C.setPublicKey(key);
    if (typeof C.setLanguage === 'function') C.setLanguage('es');
    C.Token.create({
      card: { number: card.number, name: card.name, exp_month: ('0' + card.expMonth).slice(-2), exp_year: String(card.expYear), cvc: card.cvc },
    }, (token: { id: string }) => {
      resolve({ token: token.id });
    }, (e: { message_to_purchaser?: string; message?: string } | null) => {
      reject({ message: (e && (e.message_to_purchaser || e.message)) || 'Conekta no pudo validar la tarjeta. Revisa los datos.' });
    });
  }));
}
/** Mercado Pago's card fields (its own iframes) mounted in the form, once. */
export function initMercadoPago(): Promise<MercadoPagoHolder> {
  if (mercadoPago) return Promise.resolve(mercadoPago);
  const key = publicKey('mercadopago');
  if (!key) return Promise.reject({ message: 'Mercado Pago no est\u00e1 configurado para este punto de acceso.' });
  return loadScript(URLS.mercadopago, 'Mercado Pago').then(() => {
    if (mercadoPago) return mercadoPago;
    const mp = new window.MercadoPago(key, { locale: 'es-MX' });
    const holder: MercadoPagoHolder = { mp, method: null };
    const number = mp.fields.create('cardNumber', { placeholder: '1234 5678 9012 3456' }).mount('mp-card-number');
    mp.fields.create('expirationDate', { placeholder: 'MM/AA' }).mount('mp-card-exp');
    mp.fields.create('securityCode', { placeholder: '123' }).mount('mp-card-cvc');
    number.on('binChange', (data: { bin?: string } | null) => {
      if (!data || !data.bin) { holder.method = null; return; }
      mp.getPaymentMethods({ bin: data.bin }).then((r: { results?: any[] } | null) => {
        holder.method = (r && r.results && r.results[0]) || null;
      }, () => { holder.method = null; });
    });
    mercadoPago = holder;
    return holder;
  });
}
function mercadoPagoTokenize(card: CardInput): Promise<CardToken> {
  return initMercadoPago().then((holder) => holder.mp.fields.createCardToken({ cardholderName: card.name }).then((t: { id: string }) => {
    if (!holder.method) throw { message: 'No reconocimos el tipo de tarjeta. Revisa el n\u00famero.' };
    return { token: t.id, paymentMethodId: holder.method.id, issuerId: holder.method.issuer ? holder.method.issuer.id : undefined };
  }, () => {
    throw { message: 'Revisa los datos de la tarjeta (n\u00famero, vencimiento y CVV).' };
  }));
}
export function tokenize(gateway: string, card: CardInput): Promise<CardToken> {
  if (SANDBOX) return loadSandbox().then((t) => t.tokenize(gateway, card));
  return gateway === 'conekta' ? conektaTokenize(card) : mercadoPagoTokenize(card);
}
