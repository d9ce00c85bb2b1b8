/** Super admin: admin users (super_admin and cliente_admin accounts). */
import type { UsuariosService } from './service';
import type { ApiRouter } from '../../platform/http/api-router';
import { errorResponse, object, password, pathParams, str, usuarioPublico } from '../../platform/http/schemas';
import { adminErrors, empresaNotFound, usuarioIdParam, validationError } from '../../platform/http/admin-common';
import { pageParams, searchParam, totalHeader, withTotal } from '../../platform/http/paging';
import { USUARIO_SORTS } from '../auth';
import { rolSchema as rol, usuarioCreateBody } from './schemas';

const tags = ['Super admin: usuarios'];
const usuarioNotFound = errorResponse('El usuario no existe', 'Usuario no encontrado');

const usuarioExample = {
  id: 2, email: 'admin@wifiplaza.mx', nombre: 'Juan Pérez', rol: 'cliente_admin', empresa_id: 'EMP_3A9F1C0B2D',
  activo: true, ultimo_login: null, creado_en: '2025-01-15T09:05:00.000Z',
};

export function registerAdminUsuariosRoutes(api: ApiRouter, deps: { usuarios: UsuariosService }) {
  const { usuarios } = deps;
  const byId = pathParams({ usuario_id: usuarioIdParam });

  api.add({
    method: 'post', path: '/admin/usuarios', auth: 'super_admin', tags,
    summary: 'Crear un usuario administrador (super_admin o cliente_admin)',
    description: 'Un cliente_admin requiere empresa_id de una empresa existente; un super_admin no lleva empresa. El email no distingue mayúsculas.',
    body: usuarioCreateBody,
    responses: {
      200: {
        description: 'Usuario creado',
        schema: object({ message: str(), usuario: usuarioPublico }, ['message', 'usuario']),
        example: { message: 'Usuario creado exitosamente', usuario: usuarioExample },
      },
      400: errorResponse('Email ya registrado, o super_admin con empresa_id', 'El email ya está registrado'),
      ...adminErrors,
      404: empresaNotFound,
      422: validationError("El campo 'empresa_id' es obligatorio"),
    },
    handler: (_ctx, { body }) => usuarios.create(body),
  });

  api.add({
    method: 'get', path: '/admin/usuarios', auth: 'super_admin', tags,
    summary: 'Listar usuarios, con filtros por rol, empresa y estado, orden y paginación',
    description: 'Sin `limit`, todos los que cumplen los filtros (como el original). El total, sin paginar, va en la cabecera `X-Total-Count`.',
    query: object({
      rol: { ...rol, description: 'Solo usuarios de este rol' },
      empresa_id: { type: 'string', maxLength: 64, pattern: '^[A-Za-z0-9_]+$', description: 'Solo usuarios de esta empresa', example: 'EMP_3A9F1C0B2D' },
      activo: { type: 'boolean', description: 'Solo usuarios activos (true) o inactivos (false)' },
      q: searchParam('el email y el nombre'),
      ...pageParams(USUARIO_SORTS),
    }),
    responses: {
      200: { description: 'Usuarios (una página)', schema: { type: 'array', items: usuarioPublico }, example: [usuarioExample], headers: totalHeader },
      ...adminErrors,
      422: validationError("El campo 'rol' debe ser uno de: super_admin, cliente_admin"),
    },
    handler: async (ctx, { query }) => withTotal(ctx, await usuarios.list(query)),
  });

  api.add({
    method: 'get', path: '/admin/usuarios/:usuario_id', auth: 'super_admin', tags,
    summary: 'Obtener un usuario',
    params: byId,
    responses: { 200: { description: 'Usuario', schema: usuarioPublico, example: usuarioExample }, ...adminErrors, 404: usuarioNotFound },
    handler: (_ctx, { params }) => usuarios.get(params.usuario_id),
  });

  api.add({
    method: 'put', path: '/admin/usuarios/:usuario_id/toggle-activo', auth: 'super_admin', tags,
    summary: 'Activar o desactivar un usuario (nunca el propio)',
    description: 'Un usuario desactivado pierde sus sesiones desde la siguiente petición.',
    params: byId,
    responses: {
      200: {
        description: 'Nuevo estado',
        schema: object({ message: str(), usuario_id: { type: 'integer' }, activo: { type: 'boolean' } }, ['message', 'usuario_id', 'activo']),
        example: { message: 'Usuario desactivado correctamente', usuario_id: 2, activo: false },
      },
      400: errorResponse('Intento de desactivar el propio usuario', 'No puedes desactivar tu propio usuario'),
      ...adminErrors,
      404: usuarioNotFound,
    },
    handler: (ctx, { params }) => usuarios.toggle(ctx.state.user!.id, params.usuario_id),
  });

  api.add({
    method: 'post', path: '/admin/usuarios/:usuario_id/reset-password', auth: 'super_admin', tags,
    summary: 'Restablecer la contraseña de un usuario (cierra sus sesiones)',
    description: 'Sin `password_nuevo` se genera una contraseña temporal aleatoria que solo se muestra en esta respuesta (`password_temporal`).',
    params: byId,
    body: object({ password_nuevo: { ...password, description: 'Contraseña nueva (opcional)' } }, [], { example: {} }),
    responses: {
      200: {
        description: 'Contraseña restablecida',
        schema: object({ message: str(), usuario_id: { type: 'integer' }, password_temporal: str({ description: 'Solo cuando se generó' }) }, ['message', 'usuario_id']),
        example: {
          message: 'Contraseña restablecida correctamente. Las sesiones anteriores del usuario quedaron cerradas.',
          usuario_id: 2, password_temporal: 'q3J9x0vTz6cWm1bKp8sHdA4N-7a',
        },
      },
      ...adminErrors,
      404: usuarioNotFound,
      422: validationError("El campo 'password_nuevo' debe tener al menos 8 caracteres"),
    },
    handler: (_ctx, { params, body }) => usuarios.resetPassword(params.usuario_id, body.password_nuevo),
  });
}
