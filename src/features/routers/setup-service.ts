/**
 * The one-paste router setup (issue 22, item 6): builds the input of the pure
 * generator (setup-script.ts) for one router, and serves the portal's files
 * one by one at short-lived URLs (RouterOS `/tool fetch` downloads single
 * files and cannot unzip).
 *
 * Download tokens: 32 random bytes (base64url) in the URL path; Redis keeps,
 * under the token's sha256 and for `tokenTtlSeconds`, which router the files
 * are for and, when the admin asked for a new API key, that key (the router's
 * portal key is public by design: it is in every phone's page; the server
 * otherwise keeps only its hash, so a fresh one is the only one it can hand
 * out).
 *
 * RADIUS mode: the router's RADIUS secret and router token are opened from
 * their sealed columns and written into the script for its own company; a
 * RADIUS-mode router that has none yet gets them here, once.
 */
import crypto from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type Redis from 'ioredis';
import { NotFoundError, ServiceUnavailableError } from '../../platform/errors';
import { ID_PATTERNS } from '../../platform/ids';
import type { SecretBox } from '../../platform/crypto/secret-box';
import { ROUTER_NOT_FOUND } from './mis-routers-service';
import { API_KEY_PLACEHOLDER, PORTAL_DIR, PORTAL_FILES, PORTAL_OPTIONAL_FILES, portalConfigJs, type KeySource } from './portal-download';
import { renderSetupScript, type SetupScriptInput } from './setup-script';
import type { RouterSetupStore } from './setup-store';
import { issueRadiusCredentials } from './radius-service';

const ROUTER_ID = new RegExp(ID_PATTERNS.router);
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
export const PORTAL_FILE_NAMES = [...PORTAL_FILES, ...PORTAL_OPTIONAL_FILES, 'config.js'] as const;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};
export const DOWNLOAD_EXPIRED = 'El enlace de descarga no existe o ya venció: genere el script de configuración de nuevo desde el panel';

export interface RouterSetupConfig {
  publicBaseUrl: string;
  /** RADIUS mode settings (RADIUS_PUBLIC_ADDRESS, ports, the IPv4-only heartbeat URL). */
  radius: { publicAddress: string | null; authPort: number; acctPort: number; heartbeatUrl: string };
}

/** A download token's grant: a new key travels in it (30 min); the current one is read (sealed) when config.js is asked for. */
interface DownloadGrant { empresa_id: string; router_id: string; nombre: string; api_key: string | null; api_key_source?: KeySource }

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

