/**
 * Company logos (the original's POST /api/v1/admin/mi-empresa/logo).
 *
 * The original trusted the file extension, had no size limit and wrote to the
 * web dyno's disk, which Heroku wipes on every restart. Here the type is decided
 * by the file's first bytes (PNG, JPEG or WebP only), the size is capped, and
 * the image lives in PostgreSQL (`empresa_logos`, bytea), so every web process
 * serves it and it survives restarts. It is served without auth at
 * `/static/logos/<nombre>`, the original's URL shape; a name is never reused,
 * so it is cached for a long time.
 *
 * An upload is decoded (src/platform/images.ts: bounded in pixels, off the event
 * loop) and only its re-encoded PNG, at most LOGO_MAX_SIDE pixels a side, is kept:
 * bytes that merely start like an image never reach pdfkit or a browser.
 */
import crypto from 'node:crypto';
import { BadRequestError, NotFoundError, ValidationError } from '../../platform/errors';
import { IMAGE_MAX_PIXELS, ImageRejected, LOGO_MAX_SIDE, normalizeToPng } from '../../platform/images';
import type { LogoStore } from './logos-store';

export const LOGO_MAX_BYTES = 1024 * 1024;
export const LOGO_PATH = '/static/logos';
const NAME = /^logo_EMP_[0-9A-F]{10}_[0-9a-f]{12}\.(png|jpg|webp)$/;

export const logoUrl = (nombre: string | null | undefined): string | null => (nombre ? `${LOGO_PATH}/${nombre}` : null);

/** The image type by its magic bytes, whatever the file is called. */
export function sniffImage(data: Buffer): { contentType: string; ext: 'png' | 'jpg' | 'webp' } | null {
  if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return { contentType: 'image/png', ext: 'png' };
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return { contentType: 'image/jpeg', ext: 'jpg' };
  if (data.length >= 12 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP') return { contentType: 'image/webp', ext: 'webp' };
  return null;
}

const MAX_SIDE_PX = Math.sqrt(IMAGE_MAX_PIXELS);

/** The upload decoded and re-encoded as a small PNG, or a 422 that says why not. */
async function decoded(data: Buffer): Promise<Buffer> {
  try {
    return (await normalizeToPng(data, LOGO_MAX_SIDE)).png;
  } catch (error) {
    if (!(error instanceof ImageRejected)) throw error;
    if (error.problem === 'too_large') {
      throw new ValidationError(`La imagen es demasiado grande: máximo ${MAX_SIDE_PX}×${MAX_SIDE_PX} píxeles. Reduzca su tamaño e intente de nuevo.`, 'file', { code: 'image_too_large' });
    }
    throw new ValidationError('La imagen está dañada o no se puede leer. Guárdela de nuevo como PNG, JPEG o WebP e intente otra vez.', 'file', { code: 'invalid_image' });
  }
}

export function createLogoService(deps: { logos: LogoStore }) {
  const store = deps.logos;
  return {
    async upload(empresaId: string, data: Buffer) {
      if (data.length === 0) throw new BadRequestError('El archivo está vacío');
      if (data.length > LOGO_MAX_BYTES) throw new BadRequestError(`La imagen supera el tamaño máximo de ${LOGO_MAX_BYTES / 1024} KB`);
      const kind = sniffImage(data);
      if (!kind) throw new BadRequestError('Formato de imagen no permitido. Use PNG, JPEG o WebP.');
      const png = await decoded(data);
      const nombre = `logo_${empresaId}_${crypto.randomBytes(6).toString('hex')}.png`;
      if (!(await store.replace(empresaId, { nombre, contentType: 'image/png', data: png }))) throw new NotFoundError('Empresa no encontrada');
      return { message: 'Logo actualizado correctamente', logo_url: logoUrl(nombre)!, content_type: 'image/png', bytes: png.length };
    },
    async serve(nombre: string) {
      const row = NAME.test(nombre) ? await store.get(nombre) : undefined;
      if (!row) throw new NotFoundError('Logo no encontrado');
      return { contentType: row.content_type, data: row.contenido };
    },
  };
}

export type LogoService = ReturnType<typeof createLogoService>;
