/** The company logo: upload (cliente admin, multipart `file`) and public serving (issue 13). */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { koaBody } from 'koa-body';
import type { LogoService } from './logos';
import { LOGO_MAX_BYTES, LOGO_PATH } from './logos';
import { BadRequestError } from '../../platform/errors';
import type { ApiRouter } from '../../platform/http/api-router';
import type { AppContext } from '../../platform/http/context';
import { errorResponse, object, str } from '../../platform/http/schemas';
import { clienteErrors, empresaOf } from '../../platform/http/cliente-common';

/**
 * Multipart is parsed only here, after the session was checked, into a temporary
 * folder of this request's own, bounded by the size cap (formidable stops at
 * maxFileSize); the bytes then go to PostgreSQL. The folder is removed on every
 * path, including a refused upload (formidable leaves what it had written when it
 * gives up on the second file or an oversized one).
 */
const ONE_FILE = 'Envíe un solo archivo, en el campo "file"';

function uploadProblem(error: unknown): BadRequestError {
  const code = (error as { code?: number }).code;
  if (code === 1009 || code === 1016) return new BadRequestError(`La imagen supera el tamaño máximo de ${LOGO_MAX_BYTES / 1024} KB`, { code: 'payload_too_large' });
  if (code === 1015) return new BadRequestError(ONE_FILE);
  return new BadRequestError('No se pudo leer el archivo enviado (multipart/form-data con el campo "file")');
}

async function readUpload(ctx: AppContext): Promise<Buffer> {
  if (!ctx.is('multipart')) throw new BadRequestError('Envíe la imagen como multipart/form-data en el campo "file"');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pagos-logo-'));
  try {
    const multipart = koaBody({
      multipart: true, json: false, urlencoded: false, text: false,
      formidable: { uploadDir: dir, maxFiles: 1, maxFileSize: LOGO_MAX_BYTES, maxFields: 5, allowEmptyFiles: true, minFileSize: 0 },
      onError: (error) => { throw uploadProblem(error); },
    });
    await multipart(ctx as never, async () => undefined);
    const files = (ctx.request as { files?: Record<string, unknown> }).files ?? {};
    if (Object.values(files).flat().length > 1) throw new BadRequestError(ONE_FILE);
    const file = files.file;
    const one = (Array.isArray(file) ? file[0] : file) as { filepath: string } | undefined;
    if (!one) throw new BadRequestError('Falta el archivo en el campo "file"');
    return await fs.readFile(one.filepath);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export function registerLogoRoutes(api: ApiRouter, deps: { logos: LogoService }) {
  api.add({
    method: 'post', path: '/api/v1/admin/mi-empresa/logo', auth: 'cliente_admin', tags: ['Cliente admin: mi empresa'],
    summary: 'Subir el logo de mi empresa (multipart, campo `file`: PNG, JPEG o WebP)',
    description: `El tipo se comprueba por el contenido del archivo (no por su nombre); máximo ${LOGO_MAX_BYTES / 1024} KB. `
      + 'La imagen se decodifica (máximo 4096×4096 píxeles) y se guarda re-codificada como PNG de hasta 512 píxeles por lado. '
      + 'Se guarda en PostgreSQL (sobrevive a reinicios y lo sirven todos los procesos web) y se publica en `logo_url`, '
      + 'que también aparece en `GET /api/v1/admin/mi-empresa` y en `GET /api/v1/config/public`.',
    responses: {
      200: {
        description: 'Logo guardado',
        schema: object({ message: str(), logo_url: str(), content_type: str(), bytes: { type: 'integer' } }),
        example: { message: 'Logo actualizado correctamente', logo_url: `${LOGO_PATH}/logo_EMP_3A9F1C0B2D_a1b2c3d4e5f6.png`, content_type: 'image/png', bytes: 18342 },
      },
      400: errorResponse('No es PNG, JPEG ni WebP, está vacío, pesa demasiado o llegó más de un archivo', 'Formato de imagen no permitido. Use PNG, JPEG o WebP.'),
      422: errorResponse('La imagen no se puede leer o tiene demasiados píxeles', 'La imagen está dañada o no se puede leer. Guárdela de nuevo como PNG, JPEG o WebP e intente otra vez.'),
      ...clienteErrors,
    },
    handler: async (ctx) => deps.logos.upload(empresaOf(ctx), await readUpload(ctx)),
  });

  api.add({
    method: 'get', path: `${LOGO_PATH}/:nombre`, auth: 'public', tags: ['Portal cautivo'],
    summary: 'Logo de una empresa (público, como en el servicio original)',
    params: object({ nombre: { type: 'string', maxLength: 80 } }, ['nombre']),
    responses: {
      200: { description: 'La imagen (image/png, image/jpeg o image/webp)', contentType: 'image/*' },
      404: errorResponse('No existe', 'Logo no encontrado'),
    },
    async handler(ctx, { params }) {
      const logo = await deps.logos.serve(params.nombre);
      ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.type = logo.contentType;
      ctx.body = logo.data;
      return undefined;
    },
  });
}
