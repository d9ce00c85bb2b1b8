/** Cash at OXXO (or Paycash), SPEI transfers, and printed vouchers (issues 15 and 24). */
import { api, explain, isFinalPollError } from './api';
import { API_BASE, API_KEY, CASH_POLL_MS, CUSTOMER_KEY, CUSTOMER_TTL_MS, PAY_TIMEOUT_MS } from './config';
import { $, copyText, el, notice, setText, show, statusLine } from './dom';
import { formatMoney } from './format';
import { phoneRequired } from './gateways';
import { DEVICE_KNOWN, HS, hotspotLogin, trialLogout } from './hotspot';
import { Poller } from './poll';
import {
  cashForget, cashKeep, cashStored, forget, keyFor, purchaseKeys, purchaseStatus, rememberTransaction, type CashKept,
} from './purchases';
import { showResult, stopPolling } from './result';
import { renderSaved } from './saved';
import { state } from './state';
import { storage, uuid } from './storage';
import { renderSpeiTrial, renderTrial } from './trial';
import type { Sale } from './types';

const input = (id: string) => $<HTMLInputElement>(id);
/** The reference's status checks: 1.5 s, then 1.5 times longer each time up to CASH_POLL_MS, until stopped. */
const cashPoller = new Poller({ startMs: 1500, maxMs: CASH_POLL_MS });
const cashState = { attempt: null as { sig: string; key: string } | null, connectTried: false };

