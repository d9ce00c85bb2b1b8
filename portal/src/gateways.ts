/** Which gateways this router takes, the one chosen, and what the form asks for it. */
import { CFG, GATEWAY_NAMES, SANDBOX, URLS } from './config';
import { $, notice, setText, show } from './dom';
import { state } from './state';
import { initMercadoPago, loadScript } from './tokenize';

export function computeGateways(): string[] {
  const pub = state.pub;
  let list: string[] = [];
  if (pub) {
    if (pub.conekta && pub.conekta.habilitado) list.push('conekta');
    if (pub.mercado_pago && pub.mercado_pago.habilitado) list.push('mercadopago');
  } else {
    if (CFG.conektaPublicKey || SANDBOX) list.push('conekta');
    if (CFG.mercadoPagoPublicKey) list.push('mercadopago');
  }
  if (Array.isArray(CFG.gateways)) list = CFG.gateways.filter((g) => list.indexOf(g) >= 0);
  state.gateways = list;
  setText($('foot-gateways'), list.length ? list.map((g) => GATEWAY_NAMES[g]).join(' / ') : 'Conekta / Mercado Pago');
  return list;
}
export function setupGatewayChoice(): void {
  const gws = state.gateways;
  const box = $('gateway-choice');
  show(box, gws.length > 1);
  Array.prototype.forEach.call(box.querySelectorAll<HTMLInputElement>('input[name="gateway"]'), (input: HTMLInputElement) => {
    (input.parentNode as HTMLElement).hidden = gws.indexOf(input.value) < 0;
  });
  if (!state.gateway || gws.indexOf(state.gateway) < 0) state.gateway = gws[0] || null;
  const checked = box.querySelector<HTMLInputElement>('input[value="' + state.gateway + '"]');
  if (checked) checked.checked = true;
  applyGateway();
}
/** Whether paying by `metodo` through `gateway` needs the phone: config/public's metodos_pago says (Conekta's cash does). */
export function phoneRequired(gateway: string | null, metodo: string): boolean {
  const list = state.pub && Array.isArray(state.pub.metodos_pago) ? state.pub.metodos_pago : null;
  if (list) return list.some((m) => m && m.pasarela === gateway && m.metodo === metodo && m.telefono_requerido === true);
  return gateway === 'conekta' && metodo !== 'tarjeta';
}
function cashGateway(): string | null { return state.gateway || state.gateways[0] || null; }
/** The phone is asked as required only where the chosen way to pay needs it. */
export function updatePhoneLabel(): void {
  const card = phoneRequired(state.gateway, 'tarjeta');
  const cash = phoneRequired(cashGateway(), 'oxxo');
  setText($('telefono-label'), card ? 'Tel\u00e9fono' : cash ? 'Tel\u00e9fono (opcional con tarjeta; obligatorio para pagar en OXXO)' : 'Tel\u00e9fono (opcional)');
  $<HTMLInputElement>('telefono').required = card;
  show($('cash-phone-hint'), cash);
}
export function applyGateway(): void {
  updatePhoneLabel();
  const liveMp = !SANDBOX && state.gateway === 'mercadopago';
  show($('card-fields'), !liveMp);
  show($('mp-fields'), liveMp);
  show($('sandbox-mp-hint'), SANDBOX && state.gateway === 'mercadopago');
  if (liveMp) initMercadoPago().catch((e: { message?: string }) => { notice($('form-error'), e.message, 'error'); });
  else if (!SANDBOX && state.gateway === 'conekta') loadScript(URLS.conekta, 'Conekta').catch(() => { /* reported on pay */ });
}
