/** The outcome of a purchase: credentials, receipt, activation, automatic connection, and polling its status. */
import { explain, isFinalPollError } from './api';
import { POLL_LIMIT_MS } from './config';
import { $, copyText, notice, setText, show, statusLine } from './dom';
import { dateText, durationText, formatMoney, secondsText } from './format';
import { HS } from './hotspot';
import { Poller } from './poll';
import { forget, purchaseStatus, refreshSaved, rememberTransaction } from './purchases';
import { state } from './state';
import type { Acceso, Sale } from './types';

/** Still moving: the payment being confirmed, the access being activated, or the automatic login pending. */
function needsPolling(d: Sale | null | undefined): boolean {
  if (!d) return false;
  if (d.estado_pago === 'pending' || d.estado_pago === 'unknown') return true;
  if (d.estado_pago !== 'paid') return false;
  if (d.estado_hotspot === 'pending' || d.estado_hotspot === 'provisioning') return true;
  return Boolean(d.estado_hotspot === 'active' && d.auto_conexion && d.auto_conexion.solicitada && (d.auto_conexion.fase || d.auto_conexion.estado) === 'pendiente');
}

export function onPurchase(data: Sale): void {
  rememberTransaction(data);
  showResult(data);
  if (needsPolling(data)) startPolling(data.transaccion_id);
}

/** When the access ends, in words: a date, a validity from activation, or the plan's browsing time. */
function accessText(acceso: Acceso | null | undefined): string {
  const a = acceso || {};
  const uptime = durationText(a.limit_uptime);
  if (a.expira_en) return 'Hasta el ' + dateText(a.expira_en) + (uptime ? ' (' + uptime + ' de navegaci\u00f3n)' : '');
  if (a.vigencia_minutos) return 'V\u00e1lido por ' + secondsText(Number(a.vigencia_minutos) * 60) + ' desde que se activa';
  if (uptime) return uptime + ' de navegaci\u00f3n';
  return 'Sin l\u00edmite de tiempo';
}

export function showResult(d: Sale): void {
  const first = !state.lastResult || state.lastResult.transaccion_id !== d.transaccion_id || $('result').hidden;
  state.lastResult = d;
  show($('checkout'), false);
  show($('plans'), false);
  show($('saved'), false);
  show($('manual-login'), false);
  show($('result'), true);
  if (first) window.scrollTo(0, 0);
  notice($('result-error'), '');
  const paid = d.estado_pago === 'paid';
  const pending = d.estado_pago === 'pending' || d.estado_pago === 'unknown';
  const title = paid ? '\u00a1Pago aprobado!' : pending ? 'Pago en verificaci\u00f3n' : d.estado_pago === 'refunded' ? 'Pago reembolsado' : 'Pago no aprobado';
  setText($('result-title'), title);
  let message = d.mensaje || (pending ? 'Estamos confirmando tu pago con el banco. No cierres esta p\u00e1gina.' : '');
  if (paid) message = message.replace(/^Pago aprobado\.\s*/, '');
  setText($('result-message'), message);

  const creds = d.usuario_hotspot;
  show($('credentials'), Boolean(paid && creds));
  if (paid && creds) {
    setText($('cred-usuario'), creds.usuario);
    setText($('cred-contrasena'), creds.contrasena);
  }

  // The receipt: plan, amount and when the access ends.
  const prod = d.producto || {};
  const receipt = $('receipt');
  if (paid && prod.nombre) {
    setText($('receipt-plan'), prod.nombre);
    setText($('receipt-monto'), formatMoney(prod.precio_decimal || prod.precio, prod.moneda));
    setText($('receipt-acceso'), accessText(d.acceso));
    show(receipt, true);
  } else {
    show(receipt, false);
  }

  const hs = $('result-status');
  if (pending) statusLine(hs, 'Confirmando tu pago\u2026', 'wait');
  else if (!paid) statusLine(hs, '', '');
  else if (d.estado_hotspot === 'active') statusLine(hs, 'Tu acceso est\u00e1 activo.', 'ok');
  else if (d.estado_hotspot === 'pending' || d.estado_hotspot === 'provisioning') statusLine(hs, 'Activando tu acceso en el router\u2026', 'wait');
  else if (d.estado_hotspot === 'failed') statusLine(hs, 'El router no pudo activar tu acceso todav\u00eda. Lo seguiremos intentando; si en unos minutos no puedes conectarte, muestra tu n\u00famero de transacci\u00f3n al encargado.', 'err');
  else if (d.estado_hotspot === 'expired') statusLine(hs, 'Este acceso ya expir\u00f3.', 'err');
  else if (d.estado_hotspot === 'disabled') statusLine(hs, 'Este acceso fue deshabilitado.', 'err');
  else statusLine(hs, '', '');

  const auto = d.auto_conexion;
  const autoNode = $('auto-status');
  let connected = false;
  if (paid && auto && auto.solicitada) {
    if (auto.estado === 'conectado') {
      connected = true;
      statusLine(autoNode, 'Conexi\u00f3n autom\u00e1tica: este dispositivo ya est\u00e1 conectado. \u00a1Listo para navegar!', 'ok');
    } else if ((auto.fase || auto.estado) === 'pendiente') {
      statusLine(autoNode, 'Conexi\u00f3n autom\u00e1tica: ' + (auto.mensaje || 'te conectaremos en cuanto se active tu acceso.'), 'wait');
    } else {
      statusLine(autoNode, 'Conexi\u00f3n autom\u00e1tica: ' + (auto.mensaje || 'no se pudo.') + ' Toca \u00abConectarme ahora\u00bb.', 'err');
    }
  } else {
    statusLine(autoNode, '', '');
  }

  show($('connect-button'), Boolean(paid && creds && d.estado_hotspot === 'active' && !connected));
  const cont = $<HTMLAnchorElement>('continue-link');
  show(cont, Boolean(connected && HS.linkOrig));
  if (HS.linkOrig) cont.href = HS.linkOrig;
  show($('check-button'), false);
  setText($('result-trx'), d.transaccion_id ? 'N\u00famero de transacci\u00f3n: ' + d.transaccion_id : '');
}