function cashExpiryText(iso: string | null | undefined): string {
  const d = new Date(iso || '');
  if (!iso || isNaN(d.getTime())) return '';
  try {
    return d.toLocaleString('es-MX', { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' });
  } catch { return d.toISOString(); }
}
function showCash(d: Sale | CashKept): void {
  stopPolling();
  show($('checkout'), false);
  show($('plans'), false);
  show($('saved'), false);
  show($('manual-login'), false);
  show($('ficha-login'), false);
  show($('result'), false);
  show($('cash-result'), true);
  const spei = d.metodo_pago === 'spei';
  setText($('cash-title'), spei ? 'Paga por transferencia SPEI' : d.metodo_pago === 'paycash' ? 'Paga en efectivo (Paycash)' : 'Paga en efectivo en OXXO');
  setText($('cash-lead'), spei ? 'Transfiere desde la app de tu banco a esta CLABE:' : 'Muestra o dicta esta referencia en la caja:');
  // A CLABE reads in its groups (bank, branch, account, check digit); Copiar copies the digits only.
  if (spei) setText($('cash-referencia'), d.clabe ? d.clabe.replace(/^(\d{3})(\d{3})(\d{11})(\d)$/, '$1 $2 $3 $4') : (d.url_ficha_pago ? 'Consulta la CLABE en las instrucciones de pago' : 'Generando tu CLABE\u2026'));
  else setText($('cash-referencia'), d.referencia || 'Generando tu referencia\u2026');
  $('cash-referencia').className = 'cash-ref__value' + (spei && d.clabe ? ' cash-ref__value--clabe' : '');
  show($('trial-box'), false);
  show($('cash-copy'), !spei || Boolean(d.clabe));
  show($('spei-banco'), spei && Boolean(d.banco || d.referencia));
  setText($('spei-banco'), spei ? [d.banco ? 'Banco: ' + d.banco : '', d.referencia && d.referencia !== d.clabe ? 'Referencia: ' + d.referencia : ''].filter(Boolean).join(' \u00b7 ') : '');
  setText($('cash-ticket'), spei ? 'Ver CLABE e instrucciones de pago' : 'Ver ficha de pago');
  renderSpeiTrial(spei);
  setText($('cash-monto'), formatMoney(d.monto || (d.producto && d.producto.precio), d.moneda || 'MXN'));
  setText($('cash-expira'), cashExpiryText(d.expira_en));
  const ol = $('cash-instrucciones');
  ol.textContent = '';
  (Array.isArray(d.instrucciones) ? d.instrucciones : []).forEach((step) => { ol.appendChild(el('li', '', step)); });
  const ticket = $<HTMLAnchorElement>('cash-ticket');
  show(ticket, Boolean(d.url_ficha_pago));
  if (d.url_ficha_pago) ticket.href = d.url_ficha_pago;
  statusLine($('cash-status'), spei
    ? 'Esperando tu transferencia\u2026 Cuando la hagas, vuelve a esta p\u00e1gina: aqu\u00ed aparecer\u00e1n tu usuario y contrase\u00f1a.'
    : 'Esperando tu pago\u2026 Cuando pagues, vuelve a esta p\u00e1gina: aqu\u00ed aparecer\u00e1n tu usuario y contrase\u00f1a.', 'wait');
  setText($('cash-trx'), 'N\u00famero de transacci\u00f3n: ' + d.transaccion_id);
  window.scrollTo(0, 0);
}
/** Paid: the card path from here (credentials, activation, connection). */
function cashPaid(d: Sale): void {
  const key = keyFor(d.transaccion_id); // kept with the purchase once the reference is forgotten
  if (key) purchaseKeys[d.transaccion_id] = key;
  cashForget();
  show($('cash-result'), false);
  show($('ficha-login'), false);
  rememberTransaction(d);
  showResult(d);
  const creds = d.usuario_hotspot;
  const auto = d.auto_conexion;
  // Without the router's automatic login (MAC/IP unknown) the hotspot form connects it; after a failed
  // automatic login the result keeps the "Conectarme ahora" button instead of leaving the page.
  const needsLogin = !auto || !auto.solicitada;
  // On the router's trial (SPEI paid from this phone): the automatic login finds the trial session, so the
  // portal ends the trial first, then logs in with the credentials.
  const onTrial = HS.loggedIn && HS.linkLogout && !(auto && auto.estado === 'conectado');
  if (d.estado_hotspot === 'active' && creds && (needsLogin || onTrial) && !cashState.connectTried) {
    cashState.connectTried = true;
    if (onTrial) {
      statusLine($('result-status'), 'Cerrando tu prueba gratuita y conect\u00e1ndote con tu plan\u2026', 'wait');
      trialLogout().then(() => { hotspotLogin(creds.usuario, creds.contrasena, $('result-error')); });
    } else {
      hotspotLogin(creds.usuario, creds.contrasena, $('result-error'));
    }
  }
}
function cashPoll(id: string, immediate: boolean): void {
  let paidSeen = false;
  cashPoller.start({
    check: () => purchaseStatus(id),
    onAnswer: (res) => {
      const d = res.data || ({} as Sale);
      if (d.estado_pago === 'paid') {
        cashPaid(d);
        if (d.estado_hotspot === 'active' && !(d.auto_conexion && d.auto_conexion.estado === 'pendiente')) return 'stop';
        // Paid, still activating: ask again soon.
        if (paidSeen) return 'again';
        paidSeen = true;
        return 'restart';
      }
      if (d.estado_pago === 'expired' || d.estado_pago === 'declined') {
        cashForget();
        forget(id);
        show($('cash-result'), false);
        show($('plans'), true);
        show($('ficha-login'), true);
        show($('manual-login'), true);
        notice($('page-notice'), d.mensaje || 'Tu referencia de pago venci\u00f3 sin pagarse. Genera una nueva para comprar.', 'warn');
        return 'stop';
      }
      const stored = cashStored();
      if (stored && d.referencia && !stored.referencia) cashKeep(d);
      return 'again';
    },
    onFailure: (err) => {
      if (isFinalPollError(err)) {
        statusLine($('cash-status'), explain(err, 'poll'), 'err');
        return 'stop';
      }
      return 'again';
    },
  }, { immediate });
}
function payCash(method: 'oxxo' | 'spei'): void {
  const spei = method === 'spei';
  const errorNode = $('cash-error');
  notice(errorNode, '');
  if (!state.product) { notice(errorNode, 'Elige un plan primero.', 'error'); return; }
  const gateway = state.gateway || state.gateways[0];
  if (!gateway) { notice(errorNode, 'Los pagos en efectivo no est\u00e1n disponibles en este punto de acceso.', 'error'); return; }
  const nombre = input('nombre').value.trim();
  const email = input('email').value.trim();
  const telefono = input('telefono').value.replace(/[^0-9+]/g, '');
  const phoneNeeded = phoneRequired(gateway, 'oxxo');
  const digits = telefono.replace(/\D/g, '').length;
  if (!nombre || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
    notice(errorNode, 'Escribe tu nombre y un correo v\u00e1lido arriba para generar la referencia.', 'error');
    return;
  }
  if (phoneNeeded ? digits < 10 : (telefono && digits < 7)) {
    input('telefono').setAttribute('aria-invalid', 'true');
    input('telefono').focus();
    notice(errorNode, phoneNeeded ? 'Escribe tu tel\u00e9fono (10 d\u00edgitos) arriba: lo pide OXXO para generar la referencia.' : 'Escribe un tel\u00e9fono v\u00e1lido arriba o d\u00e9jalo vac\u00edo.', 'error');
    return;
  }
  input('telefono').setAttribute('aria-invalid', 'false');
  const body: Record<string, unknown> = {
    producto_id: state.product.id, nombre_cliente: nombre, email_cliente: email,
    pasarela: gateway, conexion_automatica: DEVICE_KNOWN,
  };
  if (!spei) body.metodo = 'oxxo';
  if (telefono) body.telefono_cliente = telefono;
  if (DEVICE_KNOWN) { body.mac_cliente = HS.mac; body.ip_cliente = HS.ip; }
  const sig = JSON.stringify(body);
  if (!cashState.attempt || cashState.attempt.sig !== sig) cashState.attempt = { sig, key: uuid() };
  storage.set(CUSTOMER_KEY, { nombre, email, telefono: input('telefono').value.trim() }, CUSTOMER_TTL_MS);
  const button = $<HTMLButtonElement>(spei ? 'spei-button' : 'cash-button');
  const label = spei ? 'Pagar por transferencia SPEI' : 'Pagar en efectivo (OXXO)';
  button.disabled = true;
  setText(button, spei ? 'Generando tu CLABE\u2026' : 'Generando referencia\u2026');
  api<Sale>('POST', spei ? '/api/v1/payments/pagar-spei' : '/api/v1/payments/pagar-efectivo', body, { idempotencyKey: cashState.attempt.key, timeoutMs: PAY_TIMEOUT_MS }).then((res) => {
    button.disabled = false;
    setText(button, label);
    const d = res.data || ({} as Sale);
    if (d.transaccion_id && cashState.attempt) purchaseKeys[d.transaccion_id] = cashState.attempt.key;
    cashState.attempt = null;
    if (d.estado_pago === 'paid') { cashPaid(d); return; }
    cashKeep(d);
    rememberTransaction(d);
    showCash(d);
    cashPoll(d.transaccion_id, false);
  }, (err) => {
    button.disabled = false;
    setText(button, label);
    notice(errorNode, explain(err, 'pay'), 'error');
  });
}

function copyReference(): void {
  const value = ($('cash-referencia').textContent || '').replace(/\s+/g, '');
  if (!/\d/.test(value)) return;
  copyText(value, $('cash-copy'));
}
function loginWithFicha(ev: Event): void {
  ev.preventDefault();
  const codigo = input('ficha-codigo').value.replace(/\s+/g, '').toUpperCase();
  const contrasena = input('ficha-contrasena').value.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z0-9]{4,32}$/.test(codigo)) { notice($('ficha-error'), 'Escribe el c\u00f3digo tal como aparece en tu ficha.', 'error'); return; }
  notice($('ficha-error'), '');
  // A voucher without a password uses its code as the password.
  hotspotLogin(codigo, contrasena || codigo, $('ficha-error'));
}
export function initCash(): void {
  show($('cash-box'), true);
  $('cash-button').addEventListener('click', () => { payCash('oxxo'); });
  $('spei-button').addEventListener('click', () => { payCash('spei'); });
  $('cash-copy').addEventListener('click', copyReference);
  $('cash-check').addEventListener('click', () => {
    const d = cashStored();
    if (d) { statusLine($('cash-status'), 'Consultando tu pago\u2026', 'wait'); cashPoll(d.transaccion_id, true); }
  });
  $('cash-back').addEventListener('click', () => {
    cashPoller.stop();
    show($('cash-result'), false);
    renderTrial();
    show($('plans'), true);
    show($('ficha-login'), true);
    show($('manual-login'), true);
    renderSaved();
    window.scrollTo(0, 0);
  });
  $('ficha-form').addEventListener('submit', loginWithFicha);
  // The phone kept a cash reference: back after paying, show where it stands.
  const pending = cashStored();
  if (pending && API_BASE && API_KEY) {
    showCash(pending);
    cashPoll(pending.transaccion_id, true);
  }
}
