/**
 * The sandbox card tokenizer of the demo: a small browser script that stands
 * in for Conekta.js and Mercado Pago's SDK when the portal runs with
 * `mode: 'sandbox'` against our own gateway sandboxes (sim/conekta and
 * sim/mercadopago). It never talks to a real gateway and never sends the
 * card number anywhere: it maps the published test card numbers to the
 * Conekta sandbox's test tokens, purely in the browser.
 *
 * The table lives here, once, so the demo, the browser test and the script
 * served to the portal agree on it.
 */
export type SandboxBrand = 'visa' | 'master' | 'amex';

export interface SandboxCard {
  /** Digits only. */
  number: string;
  brand: SandboxBrand;
  /** Kind of Conekta sandbox test token (`tok_test_<kind>_<random>`). */
  conekta: string;
  /** What the Conekta sandbox answers, in Spanish, for the hint list. */
  resultado: string;
}

export const SANDBOX_CARDS: readonly SandboxCard[] = [
  { number: '4242424242424242', brand: 'visa', conekta: 'visa_4242', resultado: 'Aprobada' },
  { number: '5555555555554444', brand: 'master', conekta: 'mastercard_4444', resultado: 'Aprobada (Mastercard)' },
  { number: '4000000000000002', brand: 'visa', conekta: 'card_declined', resultado: 'Declinada por el banco' },
  { number: '4000000000009995', brand: 'visa', conekta: 'insufficient_funds', resultado: 'Fondos insuficientes' },
  { number: '4000000000000119', brand: 'visa', conekta: 'suspicious', resultado: 'Rechazada por seguridad' },
  { number: '4000000000003220', brand: 'visa', conekta: 'declined_3ds', resultado: 'Rechazada por 3D Secure' },
  { number: '4000000000000069', brand: 'visa', conekta: 'expired_card', resultado: 'Tarjeta vencida' },
];

/** Mercado Pago's sandbox decides by the payer's first name (see sim/mercadopago). */
export const SANDBOX_MP_NAMES: ReadonlyArray<{ nombre: string; resultado: string }> = [
  { nombre: 'APRO', resultado: 'Aprobado' },
  { nombre: 'OTHE', resultado: 'Rechazado' },
  { nombre: 'FUND', resultado: 'Fondos insuficientes' },
  { nombre: 'CONT', resultado: 'En revisión' },
];

/** The Conekta sandbox token for a card number, as the browser script computes it (without the random suffix). */
export function sandboxConektaKind(cardNumber: string): string | undefined {
  const digits = cardNumber.replace(/\D/g, '');
  return SANDBOX_CARDS.find((c) => c.number === digits)?.conekta;
}

/**
 * The browser script (served as `sandbox-tokenizer.js` by the demo). It defines
 * `window.PagosSandboxTokenizer.tokenize(gateway, card)`, a Promise of
 * `{ token, paymentMethodId?, brand, last4 }`, rejected with `{ message }` in Spanish.
 */
export function sandboxTokenizerScript(): string {
  const cards = JSON.stringify(SANDBOX_CARDS);
  const names = JSON.stringify(SANDBOX_MP_NAMES);
  return `/* Pagos Hotspot: tokenizador SANDBOX (demo). No es Conekta.js ni el SDK de Mercado Pago:
   solo convierte tarjetas de prueba en tokens del sandbox, sin enviar la tarjeta a ningun lado. */
(function () {
  'use strict';
  var CARDS = ${cards};
  var MP_NAMES = ${names};

  function luhn(digits) {
    var sum = 0, dbl = false;
    for (var i = digits.length - 1; i >= 0; i--) {
      var d = digits.charCodeAt(i) - 48;
      if (dbl) { d *= 2; if (d > 9) d -= 9; }
      sum += d; dbl = !dbl;
    }
    return sum % 10 === 0;
  }
  function randomHex(bytes) {
    var b = new Uint8Array(bytes);
    window.crypto.getRandomValues(b);
    var out = '';
    for (var i = 0; i < b.length; i++) out += (b[i] < 16 ? '0' : '') + b[i].toString(16);
    return out;
  }
  function brandOf(digits) {
    if (/^4/.test(digits)) return 'visa';
    if (/^(5[1-5]|2[2-7])/.test(digits)) return 'master';
    if (/^3[47]/.test(digits)) return 'amex';
    return null;
  }
  function fail(message) { return Promise.reject({ message: message }); }

  function tokenize(gateway, card) {
    var digits = String(card.number || '').replace(/\\D/g, '');
    if (digits.length < 13 || digits.length > 19 || !luhn(digits)) return fail('El numero de tarjeta no es valido.');
    var month = Number(card.expMonth), year = Number(card.expYear);
    if (year < 100) year += 2000;
    if (!(month >= 1 && month <= 12) || !year) return fail('Revisa la fecha de vencimiento (MM/AA).');
    var now = new Date();
    if (year < now.getFullYear() || (year === now.getFullYear() && month < now.getMonth() + 1)) return fail('La tarjeta esta vencida.');
    if (!/^\\d{3,4}$/.test(String(card.cvc || ''))) return fail('Revisa el codigo de seguridad (CVV).');
    var known = null;
    for (var i = 0; i < CARDS.length; i++) if (CARDS[i].number === digits) known = CARDS[i];
    var brand = known ? known.brand : brandOf(digits);
    var result = { brand: brand, last4: digits.slice(-4), sandbox: true };
    if (gateway === 'conekta') {
      if (!known) return fail('Modo sandbox: usa una de las tarjetas de prueba (por ejemplo 4242 4242 4242 4242).');
      result.token = 'tok_test_' + known.conekta + '_' + randomHex(6);
    } else if (gateway === 'mercadopago') {
      if (!brand) return fail('Modo sandbox: usa una tarjeta Visa, Mastercard o American Express de prueba.');
      result.token = 'sandbox-card-' + randomHex(12);
      result.paymentMethodId = brand;
    } else {
      return fail('Medio de pago desconocido.');
    }
    return new Promise(function (resolve) { setTimeout(function () { resolve(result); }, 150); });
  }

  window.PagosSandboxTokenizer = { sandbox: true, cards: CARDS, mercadoPagoNames: MP_NAMES, tokenize: tokenize };
})();
`;
}
