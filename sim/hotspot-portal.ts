/**
 * The MikroTik hotspot's web server, as a customer's phone sees it, for the
 * demo and the browser test: it serves the `portal/` folder the way RouterOS
 * serves the hotspot folder.
 *
 * - HTML pages are templates: `$(mac)`, `$(ip)`, `$(link-login-only)`,
 *   `$(link-orig)`, `$(error)`, `$(chap-id)`, `$(chap-challenge)`, … are
 *   replaced per device, CHAP values as octal escapes like RouterOS does.
 * - `POST /login` is the hotspot login: it checks the CHAP answer
 *   (md5(chap-id + password + chap-challenge)) or the plain password against
 *   the simulated router's hotspot users, logs the device in on the simulator
 *   and shows `alogin.html`; on failure it shows the login page again with
 *   `$(error)` set to RouterOS's message. With no local user of that name and
 *   the router in RADIUS-client mode, the router asks its RADIUS server
 *   (Access-Request with the CHAP answer and challenge, or PAP).
 * - `config.js` (and any other generated file) comes from the caller.
 *
 * - The router's trial (issue 24): `$(trial)` is "yes" when the hotspot's
 *   server profile allows it; `GET /login?username=T-<MAC>` takes it (once per
 *   device and period, on the simulated router) and `GET /logout` ends the
 *   device's session, as RouterOS's `$(link-logout)` does.
 *
 * The device is chosen by `?mac=…&ip=…` on the login URL (remembered in a
 * cookie), standing in for what the real router learns from the network.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { RouterState } from './routeros';

export interface HotspotDevice {
  mac: string;
  ip: string;
}

export interface HotspotPortalOptions {
  /** The folder an operator would upload (portal/). */
  root: string;
  port?: number;
  host?: string;
  /** Generated files, by path ('/config.js'), computed per request. */
  generated?: Record<string, (req: http.IncomingMessage) => { type: string; body: string }>;
  /** The simulated router whose hotspot users can log in. */
  router?: RouterState;
  /** The device used when the URL names none. */
  defaultDevice?: HotspotDevice;
  /** Send CHAP challenges (like a hotspot with `login-by=http-chap`); default true. */
  chap?: boolean;
  identity?: string;
}

