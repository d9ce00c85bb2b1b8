/**
 * The captive portal of one router as a zip (GET /api/v1/admin/routers/{id}/portal.zip):
 * the files of `portal/` with `config.js` filled for that router, the
 * walled-garden lines to paste into the router, and instructions in Spanish.
 *
 * config.js carries the router's key in use (kept sealed for this: it is public
 * by design, every hotspot visitor's page holds it), so the portal works as it
 * is, from any origin (router-key routes answer CORS for any origin, see app.ts).
 * When the admin asks to regenerate, a fresh key is issued (the routers
 * service's regenerate, which revokes the old one) and written instead. A key
 * issued before keys were kept sealed exists only as its sha256: config.js then
 * carries a placeholder until the next regeneration, and the zip says so.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { NotFoundError } from '../../platform/errors';
import { ID_PATTERNS } from '../../platform/ids';
import type { RoutersStore } from './store';
import { ROUTER_NOT_FOUND } from './mis-routers-service';

/** The portal's folder in this repository (served files, never config.js as it is). */
export const PORTAL_DIR = path.resolve(__dirname, '..', '..', '..', 'portal');
export const PORTAL_FILES = ['login.html', 'portal.js', 'portal.css', 'md5.js'] as const;
export const PORTAL_OPTIONAL_FILES = ['alogin.html'] as const;
export const API_KEY_PLACEHOLDER = 'jwt_REEMPLAZAR_CON_LA_API_KEY_DEL_ROUTER';

const ROUTER_ID = new RegExp(ID_PATTERNS.router);

/** What the hotspot must let through before the customer pays (the README's installation guide, step 4). */
export function walledGardenLines(apiHost: string): string[] {
  return [
    `/ip hotspot walled-garden ip add action=accept dst-host=${apiHost} comment="Pagos Hotspot API"`,
    '/ip hotspot walled-garden ip add action=accept dst-host=cdn.conekta.io comment="Conekta.js"',
    '/ip hotspot walled-garden ip add action=accept dst-host=api.conekta.io comment="Conekta tokens"',
    '/ip hotspot walled-garden ip add action=accept dst-host=sdk.mercadopago.com comment="Mercado Pago SDK"',
    '/ip hotspot walled-garden ip add action=accept dst-host=api.mercadopago.com comment="Mercado Pago API"',
    '/ip hotspot walled-garden add dst-host=*.mercadopago.com',
    '/ip hotspot walled-garden add dst-host=*.mlstatic.com',
  ];
}

/** Where the key in config.js came from. */
export type KeySource = 'nueva' | 'actual' | 'ninguna';

