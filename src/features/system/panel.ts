/**
 * The operators' panel (panel/, built by `npm run build` into panel/dist/) at
 * /panel/: hashed assets cached for a year, index.html for every other path
 * (the app routes itself), and a strict Content-Security-Policy: scripts and
 * everything else only from this origin, styles only from this origin or with
 * the nonce written into this response's index.html (Emotion, Material UI's
 * styling, puts it on the <style> elements it creates).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Next } from 'koa';
import type { AppContext } from '../../platform/http/context';

export const PANEL_PATH = '/panel';
export const PANEL_DIST = path.resolve(__dirname, '..', '..', '..', 'panel', 'dist');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon', '.webp': 'image/webp', '.woff2': 'font/woff2', '.txt': 'text/plain; charset=utf-8', '.map': 'application/json',
};

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'", "script-src 'self'", `style-src 'self' 'nonce-${nonce}'`, "img-src 'self' data: blob:", "font-src 'self'",
    "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
  ].join('; ');
}

export function panel(options: { root?: string } = {}) {
  const root = options.root ?? PANEL_DIST;
  return async (ctx: AppContext, next: Next) => {
    if (ctx.path !== PANEL_PATH && !ctx.path.startsWith(`${PANEL_PATH}/`)) return next();
    ctx.state.route = `${ctx.method} ${PANEL_PATH}`;
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.status = 405;
      ctx.set('Allow', 'GET, HEAD');
      ctx.body = { detail: 'Método no permitido', code: 'method_not_allowed' };
      return undefined;
    }
    if (ctx.path === PANEL_PATH) return ctx.redirect(`${PANEL_PATH}/${ctx.querystring ? `?${ctx.querystring}` : ''}`);

    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('X-Frame-Options', 'DENY');
    let relative: string;
    try {
      relative = decodeURIComponent(ctx.path.slice(PANEL_PATH.length + 1));
    } catch {
      relative = '';
    }
    const file = path.resolve(root, relative);
    const inside = file.startsWith(`${root}${path.sep}`) && !relative.split('/').includes('..');
    if (inside && path.basename(file) !== 'index.html') {
      const stat = await fs.promises.stat(file).catch(() => null);
      if (stat?.isFile()) {
        ctx.type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
        ctx.length = stat.size;
        ctx.lastModified = stat.mtime;
        ctx.set('Cache-Control', relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
        ctx.set('Content-Security-Policy', contentSecurityPolicy(crypto.randomBytes(16).toString('base64')));
        ctx.body = fs.createReadStream(file); // Koa sends no body for HEAD and closes the stream
        return undefined;
      }
    }
    // A missing file is a 404, never the app (a stale hashed name must not be cached as HTML).
    if (relative.startsWith('assets/') || /\.[a-z0-9]{1,6}$/i.test(relative)) {
      ctx.status = 404;
      ctx.body = { detail: 'Archivo no encontrado', code: 'not_found' };
      return undefined;
    }
    const html = await fs.promises.readFile(path.join(root, 'index.html'), 'utf8').catch(() => null);
    if (html === null) {
      ctx.status = 503;
      ctx.body = { detail: 'El panel no está compilado: ejecute npm run build', code: 'service_unavailable' };
      return undefined;
    }
    const nonce = crypto.randomBytes(16).toString('base64');
    ctx.set('Content-Security-Policy', contentSecurityPolicy(nonce));
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = TYPES['.html']!;
    ctx.body = html.replace(/__CSP_NONCE__/g, nonce);
    return undefined;
  };
}