export interface HotspotPortal {
  url: string;
  port: number;
  /** Every hotspot login attempt, newest last. */
  readonly logins: Array<{ username: string; device: HotspotDevice; ok: boolean; error?: string; method: 'chap' | 'pap' | 'trial' }>;
  /** Every logout, newest last. */
  readonly logouts: Array<{ device: HotspotDevice; user: string | null }>;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

const MAC = /^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** RouterOS writes CHAP bytes as octal escapes for a JavaScript string literal. */
const octal = (bytes: Buffer) => [...bytes].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');

const htmlEscape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

async function readBody(req: http.IncomingMessage, limit = 16 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startHotspotPortal(options: HotspotPortalOptions): Promise<HotspotPortal> {
  const root = path.resolve(options.root);
  const useChap = options.chap ?? true;
  const defaultDevice = options.defaultDevice ?? { mac: '02:00:00:00:00:01', ip: '10.5.50.10' };
  /** The CHAP challenge last sent to each device (key: mac). */
  const challenges = new Map<string, { id: Buffer; challenge: Buffer }>();
  const logins: HotspotPortal['logins'] = [];
  const logouts: HotspotPortal['logouts'] = [];
  let baseUrl = '';

  function deviceOf(req: http.IncomingMessage, query: URLSearchParams): { device: HotspotDevice; fromQuery: boolean } {
    const mac = query.get('mac');
    const ip = query.get('ip');
    if (mac && ip && MAC.test(mac) && IPV4.test(ip)) return { device: { mac: mac.toUpperCase().replace(/-/g, ':'), ip }, fromQuery: true };
    const saved = parseCookies(req.headers.cookie)['hotspot_device'];
    if (saved) {
      const [m, i] = saved.split('|');
      if (m && i && MAC.test(m) && IPV4.test(i)) return { device: { mac: m, ip: i }, fromQuery: false };
    }
    return { device: defaultDevice, fromQuery: false };
  }

  function render(file: string, vars: Record<string, string>): string {
    const text = fs.readFileSync(file, 'utf8');
    return text.replace(/\$\(([a-z0-9-]+)\)/g, (_, name: string) => vars[name] ?? '');
  }

  const activeSession = (device: HotspotDevice) => options.router?.printActiveSessions().find((s) => s.address === device.ip);

  /** The router's own address as this browser reached it. */
  const baseOf = (req: http.IncomingMessage) => (req.headers.host && /^[A-Za-z0-9.:[\]-]+$/.test(req.headers.host) ? `http://${req.headers.host}` : baseUrl);

  function loginVars(req: http.IncomingMessage, device: HotspotDevice, extra: { error?: string; dst?: string; username?: string } = {}): Record<string, string> {
    const base = baseOf(req);
    // Where the phone wanted to go before the hotspot caught it; offline, the hotspot's own status page.
    const dst = extra.dst || `${base}/status`;
    const vars: Record<string, string> = {
      mac: device.mac,
      ip: device.ip,
      'mac-esc': device.mac.replace(/:/g, '%3A'),
      identity: options.identity ?? 'HotspotDemo',
      'server-name': 'hotspot1',
      'link-login-only': `${base}/login`,
      'link-login': htmlEscape(`${base}/login?dst=${encodeURIComponent(dst)}`),
      'link-logout': `${base}/logout`,
      'link-status': `${base}/status`,
      'link-orig': htmlEscape(dst),
      'link-orig-esc': encodeURIComponent(dst),
      'link-redirect': htmlEscape(dst),
      error: htmlEscape(extra.error ?? ''),
      // Like RouterOS: "yes" when this device already has an active hotspot session (and its user).
      'logged-in': activeSession(device) ? 'yes' : 'no',
      username: htmlEscape(extra.username ?? activeSession(device)?.user ?? ''),
      'chap-id': '',
      'chap-challenge': '',
      // RouterOS: "yes" when the server profile's login-by has `trial`.
      trial: options.router?.hotspot.profileList.some((p) => p.name === 'hsprof1' && String(p['login-by']).split(',').includes('trial')) ? 'yes' : 'no',
    };
    return vars;
  }

  function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string | string[]> = {}) {
    res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers });
    res.end(body);
  }

  function showLogin(req: http.IncomingMessage, res: http.ServerResponse, device: HotspotDevice, extra: { error?: string; dst?: string; username?: string }, cookie?: string) {
    const vars = loginVars(req, device, extra);
    if (useChap) {
      const chap = { id: crypto.randomBytes(1), challenge: crypto.randomBytes(16) };
      challenges.set(device.mac, chap);
      vars['chap-id'] = octal(chap.id);
      vars['chap-challenge'] = octal(chap.challenge);
    }
    const body = render(path.join(root, 'login.html'), vars);
    send(res, 200, TYPES['.html']!, body, cookie ? { 'Set-Cookie': cookie } : {});
  }

  async function hotspotLogin(req: http.IncomingMessage, res: http.ServerResponse, device: HotspotDevice) {
    const form = new URLSearchParams(await readBody(req));
    const username = form.get('username') ?? '';
    const given = form.get('password') ?? '';
    const dst = form.get('dst') ?? '';
    const chap = challenges.get(device.mac);
    const user = options.router?.findUser(username);
    let error: string | undefined;
    let method: 'chap' | 'pap' = 'pap';
    let password = given;
    if (!user && options.router?.radius.enabled) {
      // No local user: the router asks its RADIUS server (CHAP: the browser's answer and our challenge travel as they are).
      const isChap = useChap && chap && /^[0-9a-f]{32}$/.test(given);
      method = isChap ? 'chap' : 'pap';
      try {
        await options.router.login(isChap
          ? { user: username, ip: device.ip, mac: device.mac, chap: { id: chap.id[0]!, challenge: chap.challenge, response: Buffer.from(given, 'hex') } }
          : { user: username, ip: device.ip, mac: device.mac, password: given });
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      logins.push({ username, device, ok: !error, error, method });
      if (error) showLogin(req, res, device, { error, dst, username });
      else showAlogin(req, res, device, dst, username);
      return;
    }
    if (!user) {
      error = 'invalid username or password';
    } else if (useChap && chap && /^[0-9a-f]{32}$/.test(given)) {
      method = 'chap';
      const expected = crypto.createHash('md5').update(Buffer.concat([chap.id, Buffer.from(String(user.password ?? ''), 'latin1'), chap.challenge])).digest('hex');
      if (expected !== given) error = 'invalid username or password';
      else password = String(user.password ?? '');
    }
    if (!error) {
      try {
        options.router!.loginActive({ user: username, password, ip: device.ip, mac: device.mac });
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
    }
    logins.push({ username, device, ok: !error, error, method });
    if (error) {
      showLogin(req, res, device, { error, dst, username });
      return;
    }
    showAlogin(req, res, device, dst, username);
  }

  function showAlogin(req: http.IncomingMessage, res: http.ServerResponse, device: HotspotDevice, dst: string, username: string) {
    const alogin = path.join(root, 'alogin.html');
    const vars = loginVars(req, device, { dst, username });
    if (fs.existsSync(alogin)) send(res, 200, TYPES['.html']!, render(alogin, vars));
    else send(res, 200, TYPES['.html']!, `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><p>Conectado como ${htmlEscape(username)}</p>`);
  }

  /** `GET /login?username=T-<MAC>`: the router's own trial for this device. */
  function trialLogin(req: http.IncomingMessage, res: http.ServerResponse, device: HotspotDevice, dst: string) {
    const username = `T-${device.mac}`;
    let error: string | undefined;
    try {
      options.router!.loginTrial({ ip: device.ip, mac: device.mac });
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    logins.push({ username, device, ok: !error, error, method: 'trial' });
    if (error) {
      showLogin(req, res, device, { error, dst });
      return;
    }
    const alogin = path.join(root, 'alogin.html');
    if (fs.existsSync(alogin)) send(res, 200, TYPES['.html']!, render(alogin, loginVars(req, device, { dst, username })));
    else send(res, 200, TYPES['.html']!, `<!doctype html><meta charset="utf-8"><p>Prueba gratuita activa</p>`);
  }

  /** `GET /logout`: the device's session ends (RouterOS shows logout.html; here a short page). */
  function logout(res: http.ServerResponse, device: HotspotDevice) {
    const session = activeSession(device);
    if (session) options.router!.removeActive(String(session['.id']));
    logouts.push({ device, user: session ? String(session.user) : null });
    send(res, 200, TYPES['.html']!, '<!doctype html><html lang="es"><meta charset="utf-8"><link rel="icon" href="data:,"><p>Sesi&oacute;n cerrada. <a href="/login">Iniciar sesi&oacute;n</a></p></html>');
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://hotspot.local');
    const { device, fromQuery } = deviceOf(req, url.searchParams);
    const cookie = fromQuery ? `hotspot_device=${encodeURIComponent(`${device.mac}|${device.ip}`)}; Path=/; SameSite=Lax` : undefined;
    const handle = async () => {
      const generated = options.generated?.[url.pathname];
      if (generated && req.method === 'GET') {
        const out = generated(req);
        send(res, 200, out.type, out.body);
        return;
      }
      if (url.pathname === '/login' && req.method === 'POST') {
        await hotspotLogin(req, res, device);
        return;
      }
      if (url.pathname === '/login' && req.method === 'GET' && /^T-/.test(url.searchParams.get('username') ?? '') && options.router) {
        trialLogin(req, res, device, url.searchParams.get('dst') ?? '');
        return;
      }
      if (url.pathname === '/logout' && (req.method === 'GET' || req.method === 'POST') && options.router) {
        logout(res, device);
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(res, 405, 'text/plain', 'method not allowed');
        return;
      }
      if (url.pathname === '/status' && !fs.existsSync(path.join(root, 'status.html'))) {
        const session = options.router?.printActiveSessions().find((s) => s.address === device.ip);
        const body = session
          ? `<p>Conectado como <b>${htmlEscape(String(session.user))}</b> desde ${htmlEscape(device.ip)}.</p><p>Tiempo de sesión: ${htmlEscape(String(session.uptime))}${session['session-time-left'] ? `; restante: ${htmlEscape(String(session['session-time-left']))}` : ''}.</p>`
          : `<p>Este dispositivo no tiene una sesión activa. <a href="/login">Iniciar sesión</a></p>`;
        send(res, 200, TYPES['.html']!, `<!doctype html><html lang="es"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><link rel="stylesheet" href="portal.css"><main class="wrap"><section class="card"><h2 class="card__title">Estado</h2>${body}</section></main></html>`);
        return;
      }
      if (url.pathname === '/' || url.pathname === '/login' || url.pathname === '/login.html') {
        showLogin(req, res, device, { dst: url.searchParams.get('dst') ?? undefined, error: url.searchParams.get('error') ?? undefined }, cookie);
        return;
      }
      const file = path.resolve(root, `.${decodeURIComponent(url.pathname)}`);
      const type = TYPES[path.extname(file)];
      if (!file.startsWith(`${root}${path.sep}`) || !type || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
        send(res, 404, 'text/plain; charset=utf-8', 'no encontrado');
        return;
      }
      if (path.extname(file) === '.html') send(res, 200, type, render(file, loginVars(req, device)));
      else send(res, 200, type, fs.readFileSync(file));
    };
    handle().catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain', 'error');
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = !options.host || options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  baseUrl = `http://${shownHost}:${port}`;

  return {
    url: baseUrl,
    port,
    logins,
    logouts,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