export function createRouterSetup(deps: {
  store: RouterSetupStore;
  secrets: SecretBox;
  redis: Redis;
  regenerate(empresaId: string, routerId: string): Promise<{ new_api_key: string }>;
  /** The router's current key, kept sealed (null for a key stored only as a hash). */
  currentKey?(empresaId: string, routerId: string): Promise<string | null>;
  keysChanged(): Promise<void>;
  config: RouterSetupConfig;
  portalDir?: string;
  tokenTtlSeconds?: number;
  /** `radius-interim-update` written into the script. */
  interimUpdate?: string;
  now?: () => Date;
}) {
  const portalDir = deps.portalDir ?? PORTAL_DIR;
  const ttl = deps.tokenTtlSeconds ?? 30 * 60;
  const now = deps.now ?? (() => new Date());
  const apiBaseUrl = deps.config.publicBaseUrl.replace(/\/+$/, '');
  const grantKey = (token: string) => `portal-archivos:${sha256(token)}`;

  async function availableFiles(): Promise<string[]> {
    const out: string[] = [...PORTAL_FILES];
    for (const name of PORTAL_OPTIONAL_FILES) {
      const exists = await readFile(path.join(portalDir, name)).then(() => true, () => false);
      if (exists) out.push(name);
    }
    return [...out, 'config.js'];
  }

  async function radiusCredentials(empresaId: string, routerId: string, sealed: { radius_secret_enc: string | null; token_enc: string | null }) {
    if (sealed.radius_secret_enc && sealed.token_enc) {
      return { secret: deps.secrets.open(sealed.radius_secret_enc), token: deps.secrets.open(sealed.token_enc) };
    }
    // A router put in radius mode gets these from the routers service; one that somehow has none gets them here, once.
    const issued = issueRadiusCredentials(deps.secrets);
    const c = issued.columns;
    const wrote = await deps.store.fillRadiusCredentials(routerId, { radius_secret_enc: c.radius_secret_enc!, token_enc: c.token_enc!, token_hash: c.token_hash! });
    if (wrote) return { secret: issued.radiusSecret!, token: issued.token! };
    // Another request gave them first: use those.
    const again = await deps.store.find(empresaId, routerId);
    if (!again?.radius_secret_enc || !again.token_enc) throw new ServiceUnavailableError('No se pudo preparar el secreto RADIUS del router; intente de nuevo');
    return { secret: deps.secrets.open(again.radius_secret_enc), token: deps.secrets.open(again.token_enc) };
  }

  return {
    /** The script for a router of the company (404 for another company's). */
    async script(empresaId: string, routerId: string, options: { regenerar: boolean }): Promise<{ fileName: string; body: string; apiKeyIncluded: boolean }> {
      const router = ROUTER_ID.test(routerId) ? await deps.store.find(empresaId, routerId) : undefined;
      if (!router) throw new NotFoundError(ROUTER_NOT_FOUND);
      let radius: SetupScriptInput['radius'];
      if (router.modo === 'radius') {
        const r = deps.config.radius;
        if (!r.publicAddress) {
          throw new ServiceUnavailableError('El modo RADIUS no está configurado en este servidor (falta RADIUS_PUBLIC_ADDRESS): avise al administrador del servicio');
        }
        const { secret, token } = await radiusCredentials(empresaId, router.id, router);
        radius = {
          address: r.publicAddress, authPort: r.authPort, acctPort: r.acctPort, secret, routerToken: token,
          interimUpdate: deps.interimUpdate ?? '1m', heartbeatBaseUrl: r.heartbeatUrl,
        };
      }
      let apiKey: string | null = null;
      let source: KeySource = 'ninguna';
      if (options.regenerar) {
        apiKey = (await deps.regenerate(empresaId, router.id)).new_api_key;
        source = 'nueva';
        await deps.keysChanged();
      } else if (deps.currentKey && await deps.currentKey(empresaId, router.id)) {
        source = 'actual';
      }
      const token = crypto.randomBytes(32).toString('base64url');
      const grant: DownloadGrant = { empresa_id: empresaId, router_id: router.id, nombre: router.nombre, api_key: apiKey, api_key_source: source };
      await deps.redis.set(grantKey(token), JSON.stringify(grant), 'EX', ttl);
      const generatedAt = now();
      const files = await availableFiles();
      const body = renderSetupScript({
        router: { id: router.id, nombre: router.nombre },
        modo: router.modo,
        apiBaseUrl,
        portalFiles: files.map((name) => ({ name, url: `${apiBaseUrl}/api/v1/routers/portal/${token}/${name}` })),
        portalUrlsExpireAt: new Date(generatedAt.getTime() + ttl * 1000),
        apiKeyIncluded: source !== 'ninguna',
        generatedAt,
        radius,
        api: router.modo === 'api' ? { usuario: router.usuario, puerto: router.puerto, tls: router.tls } : undefined,
        trial: router.modo === 'radius' ? router.prueba : null,
      });
      return { fileName: `configuracion-${router.id}.rsc`, body, apiKeyIncluded: source !== 'ninguna' };
    },

    /** One portal file for a download token (404 when the token is unknown or expired, or the name is not a portal file). */
    async portalFile(token: string, name: string): Promise<{ type: string; body: Buffer }> {
      if (!TOKEN.test(token) || !(PORTAL_FILE_NAMES as readonly string[]).includes(name)) throw new NotFoundError(DOWNLOAD_EXPIRED);
      const stored = await deps.redis.get(grantKey(token));
      if (!stored) throw new NotFoundError(DOWNLOAD_EXPIRED);
      const grant = JSON.parse(stored) as DownloadGrant;
      const type = TYPES[path.extname(name)]!;
      if (name === 'config.js') {
        const current = grant.api_key === null && grant.api_key_source === 'actual' && deps.currentKey
          ? await deps.currentKey(grant.empresa_id, grant.router_id) : null;
        const apiKey = grant.api_key ?? current;
        const js = portalConfigJs({
          apiBaseUrl, apiKey: apiKey ?? API_KEY_PLACEHOLDER, router: { id: grant.router_id, nombre: grant.nombre },
          generado: now(), key: grant.api_key !== null ? 'nueva' : current ? 'actual' : 'ninguna',
        });
        return { type, body: Buffer.from(js, 'utf8') };
      }
      const body = await readFile(path.join(portalDir, name)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') throw new NotFoundError(DOWNLOAD_EXPIRED);
        throw error;
      });
      return { type, body };
    },
  };
}

export type RouterSetup = ReturnType<typeof createRouterSetup>;
