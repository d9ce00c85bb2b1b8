/** The hotspot: RouterOS's page variables (empty when the page does not come from a router) and its login form. */
import { $, notice } from './dom';

function tplValue(value: unknown): string {
  const v = value == null ? '' : String(value);
  return v.indexOf('$(') !== -1 ? '' : v;
}
function normalizeMac(value: string): string {
  const v = String(value || '').trim();
  return /^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$/.test(v) ? v.toUpperCase().replace(/-/g, ':') : '';
}
function validIp(value: string): string {
  const v = String(value || '').trim();
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(v)) return '';
  return v.split('.').every((o) => Number(o) <= 255) ? v : '';
}
/** Only http(s) destinations are followed: `$(link-orig)` is whatever URL the phone asked for. */
function safeLink(value: string): string {
  const v = String(value || '').trim();
  if (!v) return '';
  try {
    const url = new URL(v, window.location.href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : '';
  } catch {
    return '';
  }
}

const hsNode = $('hotspot');
const hsData: DOMStringMap = hsNode ? hsNode.dataset : {};
const hsForm = document.getElementById('hotspot-login') as HTMLFormElement | null;
const chap = window.PAGOS_CHAP || {};
/** The hotspot's form fields (RouterOS's `sendin` form in login.html). */
function field(name: string): HTMLInputElement | null {
  return hsForm ? (hsForm.elements.namedItem(name) as HTMLInputElement | null) : null;
}

export const HS = {
  mac: normalizeMac(tplValue(hsData.mac)),
  ip: validIp(tplValue(hsData.ip)),
  error: tplValue(hsData.error).trim(),
  linkOrig: safeLink(tplValue(hsData.linkOrig)),
  username: tplValue(hsData.username).trim(),
  loggedIn: tplValue(hsData.loggedIn).trim() === 'yes',
  loginAction: hsForm ? tplValue(hsForm.getAttribute('action')).trim() : '',
  // The router's own trial login (issue 24): offered by the hotspot ("yes"), taken with username T-<MAC>.
  trial: tplValue(hsData.trial).trim() === 'yes',
  linkLogout: safeLink(tplValue(hsData.linkLogout)),
  macEsc: tplValue(hsData.macEsc).trim(),
  linkOrigEsc: tplValue(hsData.linkOrigEsc).trim(),
  chapId: tplValue(chap.id),
  chapChallenge: tplValue(chap.challenge),
};
/** The service can log this device in by itself (it knows its MAC and IP). */
export const DEVICE_KNOWN = Boolean(HS.mac && HS.ip);

/** The hotspot form's `dst` is where the router sends the phone after login: http(s) only there too. */
export function sanitizeLoginDestination(): void {
  const dst = field('dst');
  if (dst && !safeLink(tplValue(dst.value))) dst.value = '';
}

export function alreadyConnectedText(): string {
  return 'Este dispositivo ya est\u00e1 conectado a internet' + (HS.username ? ' con el usuario ' + HS.username : '') +
    '. No necesitas comprar otro plan para seguir navegando.';
}

export function hotspotErrorText(message: string): string {
  const l = String(message).toLowerCase();
  if (l.indexOf('invalid username or password') >= 0 || l.indexOf('invalid password') >= 0 || l.indexOf('no such user') >= 0) return 'Usuario o contrase\u00f1a incorrectos.';
  if (l.indexOf('trial') >= 0) return 'Ya usaste la prueba gratuita en este dispositivo (o no est\u00e1 disponible). Para pagar desde tu banco usa otro dispositivo o tus datos m\u00f3viles.';
  if (l.indexOf('no more sessions') >= 0) return 'Este usuario ya se est\u00e1 usando en otro dispositivo.';
  if (l.indexOf('already logged') >= 0) return 'Este dispositivo ya tiene una sesi\u00f3n activa con otro usuario. Ya puedes navegar, o cierra esa sesi\u00f3n para usar otro usuario.';
  if (l.indexOf('uptime limit') >= 0) return 'Se termin\u00f3 el tiempo de tu plan. Compra un plan nuevo para seguir navegando.';
  if (l.indexOf('traffic limit') >= 0 || l.indexOf('bytes') >= 0) return 'Alcanzaste el l\u00edmite de datos de tu plan. Compra un plan nuevo.';
  if (l.indexOf('disabled') >= 0) return 'Este usuario est\u00e1 deshabilitado. Si crees que es un error, avisa al encargado.';
  if (l.indexOf('mac') >= 0) return 'Este usuario no puede usarse desde este dispositivo.';
  if (l.indexOf('radius') >= 0 || l.indexOf('timeout') >= 0) return 'El servidor del hotspot no respondi\u00f3. Intenta de nuevo en unos momentos.';
  // Anything else RouterOS says is English and technical: never shown to the customer.
  return 'El punto de acceso no pudo iniciar tu sesi\u00f3n. Revisa tu usuario y contrase\u00f1a e intenta de nuevo.';
}

/** Logs the device in through the hotspot's own form (CHAP when the router asks for it). */
export function hotspotLogin(usuario: string, contrasena: string, errorNode: HTMLElement): boolean {
  if (!HS.loginAction || !hsForm) {
    notice(errorNode, 'Para conectarte abre esta p\u00e1gina desde la red WiFi del hotspot, o escribe tu usuario y contrase\u00f1a en la p\u00e1gina de inicio de sesi\u00f3n del hotspot.', 'warn');
    return false;
  }
  let password = contrasena;
  if (HS.chapId) {
    if (typeof window.hexMD5 !== 'function') {
      notice(errorNode, 'No se pudo preparar el inicio de sesi\u00f3n (falta md5.js). Avisa al encargado.', 'error');
      return false;
    }
    password = window.hexMD5(HS.chapId + contrasena + HS.chapChallenge);
  }
  field('username')!.value = usuario;
  field('password')!.value = password;
  hsForm.submit();
  return true;
}

/** The router's trial login link (RouterOS: $(link-login-only)?dst=$(link-orig-esc)&username=T-$(mac-esc)). */
export function trialUrl(): string {
  if (!HS.loginAction || !HS.mac || !/^https?:\/\//.test(HS.loginAction)) return '';
  return HS.loginAction + '?dst=' + (HS.linkOrigEsc || '') + '&username=T-' + (HS.macEsc || encodeURIComponent(HS.mac));
}
/** Ends this device's hotspot session (the trial) before logging in with the plan's credentials. */
export function trialLogout(): Promise<void> {
  if (!HS.linkLogout || typeof fetch !== 'function') return Promise.resolve();
  return fetch(HS.linkLogout, { credentials: 'include', cache: 'no-store' }).then(() => { HS.loggedIn = false; }, () => { HS.loggedIn = false; });
}
