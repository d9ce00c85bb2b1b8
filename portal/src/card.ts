/** Paying by card: the form, tokenization, and the payment request retried with its one Idempotency-Key. */
import { api, ApiError, explain, type ApiAnswer } from './api';
import { CUSTOMER_KEY, CUSTOMER_TTL_MS, PAY_RETRY_DELAYS_MS, PAY_RETRY_LIMIT_MS, PAY_TIMEOUT_MS, SANDBOX } from './config';
import { $, notice, setText, show } from './dom';
import { formatMoney, plural } from './format';
import { phoneRequired } from './gateways';
import { DEVICE_KNOWN, HS } from './hotspot';
import { loadPortal } from './plans';
import { purchaseKeys } from './purchases';
import { onPurchase } from './result';
import { state, type Attempt } from './state';
import { deviceId, storage, uuid } from './storage';
import { tokenize } from './tokenize';
import type { CardInput, Sale } from './types';

const input = (id: string) => $<HTMLInputElement>(id);

function parseExpiry(value: string): { month: number; year: number } | null {
  const m = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(value || '');
  if (!m) return null;
  const month = Number(m[1]);
  let year = Number(m[2]);
  if (year < 100) year += 2000;
  if (month < 1 || month > 12) return null;
  return { month, year };
}
interface FieldProblem { input: HTMLInputElement; message: string }
function fieldError(node: HTMLInputElement, message: string, errors: FieldProblem[]): void {
  node.setAttribute('aria-invalid', message ? 'true' : 'false');
  if (message) errors.push({ input: node, message });
}
interface CardForm { nombre: string; email: string; telefono: string; card: CardInput }
function readForm(): CardForm | null {
  const errors: FieldProblem[] = [];
  const nombre = input('nombre').value.trim().replace(/\s+/g, ' ');
  const email = input('email').value.trim();
  const telefono = input('telefono').value.trim();
  fieldError(input('nombre'), nombre.length < 2 ? 'Escribe tu nombre como aparece en la tarjeta.' : '', errors);
  fieldError(input('email'), /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(email) ? '' : 'Escribe un correo electr\u00f3nico v\u00e1lido.', errors);
  // Optional with a card (as in the original service) unless config/public says otherwise; when given it must be a phone.
  const phoneNeeded = phoneRequired(state.gateway, 'tarjeta');
  const phoneOk = /^\+?[0-9 ()-]{7,20}$/.test(telefono) && telefono.replace(/\D/g, '').length >= 7;
  fieldError(input('telefono'), phoneOk || (!telefono && !phoneNeeded) ? '' : phoneNeeded ? 'Escribe tu tel\u00e9fono (al menos 7 d\u00edgitos).' : 'Escribe un tel\u00e9fono v\u00e1lido (al menos 7 d\u00edgitos) o d\u00e9jalo vac\u00edo.', errors);
  const card: CardInput = { name: nombre };
  if (SANDBOX || state.gateway !== 'mercadopago') {
    const number = input('card-number').value.replace(/\D/g, '');
    const exp = parseExpiry(input('card-exp').value);
    const cvc = input('card-cvc').value.trim();
    fieldError(input('card-number'), number.length >= 13 && number.length <= 19 ? '' : 'Revisa el n\u00famero de la tarjeta.', errors);
    fieldError(input('card-exp'), exp ? '' : 'Escribe el vencimiento como MM/AA.', errors);
    fieldError(input('card-cvc'), /^\d{3,4}$/.test(cvc) ? '' : 'Escribe el CVV (3 o 4 d\u00edgitos).', errors);
    card.number = number;
    card.expMonth = exp ? exp.month : 0;
    card.expYear = exp ? exp.year : 0;
    card.cvc = cvc;
  }
  if (errors.length) {
    notice($('form-error'), errors[0]!.message, 'error');
    errors[0]!.input.focus();
    return null;
  }
  storage.set(CUSTOMER_KEY, { nombre, email, telefono }, CUSTOMER_TTL_MS);
  return { nombre, email, telefono, card };
}
function setBusy(on: boolean, label?: string): void {
  state.busy = on;
  const pay = $<HTMLButtonElement>('pay-button');
  const retry = $<HTMLButtonElement>('retry-button');
  [pay, retry].forEach((b) => {
    b.disabled = on;
    b.classList.toggle('is-busy', on);
  });
  if (on) { setText(pay, label); setText(retry, label); } else {
    if (state.product) setText(pay, 'Pagar ' + formatMoney(state.product.precio, state.product.moneda));
    setText(retry, 'Reintentar');
  }
  $<HTMLButtonElement>('back-button').disabled = on;
}
function cooldown(seconds: number): void {
  const retry = $<HTMLButtonElement>('retry-button');
  let left = seconds;
  clearInterval(state.cooldownTimer);
  retry.disabled = true;
  setText(retry, 'Reintentar (' + left + ' s)');
  state.cooldownTimer = setInterval(() => {
    left -= 1;
    if (left <= 0) {
      clearInterval(state.cooldownTimer);
      retry.disabled = false;
      setText(retry, 'Reintentar');
    } else {
      setText(retry, 'Reintentar (' + left + ' s)');
    }
  }, 1000);
}

