/**
 * Bull Board at /admin/queues for operators. Browsers cannot send our bearer
 * tokens to a plain page, so the panel exchanges its session once
 * (`POST /api/v1/auth/sesion-colas`, the session's bearer token) for an
 * HttpOnly, SameSite=Strict cookie scoped to /admin/queues that carries that
 * same session (so logout, a password change or deactivation end it too), and
 * never puts a token in a URL. Without the cookie the board asks for HTTP Basic
 * credentials: a super admin's email and password, rate-limited like the login.
 */
import type { Next } from 'koa';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { KoaAdapter } from '@bull-board/koa';
import type { AuthService, LoginGuard } from '../auth';
import type { JobQueues } from '../../platform/jobs/queues';
import type { AppContext, Authenticator } from '../../platform/http/context';
import type { ApiRouter } from '../../platform/http/api-router';
import { errorResponse, object, str } from '../../platform/http/schemas';
import { ForbiddenError, UnauthorizedError } from '../../platform/errors';

export const BULL_BOARD_PATH = '/admin/queues';
/** The board's session cookie (issue 23): HttpOnly, SameSite=Strict, Path=/admin/queues. */
export const BOARD_COOKIE = 'pagos_colas';
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

/** The exchange: the panel's session (bearer) becomes the board's cookie; its answer carries no token. */
export function registerBullBoardSessionRoute(api: ApiRouter, deps: { secureCookies: boolean }) {
  api.add({
    method: 'post', path: '/api/v1/auth/sesion-colas', auth: 'super_admin', tags: ['Autenticación'],
    summary: 'Abrir el tablero de colas con la sesión del panel (cookie HttpOnly para /admin/queues)',
    description: 'Cambia la sesión del panel (Bearer) por una cookie HttpOnly, SameSite=Strict, limitada a `/admin/queues` y con la misma '
      + 'vigencia que la sesión; cerrar sesión la invalida. El token nunca viaja en una URL.',
    responses: {
      200: { description: 'Cookie emitida', schema: object({ message: str(), url: str() }), example: { message: 'Tablero de colas listo', url: BULL_BOARD_PATH } },
      401: errorResponse('Sin sesión', 'No autenticado'),
      403: errorResponse('No es super admin', 'Se requiere rol SUPER_ADMIN'),
    },
    handler(ctx) {
      const token = /^Bearer\s+(.+)$/i.exec(ctx.get('authorization'))?.[1]?.trim() ?? '';
      const exp = ctx.state.user?.claims.exp;
      // Behind a TLS-terminating proxy Koa may not see https: the public URL says it is.
      if (deps.secureCookies) (ctx.cookies as unknown as { secure: boolean }).secure = true;
      ctx.cookies.set(BOARD_COOKIE, token, {
        httpOnly: true, sameSite: 'strict', path: BULL_BOARD_PATH, secure: deps.secureCookies, overwrite: true,
        ...(exp ? { expires: new Date(exp * 1000) } : {}),
      });
      ctx.set('Cache-Control', 'no-store');
      return { message: 'Tablero de colas listo', url: BULL_BOARD_PATH };
    },
  });
}

export function bullBoard(deps: { auth: AuthService; loginGuard: LoginGuard; jobs: JobQueues; userFromToken?: Authenticator['userFromToken'] }) {
  const adapter = new KoaAdapter();
  adapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: Object.values(deps.jobs.queues).map((q) => new BullMQAdapter(q)),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Pagos Hotspot' } },
  });
  const board = adapter.registerPlugin();

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
    const cookie = ctx.cookies.get(BOARD_COOKIE);
    if (cookie && deps.userFromToken && !ctx.get('authorization')) {
      // The panel's session, exchanged once: valid while the session is (logout and password changes end it).
      const session = await deps.userFromToken(cookie).catch(() => null);
      if (!session) {
        ctx.cookies.set(BOARD_COOKIE, null, { path: BULL_BOARD_PATH });
        return challenge(ctx, 'La sesión del tablero terminó: ábralo de nuevo desde el panel');
      }
      if (session.rol !== 'super_admin') {
        ctx.status = 403;
        ctx.body = { detail: 'Se requiere rol SUPER_ADMIN', code: 'forbidden' };
        return;
      }
      await board(ctx as never, next);
      if (typeof ctx.body === 'string' && /html/.test(ctx.type)) {
        ctx.body = ctx.body.replace(REMOTE_FONTS, '');
        ctx.set('Content-Security-Policy', BOARD_CSP);
      }
      return;
    }
    const credentials = parseBasic(ctx.get('authorization'));
    if (!credentials) return challenge(ctx, 'Se requieren credenciales de super_admin');
    // The login's own check and limits: the email trimmed, failures counted, a success resets the count.
    const attempt = await deps.loginGuard(ctx, credentials.email);
    let user;
    try {
      // The board polls every few seconds: a success is remembered briefly (bcrypt is slow on purpose).
      user = await deps.auth.authenticate(credentials.email, credentials.password, { remember: true });
    } catch (error) {
      if (error instanceof UnauthorizedError) {
        await attempt.onFailure();
        return challenge(ctx, 'Credenciales incorrectas');
      }
      if (!(error instanceof ForbiddenError)) throw error;
    }
    // The password was right: the attempt is given back, whatever the role.
    if (user) await attempt.onSuccess();
    if (!user || user.rol !== 'super_admin') {
      ctx.status = 403;
      ctx.body = { detail: 'Se requiere rol SUPER_ADMIN', code: 'forbidden' };
      return;
    }
    await board(ctx as never, next);
    if (typeof ctx.body === 'string' && /html/.test(ctx.type)) {
      ctx.body = ctx.body.replace(REMOTE_FONTS, '');
      ctx.set('Content-Security-Policy', BOARD_CSP);
    }
  };
}
