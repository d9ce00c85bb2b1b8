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
 */
import crypto from 'node:crypto';
import { BadRequestError, NotFoundError } from '../../platform/errors';
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

export function createLogoService(deps: { logos: LogoStore }) {
  const store = deps.logos;
  return {
    async upload(empresaId: string, data: Buffer) {
      if (data.length === 0) throw new BadRequestError('El archivo está vacío');
      if (data.length > LOGO_MAX_BYTES) throw new BadRequestError(`La imagen supera el tamaño máximo de ${LOGO_MAX_BYTES / 1024} KB`);
      const kind = sniffImage(data);
      if (!kind) throw new BadRequestError('Formato de imagen no permitido. Use PNG, JPEG o WebP.');
      const nombre = `logo_${empresaId}_${crypto.randomBytes(6).toString('hex')}.${kind.ext}`;
      if (!(await store.replace(empresaId, { nombre, contentType: kind.contentType, data }))) throw new NotFoundError('Empresa no encontrada');
      return { message: 'Logo actualizado correctamente', logo_url: logoUrl(nombre)!, content_type: kind.contentType, bytes: data.length };
    },
    async serve(nombre: string) {
      const row = NAME.test(nombre) ? await store.get(nombre) : undefined;
      if (!row) throw new NotFoundError('Logo no encontrado');
      return { contentType: row.content_type, data: row.contenido };
    },
  };
}

export type LogoService = ReturnType<typeof createLogoService>;
