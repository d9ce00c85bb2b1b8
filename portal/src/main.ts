/*
 * Pagos Hotspot: portal cautivo (login.html de un hotspot MikroTik).
 *
 * Muestra los planes del router, tokeniza la tarjeta (Conekta.js / SDK de Mercado
 * Pago en modo live; el tokenizador sandbox de la demo en modo sandbox), envia el
 * pago con Idempotency-Key, muestra las credenciales, informa la conexion
 * automatica, inicia la sesion con el formulario del propio hotspot y guarda las
 * credenciales en este dispositivo para reconectar.
 *
 * Fuente en portal/src/*.ts; `npm run build:portal` la empaqueta (esbuild, ES2017
 * para navegadores de telefono) en portal/portal.js, el archivo que sirve el router.
 */
import { sendAttempt, onPay } from './card';
import { initCash } from './cash';
import { API_BASE, API_KEY, CUSTOMER_KEY, SANDBOX } from './config';
import { $, notice, setText, show } from './dom';
import { applyGateway } from './gateways';
import { alreadyConnectedText, DEVICE_KNOWN, HS, hotspotErrorText, hotspotLogin, sanitizeLoginDestination } from './hotspot';
import { loadPortal, renderPlans } from './plans';
import { onSavedChange } from './purchases';
import { copyCredentials, startPolling, stopPolling } from './result';
import { setupSandbox } from './sandbox';
import { renderSaved } from './saved';
import { state } from './state';
import { forgetLegacyData, storage } from './storage';

const input = (id: string) => $<HTMLInputElement>(id);

function formatCardInput(ev: Event): void {
  const field = ev.target as HTMLInputElement;
  const digits = field.value.replace(/\D/g, '').slice(0, 19);
  field.value = digits.replace(/(\d{4})(?=\d)/g, '$1 ');
}
function formatExpInput(ev: Event): void {
  const field = ev.target as HTMLInputElement;
  const digits = field.value.replace(/\D/g, '').slice(0, 4);
  field.value = digits.length > 2 ? digits.slice(0, 2) + '/' + digits.slice(2) : digits;
}

function init(): void {
  if (HS.error) notice($('hotspot-error'), hotspotErrorText(HS.error), 'error');
  // The hotspot says this device is already logged in: tell it before it buys.
  if (HS.loggedIn) notice($('already-connected'), alreadyConnectedText(), 'ok');
  if (SANDBOX) setupSandbox();
  show($('auto-connect-row'), DEVICE_KNOWN);

  const customer = storage.get<{ nombre?: string; email?: string; telefono?: string } | null>(CUSTOMER_KEY, null);
  if (customer && typeof customer === 'object') {
    if (customer.nombre) input('nombre').value = customer.nombre;
    if (customer.email) input('email').value = customer.email;
    if (customer.telefono) input('telefono').value = customer.telefono;
  }
  if (HS.username) input('manual-usuario').value = HS.username;

  $('pay-form').addEventListener('submit', onPay);
  $('retry-button').addEventListener('click', () => { sendAttempt(); });
  $('back-button').addEventListener('click', () => {
    state.attempt = null;
    show($('retry-button'), false);
    show($('pay-button'), true);
    notice($('form-error'), '');
    $('plans').scrollIntoView({ behavior: 'smooth', block: 'start' });
  });
  $('plans-retry').addEventListener('click', loadPortal);
  $('card-number').addEventListener('input', formatCardInput);
  $('card-exp').addEventListener('input', formatExpInput);
  Array.prototype.forEach.call(document.querySelectorAll<HTMLInputElement>('input[name="gateway"]'), (gw: HTMLInputElement) => {
    gw.addEventListener('change', () => {
      state.gateway = gw.value;
      state.attempt = null;
      applyGateway();
    });
  });
  $('connect-button').addEventListener('click', () => {
    const d = state.lastResult;
    if (d && d.usuario_hotspot) hotspotLogin(d.usuario_hotspot.usuario, d.usuario_hotspot.contrasena, $('result-error'));
  });
  $('check-button').addEventListener('click', () => {
    if (state.lastResult && state.lastResult.transaccion_id) {
      show($('check-button'), false);
      notice($('result-error'), '');
      startPolling(state.lastResult.transaccion_id);
    }
  });
  $('new-button').addEventListener('click', () => {
    stopPolling();
    state.product = null;
    state.attempt = null;
    show($('result'), false);
    show($('checkout'), false);
    show($('plans'), true);
    show($('manual-login'), true);
    renderPlans();
    renderSaved();
    window.scrollTo(0, 0);
  });
  $('copy-button').addEventListener('click', copyCredentials);
  $('manual-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const u = input('manual-usuario').value.trim();
    const p = input('manual-contrasena').value;
    if (!u || !p) { notice($('manual-error'), 'Escribe tu usuario y tu contrase\u00f1a.', 'error'); return; }
    notice($('manual-error'), '');
    hotspotLogin(u, p, $('manual-error'));
  });

  renderSaved();
  initCash();

  if (!API_BASE || !API_KEY || /REEMPLAZAR/.test(API_KEY)) {
    const status = $('plans-status');
    status.className = 'notice notice--error';
    setText(status, 'Este portal a\u00fan no est\u00e1 configurado (falta la URL de la API o la API Key en config.js). Avisa al encargado del lugar.');
    return;
  }
  loadPortal();
}

forgetLegacyData();
sanitizeLoginDestination();
// Whatever changes the purchases kept on this phone redraws their list.
onSavedChange(renderSaved);
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