function showDeclined(message: string): void {
  show($('result'), false);
  show($('plans'), true);
  show($('manual-login'), true);
  refreshSaved();
  show($('checkout'), Boolean(state.product));
  show($('pay-button'), true);
  show($('retry-button'), false);
  notice($('form-error'), message, 'error');
  if (state.product) $('checkout').scrollIntoView({ block: 'start' });
}

/** The result's status checks: 1 s, then 1.5 times longer each time up to 5 s, for POLL_LIMIT_MS. */
const resultPoll = new Poller({ startMs: 1000, maxMs: 5000, limitMs: POLL_LIMIT_MS });

export function stopPolling(): void {
  resultPoll.stop();
}
export function startPolling(id: string): void {
  resultPoll.start({
    check: () => purchaseStatus(id),
    onAnswer: (res) => {
      const d = res.data;
      if (d.estado_pago === 'declined' || d.estado_pago === 'expired') {
        rememberTransaction(d);
        forget(d.transaccion_id);
        showDeclined(d.mensaje || 'El pago no fue aprobado.');
        return 'stop';
      }
      rememberTransaction(d);
      showResult(d);
      return needsPolling(d) ? 'again' : 'stop';
    },
    onFailure: (err) => {
      if (isFinalPollError(err)) {
        notice($('result-error'), explain(err, 'poll'), 'error');
        return 'stop';
      }
      notice($('result-error'), explain(err, 'poll') + ' Seguimos consultando\u2026', 'warn');
      return 'again';
    },
    onGiveUp: () => {
      const d = state.lastResult || ({} as Partial<Sale>);
      const pendingPay = d.estado_pago !== 'paid';
      notice($('result-error'), pendingPay
        ? 'Tu pago sigue en verificaci\u00f3n. Guarda tu n\u00famero de transacci\u00f3n y toca \u00abConsultar de nuevo\u00bb en unos minutos; no vuelvas a pagar.'
        : 'Tu acceso sigue activ\u00e1ndose. Toca \u00abConsultar de nuevo\u00bb en unos momentos.', 'warn');
      show($('check-button'), true);
    },
  });
}

export function copyCredentials(): void {
  const d = state.lastResult;
  if (!d || !d.usuario_hotspot) return;
  copyText('Usuario: ' + d.usuario_hotspot.usuario + '\nContrase\u00f1a: ' + d.usuario_hotspot.contrasena, $('copy-button'));
}