export function onPay(ev: Event): void {
  ev.preventDefault();
  if (state.busy || !state.product) return;
  notice($('form-error'), '');
  if (!state.gateway) { notice($('form-error'), 'Los pagos con tarjeta no est\u00e1n disponibles en este punto de acceso.', 'error'); return; }
  const form = readForm();
  if (!form) return;
  const product = state.product;
  const gateway = state.gateway;
  setBusy(true, 'Validando tarjeta\u2026');
  tokenize(gateway, form.card).then((tok) => {
    const body: Record<string, unknown> = {
      producto_id: product.id,
      nombre_cliente: form.nombre,
      email_cliente: form.email,
      telefono_cliente: form.telefono || null,
      tipo_usuario: 'usuario_contrasena',
      conexion_automatica: DEVICE_KNOWN && input('auto-connect').checked,
      device_id: deviceId(),
    };
    if (HS.mac) body.mac_cliente = HS.mac;
    if (HS.ip) body.ip_cliente = HS.ip;
    let path: string;
    if (gateway === 'conekta') {
      path = '/api/v1/payments/pagar-conekta';
      body.token_tarjeta = tok.token;
    } else {
      path = '/api/v1/payments/pagar-mercado-pago';
      body.token = tok.token;
      body.payment_method_id = tok.paymentMethodId;
      if (tok.issuerId != null) body.issuer_id = String(tok.issuerId);
      body.cuotas = 1;
      body.monto = product.precio_decimal || String(product.precio);
    }
    // One attempt = one Idempotency-Key: a retry of it sends the very same request.
    state.attempt = { key: uuid(), path, body };
    input('card-cvc').value = '';
    return sendAttempt();
  }, (e: { message?: string } | null) => {
    setBusy(false);
    notice($('form-error'), (e && e.message) || 'No se pudo validar la tarjeta. Revisa los datos.', 'error');
  });
}

// Reintentos automaticos del pago. Un 503 (el servicio se recupera de una caida breve de su base de
// datos) o ninguna respuesta (red, tiempo agotado) se reintentan solos con la MISMA solicitud y la MISMA
// Idempotency-Key, esperando 1, 2, 4, 8, 8... s (o lo que pida Retry-After) hasta un limite total.
// Asi un reintento nunca es un segundo cobro: el servidor responde con el resultado del primero.
function payRetryable(err: unknown): err is ApiError {
  return err instanceof ApiError && (err.kind === 'network' || err.kind === 'timeout' || err.status === 503);
}
function payWithRetries(attempt: Attempt, onRetry: (tries: number, wait: number) => void): Promise<ApiAnswer<Sale>> {
  const started = Date.now();
  let tries = 0;
  const once = (): Promise<ApiAnswer<Sale>> => api<Sale>('POST', attempt.path, attempt.body, { idempotencyKey: attempt.key, timeoutMs: PAY_TIMEOUT_MS }).catch((err) => {
    if (!payRetryable(err)) throw err;
    const backoff = PAY_RETRY_DELAYS_MS[Math.min(tries, PAY_RETRY_DELAYS_MS.length - 1)]!;
    const wait = Math.max(backoff, Math.min(err.retryAfter || 0, 30) * 1000);
    if (Date.now() - started + wait > PAY_RETRY_LIMIT_MS) throw err;
    tries += 1;
    onRetry(tries, wait);
    return new Promise<void>((resolve) => { setTimeout(resolve, wait); }).then(once);
  });
  return once();
}

export function sendAttempt(): Promise<void> {
  const attempt = state.attempt;
  if (!attempt) return Promise.resolve();
  setBusy(true, 'Procesando pago\u2026');
  notice($('form-error'), '');
  return payWithRetries(attempt, (tries, wait) => {
    setBusy(true, 'Reintentando\u2026');
    notice($('form-error'), 'El servicio de pagos no respondi\u00f3. Reintentando\u2026 (intento ' + (tries + 1) + ', en ' +
      plural(Math.ceil(wait / 1000), 'segundo', 'segundos') + '). Es el mismo pago: no se te cobrar\u00e1 dos veces.', 'warn');
  }).then((res) => {
    setBusy(false);
    notice($('form-error'), '');
    state.attempt = null;
    show($('retry-button'), false);
    show($('pay-button'), true);
    if (res.data && res.data.transaccion_id) purchaseKeys[res.data.transaccion_id] = attempt.key;
    onPurchase(res.data);
  }, (err: ApiError) => {
    setBusy(false);
    // Ambiguous (the charge may have happened) or not charged yet: the same attempt can be retried safely.
    const retryable = err.kind !== 'http' || err.status >= 500 || err.status === 429 || err.status === 409;
    if (!retryable) state.attempt = null;
    notice($('form-error'), explain(err, 'pay'), 'error');
    show($('retry-button'), retryable);
    show($('pay-button'), !retryable);
    if (retryable && err.status === 429 && err.retryAfter) cooldown(err.retryAfter);
    if (err.status === 404) loadPortal();
  });
}
