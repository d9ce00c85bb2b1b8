/** The purchases kept on this phone: how much time each has left, and connecting with one again (auto-connect). */
import { api, explain } from './api';
import { API_BASE, API_KEY } from './config';
import { $, el, notice, sentence, setText, show } from './dom';
import { dateText, secondsText } from './format';
import { DEVICE_KNOWN, HS, hotspotLogin } from './hotspot';
import { forget, purchaseStatus, savedList, type SavedEntry } from './purchases';
import { showResult, startPolling } from './result';

interface Credentials { usuario: string; contrasena: string }

/** The credentials of a saved purchase, asked from the status endpoint (never kept on the phone). */
function fetchCredentials(entry: SavedEntry, statusNode: HTMLElement): Promise<Credentials | null> {
  notice(statusNode, 'Consultando tu acceso\u2026', '');
  return purchaseStatus(entry.transaccion_id).then((res) => {
    const creds = res.data && res.data.estado_pago === 'paid' && res.data.usuario_hotspot;
    if (!creds || !creds.usuario || !creds.contrasena) {
      notice(statusNode, (res.data && res.data.mensaje) || 'Este pago ya no tiene un acceso disponible.', 'warn');
      return null;
    }
    notice(statusNode, '', '');
    return { usuario: creds.usuario, contrasena: creds.contrasena };
  }, (err) => {
    notice(statusNode, explain(err, 'poll'), 'error');
    return null;
  });
}

function reconnect(entry: SavedEntry, statusNode: HTMLElement, button: HTMLButtonElement): void {
  button.disabled = true;
  fetchCredentials(entry, statusNode).then((creds) => {
    if (!creds) { button.disabled = false; return; }
    if (!DEVICE_KNOWN) { button.disabled = false; hotspotLogin(creds.usuario, creds.contrasena, statusNode); return; }
    reconnectWith(creds, statusNode, button);
  });
}
function reconnectWith(creds: Credentials, statusNode: HTMLElement, button: HTMLButtonElement): void {
  notice(statusNode, 'Conectando\u2026', '');
  api('POST', '/api/v1/hotspot/auto-reconnect', { usuario: creds.usuario, contrasena: creds.contrasena, mac_cliente: HS.mac, ip_cliente: HS.ip })
    .then((res) => {
      button.disabled = false;
      if (res.data && res.data.success) {
        notice(statusNode, 'Listo: este dispositivo est\u00e1 conectado. Ya puedes navegar.', 'ok');
        if (HS.linkOrig) window.setTimeout(() => { window.location.href = HS.linkOrig; }, 1500);
      } else if (res.data && res.data.resultado === 'sin_ip') {
        hotspotLogin(creds.usuario, creds.contrasena, statusNode);
      } else {
        notice(statusNode, (res.data && res.data.mensaje) || 'El punto de acceso no acept\u00f3 la conexi\u00f3n.', 'warn');
      }
    }, (err) => {
      button.disabled = false;
      // The service could not do it (still activating, offline): the hotspot's own login form still can.
      if (err.kind !== 'http' || err.status === 409 || err.status >= 500) hotspotLogin(creds.usuario, creds.contrasena, statusNode);
      else notice(statusNode, explain(err, 'reconnect'), 'error');
    });
}

/** How much time a saved purchase has left, read from the router through profile-info. */
function showTimeLeft(entry: SavedEntry, node: HTMLElement): void {
  if (!API_BASE || !API_KEY) return;
  // The password is never kept on the phone: ask the status endpoint for it, then the router through profile-info.
  purchaseStatus(entry.transaccion_id).then((res) => {
    const creds = res.data && res.data.estado_pago === 'paid' && res.data.usuario_hotspot;
    if (!creds || !creds.contrasena) return null;
    return api('POST', '/api/v1/hotspot/user/profile-info', { username: creds.usuario, password: creds.contrasena });
  }).then((res) => {
    if (!res) { show(node, false); return; }
    const d = res.data || {};
    let text = '';
    if (d.estado === 'ok') {
      if (d.tiempo_restante_segundos === 0) text = 'Ya usaste todo el tiempo de este plan.';
      else if (d.tiempo_restante_segundos != null) text = 'Te quedan ' + secondsText(d.tiempo_restante_segundos) + ' de navegaci\u00f3n.';
      if (d.expira_en) text += (text ? ' ' : '') + 'V\u00e1lido hasta el ' + dateText(d.expira_en) + '.';
      if (!text) text = 'Tu plan est\u00e1 activo.';
    } else if (d.estado === 'expirado' || d.estado === 'inactivo') {
      text = sentence(d.mensaje || 'Este acceso ya no est\u00e1 vigente.');
    }
    setText(node, text);
    show(node, Boolean(text));
  }, () => { show(node, false); });
}

export function renderSaved(): void {
  const list = savedList();
  const ul = $('saved-list');
  ul.textContent = '';
  show($('saved'), list.length > 0 && $('result').hidden);
  list.forEach((entry) => {
    const li = el('li');
    const head = el('div', 'saved__head');
    head.appendChild(el('span', '', entry.plan || 'Plan'));
    const when = entry.guardado_en ? new Date(entry.guardado_en) : null;
    head.appendChild(el('span', 'fineprint', when && !isNaN(when.getTime()) ? when.toLocaleDateString('es-MX', { day: 'numeric', month: 'short' }) : ''));
    li.appendChild(head);
    const actions = el('div', 'saved__actions');
    const status = $('saved-status');
    if (entry.usuario) {
      li.appendChild(el('div', 'saved__user', 'Usuario: ' + entry.usuario));
      const time = el('p', 'saved__time fineprint', '');
      time.hidden = true;
      li.appendChild(time);
      showTimeLeft(entry, time);
      // One action: the service logs this device in when it knows it; otherwise (or if that fails) the hotspot's own form.
      const login = el('button', 'btn btn--primary', 'Conectarme');
      login.type = 'button';
      login.addEventListener('click', () => {
        reconnect(entry, status, login);
      });
      actions.appendChild(login);
    } else {
      li.appendChild(el('div', 'fineprint', 'Pago en verificaci\u00f3n (' + entry.transaccion_id + ')'));
      const check = el('button', 'btn btn--primary', 'Consultar pago');
      check.type = 'button';
      check.addEventListener('click', () => {
        showResult({ transaccion_id: entry.transaccion_id, estado_pago: entry.estado_pago || 'unknown', estado_hotspot: 'pending' });
        startPolling(entry.transaccion_id);
      });
      actions.appendChild(check);
    }
    const drop = el('button', 'btn btn--ghost btn--forget', 'Olvidar');
    drop.type = 'button';
    drop.addEventListener('click', () => { forget(entry.transaccion_id); });
    actions.appendChild(drop);
    li.appendChild(actions);
    ul.appendChild(li);
  });
}
