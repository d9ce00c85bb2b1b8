/** The router's free trial (issue 24): offered on the page, and after a SPEI CLABE to open the bank's app. */
import { $, notice, setText, show } from './dom';
import { plural } from './format';
import { HS, trialUrl } from './hotspot';
import { cashStored } from './purchases';
import { state } from './state';

/** The trial is on, this device can take it (not connected now, not used up per the router's last answer). */
function trialAvailable(): boolean {
  const usedUp = /trial/i.test(HS.error || '');
  return Boolean(state.prueba && state.prueba.minutos > 0 && HS.trial && !HS.loggedIn && !usedUp && trialUrl());
}
export function renderTrial(): void {
  const box = $('trial-box');
  const on = trialAvailable() && !cashStored();
  show(box, on);
  if (on) {
    setText($('trial-button'), 'Probar gratis ' + plural(state.prueba!.minutos, 'minuto', 'minutos'));
    $<HTMLAnchorElement>('trial-button').href = trialUrl();
  }
  const pending = cashStored();
  if (pending && pending.metodo_pago === 'spei' && !$('cash-result').hidden) renderSpeiTrial(true);
}
/** After a SPEI CLABE: a few minutes of internet to open the bank app, or what to do without them. */
export function renderSpeiTrial(spei: boolean): void {
  const box = $('spei-trial');
  const none = $('spei-sin-prueba');
  show(box, false);
  show(none, false);
  if (!spei) return;
  if (HS.loggedIn) {
    notice(none, 'Ya tienes internet en este dispositivo: abre la app de tu banco, transfiere y vuelve a esta p\u00e1gina.', 'ok');
    return;
  }
  if (trialAvailable()) {
    setText($('spei-trial-button'), 'Conectarme ' + plural(state.prueba!.minutos, 'minuto', 'minutos') + ' para pagar desde mi banco');
    $<HTMLAnchorElement>('spei-trial-button').href = trialUrl();
    const back = HS.loginAction ? HS.loginAction.replace(/\/login$/, '') : '';
    setText($('spei-volver'), 'Copia la CLABE, con\u00e9ctate, transfiere desde tu banco y vuelve a ' + (back || 'esta p\u00e1gina') +
      ' (o abre cualquier p\u00e1gina): aqu\u00ed ver\u00e1s el estado de tu pago y, al confirmarse, tu usuario y contrase\u00f1a.');
    show(box, true);
    return;
  }
  if (state.pub) {
    notice(none, 'Este punto de acceso no te da internet para pagar' + (/trial/i.test(HS.error || '') ? ' (ya usaste la prueba gratuita en este dispositivo)' : '') +
      ': transfiere desde otro dispositivo o con tus datos m\u00f3viles, y vuelve a esta p\u00e1gina.', 'warn');
  }
}
