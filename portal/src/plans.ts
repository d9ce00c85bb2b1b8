/** The catalog: the company and its plans (config/public, catalogo_perfiles_venta) and choosing one. */
import { api, explain, httpStatus } from './api';
import { API_BASE, SANDBOX } from './config';
import { $, el, notice, sentence, setText, show } from './dom';
import { bytesText, durationText, formatMoney, secondsText } from './format';
import { computeGateways, setupGatewayChoice, updatePhoneLabel } from './gateways';
import { alreadyConnectedText, HS } from './hotspot';
import { state } from './state';
import { renderTrial } from './trial';
import type { Producto, PublicConfig } from './types';

function planMeta(p: Producto): string[] {
  const out: string[] = [];
  const uptime = durationText(p.limit_uptime);
  if (uptime) out.push(uptime + ' de navegaci\u00f3n');
  if (p.vigencia_minutos) out.push('V\u00e1lido por ' + secondsText(Number(p.vigencia_minutos) * 60));
  const bytes = bytesText(p.limit_bytes_total);
  if (bytes) out.push(bytes + ' de datos');
  const det = p.detalles;
  if (det && typeof det === 'object' && !Array.isArray(det)) {
    const fields = det as Record<string, unknown>;
    Object.keys(fields).slice(0, 3).forEach((k) => {
      const v = fields[k];
      if (v == null || typeof v === 'object') return;
      out.push(k.charAt(0).toUpperCase() + k.slice(1).replace(/_/g, ' ') + ': ' + v);
    });
  } else if (Array.isArray(det)) {
    det.slice(0, 3).forEach((v: unknown) => { if (typeof v === 'string') out.push(v); });
  }
  return out;
}
export function renderPlans(): void {
  const list = $('plan-list');
  list.textContent = '';
  state.products.forEach((p) => {
    const b = el('button', 'plan');
    b.type = 'button';
    b.setAttribute('role', 'radio');
    b.setAttribute('aria-checked', state.product && state.product.id === p.id ? 'true' : 'false');
    b.dataset.productoId = String(p.id);
    if (p.destacado) b.appendChild(el('span', 'badge', 'Recomendado'));
    b.appendChild(el('span', 'plan__name', p.nombre_venta));
    b.appendChild(el('span', 'plan__price', formatMoney(p.precio, p.moneda)));
    if (p.descripcion) b.appendChild(el('span', 'plan__desc', p.descripcion));
    const meta = planMeta(p);
    if (meta.length) {
      const m = el('span', 'plan__meta');
      meta.forEach((t) => { m.appendChild(el('span', 'chip', t)); });
      b.appendChild(m);
    }
    if (p.imagen_url && !SANDBOX && /^https:\/\//.test(p.imagen_url)) {
      const img = el('img', 'plan__img');
      img.alt = '';
      img.loading = 'lazy';
      img.src = p.imagen_url;
      img.onerror = () => { img.remove(); };
      b.insertBefore(img, b.firstChild);
    }
    b.addEventListener('click', () => { selectPlan(p); });
    list.appendChild(b);
  });
}
function selectPlan(p: Producto): void {
  if (state.busy) return;
  state.product = p;
  state.attempt = null;
  renderPlans();
  setText($('plan-summary'), '');
  const summary = $('plan-summary');
  summary.appendChild(el('span', 'summary__name', p.nombre_venta));
  summary.appendChild(el('span', 'summary__price', formatMoney(p.precio, p.moneda)));
  setText($('pay-button'), 'Pagar ' + formatMoney(p.precio, p.moneda));
  notice($('form-error'), HS.loggedIn ? alreadyConnectedText() : '', HS.loggedIn ? 'warn' : '');
  show($('retry-button'), false);
  show($('pay-button'), true);
  show($('result'), false);
  show($('checkout'), true);
  setupGatewayChoice();
  $('checkout').scrollIntoView({ behavior: 'smooth', block: 'start' });
}
function applyPublicConfig(pub: PublicConfig | null): void {
  state.pub = pub;
  if (pub && pub.empresa && pub.empresa.nombre) {
    setText($('empresa-nombre'), pub.empresa.nombre);
    document.title = pub.empresa.nombre + ' \u00b7 Internet WiFi';
  }
  if (pub && pub.router) setText($('router-ubicacion'), pub.router.ubicacion || pub.router.nombre || '');
  const empresa = (pub && pub.empresa) || {};
  const logo = $<HTMLImageElement>('empresa-logo');
  if (logo && empresa.logo_url) {
    logo.onerror = () => { show(logo, false); show($('brand-icon'), true); };
    logo.src = /^https?:/.test(empresa.logo_url) ? empresa.logo_url : API_BASE + empresa.logo_url;
    logo.alt = 'Logo de ' + (empresa.nombre || 'la empresa');
    show(logo, true);
    show($('brand-icon'), false);
  }
  const contacto = empresa.contacto || {};
  const partes = [contacto.texto, contacto.telefono, contacto.email].filter((v) => v);
  setText($('empresa-contacto'), partes.length ? sentence('\u00bfDudas con tu pago? Contacto: ' + partes.join(' \u00b7 ')) : '');
  show($('empresa-contacto'), partes.length > 0);
  setText($('aviso-texto'), empresa.aviso_privacidad || '');
  show($('aviso-privacidad'), Boolean(empresa.aviso_privacidad));
  state.prueba = pub && pub.prueba && pub.prueba.activa ? { minutos: Number(pub.prueba.minutos) || 0 } : null;
  renderTrial();
}
export function loadPortal(): Promise<void> {
  const status = $('plans-status');
  status.className = 'loading';
  setText(status, 'Cargando planes\u2026');
  show(status, true);
  show($('plans-retry'), false);
  const pubReq = api<PublicConfig>('GET', '/api/v1/config/public').then((r) => r.data, (err) => {
    if (httpStatus(err) === 401) throw err;
    return null; // the catalog still works with the keys in config.js
  });
  const catReq = api('GET', '/api/v1/catalogo_perfiles_venta').then((r) => r.data);
  return Promise.all([pubReq, catReq]).then(([pub, catalog]) => {
    applyPublicConfig(pub);
    computeGateways();
    updatePhoneLabel();
    const items: Producto[] = Array.isArray(catalog) ? catalog : (catalog && (catalog.productos || catalog.items)) || [];
    state.products = items.filter((p) => p && p.id != null);
    if (state.product) {
      const chosen = state.product;
      state.product = state.products.filter((p) => p.id === chosen.id)[0] || null;
      if (!state.product) show($('checkout'), false);
    }
    renderPlans();
    if (!state.products.length) {
      status.className = 'notice notice--warn';
      setText(status, 'Por ahora no hay planes a la venta en este punto de acceso. Pregunta al encargado del lugar.');
    } else if (!state.gateways.length) {
      status.className = 'notice notice--warn';
      setText(status, 'Los pagos con tarjeta no est\u00e1n disponibles en este momento. Pregunta al encargado del lugar.');
    } else {
      show(status, false);
    }
  }, (err) => {
    status.className = 'notice notice--error';
    setText(status, 'No pudimos cargar los planes. ' + explain(err, 'catalog'));
    show($('plans-retry'), !(httpStatus(err) === 401));
  });
}
