/**
 * Bull Board at /admin/queues for operators. Browsers cannot send our bearer
 * tokens to a plain page, so it asks for HTTP Basic credentials: a super
 * admin's email and password, rate-limited like the login endpoint.
 */
import crypto from 'node:crypto';
import type { Next } from 'koa';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { KoaAdapter } from '@bull-board/koa';
import type { PasswordHasher, UsuariosStore } from '../auth';
import type { JobQueues } from '../../platform/jobs/queues';
import type { AppContext } from '../../platform/http/context';
import type { RateLimits } from '../../platform/rate-limits';
import { TooManyRequestsError } from '../../platform/errors';

export const BULL_BOARD_PATH = '/admin/queues';
const VERIFIED_TTL_MS = 60_000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Browsers replay cached Basic credentials on cross-site form posts, so every
 * write must come from the board's own page: `Sec-Fetch-Site` when the browser
 * sends it, otherwise an Origin (or Referer) equal to ours. No header at all is
 * refused too: every browser sends Origin on a POST.
 */
export function isSameOrigin(ctx: Pick<AppContext, 'get' | 'host' | 'protocol'>): boolean {
  const site = ctx.get('sec-fetch-site');
  if (site) return site === 'same-origin' || site === 'none';
  const claimed = ctx.get('origin') || ctx.get('referer');
  if (!claimed || claimed === 'null') return false;
  try {
    const url = new URL(claimed);
    return url.host === ctx.host && url.protocol === `${ctx.protocol}:`;
  } catch {
    return false;
  }
}

/** The board's page as @bull-board/ui ships it loads IBM Plex from Google Fonts: it must work offline and leak nothing. */
const REMOTE_FONTS = /<link[^>]+href="https:\/\/fonts\.(?:googleapis|gstatic)\.com[^"]*"[^>]*>\s*/gi;
const BOARD_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
  "font-src 'self' data:", "connect-src 'self'", "frame-ancestors 'none'", "form-action 'self'", "base-uri 'self'",
].join('; ');

function parseBasic(header: string): { email: string; password: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return null;
  return { email: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function bullBoard(deps: { usuarios: Pick<UsuariosStore, 'findByEmail'>; passwords: PasswordHasher; rateLimits: RateLimits; jobs: JobQueues }) {
  const adapter = new KoaAdapter();
  adapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: Object.values(deps.jobs.queues).map((q) => new BullMQAdapter(q)),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Pagos Hotspot' } },
  });
  const board = adapter.registerPlugin();
  // bcrypt is slow on purpose; the board polls every few seconds. Remember a
  // successful check briefly, keyed by the stored hash so a password change or
  // reset invalidates it at once. `activo` and `rol` are re-read every request.
  const verified = new Map<string, number>();

  function challenge(ctx: AppContext, detail: string) {
    ctx.status = 401;
    ctx.set('WWW-Authenticate', 'Basic realm="Pagos Hotspot colas", charset="UTF-8"');
    ctx.body = { detail, code: 'unauthorized' };
  }

  return async (ctx: AppContext, next: Next) => {
    if (ctx.path !== BULL_BOARD_PATH && !ctx.path.startsWith(`${BULL_BOARD_PATH}/`)) return next();
    ctx.state.route = `${ctx.method} ${BULL_BOARD_PATH}`;
    if (!SAFE_METHODS.has(ctx.method) && !isSameOrigin(ctx)) {
      ctx.status = 403;
      ctx.body = { detail: 'Solicitud rechazada: las acciones del tablero de colas solo se aceptan desde su propia página', code: 'forbidden' };
      return;
    }
    const credentials = parseBasic(ctx.get('authorization'));
    if (!credentials) return challenge(ctx, 'Se requieren credenciales de super_admin');
    const detail = 'Demasiados intentos de inicio de sesión. Intente de nuevo en {s} segundos';
    const byEmail = `${credentials.email.toLowerCase()}|${ctx.ip}`;
    await deps.rateLimits.check('loginPerIp', ctx.ip, detail);
    await deps.rateLimits.check('loginPerEmailIp', byEmail, detail);
    await deps.rateLimits.check('loginPerAccount', credentials.email.toLowerCase(), detail);
    const user = await deps.usuarios.findByEmail(credentials.email);
    const cacheKey = crypto.createHash('sha256').update(`${user?.password_hash ?? ''}\0${credentials.password}`).digest('hex');
    const cachedUntil = verified.get(cacheKey) ?? 0;
    const ok = user && (cachedUntil > Date.now() || (await deps.passwords.verify(credentials.password, user.password_hash)));
    if (!ok) {
      await deps.rateLimits.consume('loginPerEmailIp', byEmail, detail).catch((e: unknown) => { if (!(e instanceof TooManyRequestsError)) throw e; });
      await deps.rateLimits.consume('loginPerIp', ctx.ip, detail).catch((e: unknown) => { if (!(e instanceof TooManyRequestsError)) throw e; });
      await deps.rateLimits.consume('loginPerAccount', credentials.email.toLowerCase(), detail).catch((e: unknown) => { if (!(e instanceof TooManyRequestsError)) throw e; });
      return challenge(ctx, 'Credenciales incorrectas');
    }
    if (!user.activo || user.rol !== 'super_admin') {
      ctx.status = 403;
      ctx.body = { detail: 'Se requiere rol SUPER_ADMIN', code: 'forbidden' };
      return;
    }
    if (verified.size > 1000) verified.clear();
    verified.set(cacheKey, Date.now() + VERIFIED_TTL_MS);
    await board(ctx as never, next);
    if (typeof ctx.body === 'string' && /html/.test(ctx.type)) {
      ctx.body = ctx.body.replace(REMOTE_FONTS, '');
      ctx.set('Content-Security-Policy', BOARD_CSP);
    }
  };
}