/** config.js for one router's portal (the zip and the setup script's per-file download). */
export function portalConfigJs(input: { apiBaseUrl: string; apiKey: string; router: { id: string; nombre: string }; generado: Date; key: KeySource }): string {
  // JSON.stringify: values are written as JS string literals, whatever a router's name contains.
  const name = JSON.stringify(input.router.nombre).replace(/\*\//g, '* /');
  return `/*
 * Pagos Hotspot: configuración del portal del router ${input.router.id} (${name.slice(1, -1)}).
 * Generado el ${input.generado.toISOString()} por el panel.
 *
 *   apiBaseUrl   URL pública de la API, sin "/" al final.
 *   apiKey       API Key de este router (jwt_...).${input.key !== 'ninguna' ? '' : `
 *                AVISO: este archivo NO trae la API Key. Esta llave se emitió antes de que el
 *                servidor la guardara: pegue aquí la que se mostró al crear o regenerar el router,
 *                o descargue el portal de nuevo con "Generar una API Key nueva" (revoca la actual).`}
 *   mode         'live' carga Conekta.js y el SDK de Mercado Pago desde sus CDN.
 *
 * La API Key viaja en la página: es pública por diseño y solo sirve para este router
 * (catálogo, pagos y reconexión). Si se filtra, regenérela desde el panel.
 */
window.PAGOS_CONFIG = {
  apiBaseUrl: ${JSON.stringify(input.apiBaseUrl)},
  apiKey: ${JSON.stringify(input.apiKey)},
  mode: 'live',
  conektaPublicKey: '',
  mercadoPagoPublicKey: ''
};
`;
}

const KEY_NOTICE: Record<KeySource, string> = {
  nueva: 'config.js trae una API Key NUEVA para este router. La anterior quedó revocada: el portal que estaba instalado deja de funcionar hasta que suba estos archivos.',
  actual: 'config.js ya trae la API Key actual de este router: el portal funciona tal como viene y el que ya estaba instalado sigue funcionando.',
  ninguna: `AVISO: config.js NO trae la API Key (dice ${API_KEY_PLACEHOLDER}). La llave de este router se emitió antes de que el servidor la guardara. Edite config.js y pegue la API Key que se mostró al crear o regenerar el router, o descargue el portal de nuevo marcando "Generar una API Key nueva" (revoca la actual; desde entonces cada descarga la trae).`,
};

function instructions(input: { router: { id: string; nombre: string }; key: KeySource; files: string[]; apiBaseUrl: string }): string {
  const lines = [
    `Portal cautivo de Pagos Hotspot para el router ${input.router.nombre} (${input.router.id})`,
    '',
    KEY_NOTICE[input.key],
    '',
    'Instalación:',
    `1. Suba ${input.files.join(', ')} a la carpeta del hotspot del router (hotspot/ o flash/hotspot/) con WinBox/WebFig (Files), FTP o SCP.`,
    '   Revise que el perfil use esa carpeta: /ip hotspot profile set [find] html-directory=hotspot',
    '   y que su login-by incluya http-chap.',
    '2. Pegue en la terminal del router las líneas de walled-garden.rsc (o: /import walled-garden.rsc después de subirlo),',
    '   para que el teléfono llegue a la API y a las pasarelas de pago antes de conectarse.',
    '3. Use HTTPS en el hotspot (dns-name con un certificado válido): las pasarelas esperan los formularios de tarjeta en páginas HTTPS.',
    '',
    `No hace falta configurar nada en nuestro servidor: la API (${input.apiBaseUrl}) acepta al portal desde cualquier dirección.`,
    'No cambie las variables de RouterOS de login.html ($(mac), $(ip), $(link-login-only), $(chap-id)...).',
    '',
  ];
  return lines.join('\r\n');
}

export interface PortalDownload {
  fileName: string;
  apiKeyIncluded: boolean;
  /** nueva: issued by this download; actual: the key in use; ninguna: a placeholder (the key in use is kept only as a hash). */
  apiKey: KeySource;
  walledGarden: string[];
  /** The zip, produced while it is sent. */
  stream: Readable;
}

export function createPortalDownloads(deps: {
  store: Pick<RoutersStore, 'find'>;
  /** The routers service's regenerate (revokes the active key, issues a new one, in one transaction). */
  regenerate(empresaId: string, routerId: string): Promise<{ new_api_key: string }>;
  /** The key in use, unsealed (the routers service's currentApiKey); null when only its hash is kept. */
  currentKey(empresaId: string, routerId: string): Promise<string | null>;
  /**
   * Drops every process's cached portal key checks (the auth generation). Admin
   * writes get this from the app's middleware; this one is a GET, so it asks itself.
   */
  keysChanged(): Promise<void>;
  config: { publicBaseUrl: string };
  portalDir?: string;
}) {
  const portalDir = deps.portalDir ?? PORTAL_DIR;
  const apiBaseUrl = deps.config.publicBaseUrl.replace(/\/+$/, '');
  const apiHost = new URL(apiBaseUrl).hostname;

  async function portalFiles(): Promise<Array<{ name: string; content: Buffer }>> {
    const files: Array<{ name: string; content: Buffer }> = [];
    for (const name of PORTAL_FILES) files.push({ name, content: await readFile(path.join(portalDir, name)) });
    for (const name of PORTAL_OPTIONAL_FILES) {
      const content = await readFile(path.join(portalDir, name)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      });
      if (content) files.push({ name, content });
    }
    return files;
  }

  return {
    async download(empresaId: string, routerId: string, options: { regenerar: boolean }): Promise<PortalDownload> {
      const router = ROUTER_ID.test(routerId) ? await deps.store.find(empresaId, routerId) : undefined;
      if (!router) throw new NotFoundError(ROUTER_NOT_FOUND);
      // Read everything before a key is issued: a missing file must not cost the router its key.
      const files = await portalFiles();
      let apiKey = API_KEY_PLACEHOLDER;
      let key: KeySource = 'ninguna';
      if (options.regenerar) {
        apiKey = (await deps.regenerate(empresaId, router.id)).new_api_key;
        key = 'nueva';
        await deps.keysChanged();
      } else {
        const current = await deps.currentKey(empresaId, router.id);
        if (current) { apiKey = current; key = 'actual'; }
      }
      const walledGarden = walledGardenLines(apiHost);
      const generado = new Date();

      const zip = new ZipFile();
      const mtime = generado;
      for (const f of files) zip.addBuffer(f.content, `portal/${f.name}`, { mtime });
      zip.addBuffer(Buffer.from(portalConfigJs({ apiBaseUrl, apiKey, router, generado, key }), 'utf8'), 'portal/config.js', { mtime });
      zip.addBuffer(Buffer.from(`# Pagos Hotspot: walled garden del router ${router.id}\r\n${walledGarden.join('\r\n')}\r\n`, 'utf8'), 'walled-garden.rsc', { mtime });
      zip.addBuffer(Buffer.from(instructions({ router, key, files: [...files.map((f) => f.name), 'config.js'], apiBaseUrl }), 'utf8'), 'LEEME.txt', { mtime });
      zip.end();
      return {
        fileName: `portal-${router.id}.zip`,
        apiKeyIncluded: key !== 'ninguna',
        apiKey: key,
        walledGarden,
        stream: zip.outputStream as Readable,
      };
    },
  };
}

export type PortalDownloads = ReturnType<typeof createPortalDownloads>;
