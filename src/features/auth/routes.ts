import type { AuthService } from './service';
import type { LoginGuard } from './login-guard';
import { ValidationError } from '../../platform/errors';
import type { ApiRouter } from '../../platform/http/api-router';
import { email, errorResponse, messageSchema, object, password, str, usuarioPublico } from '../../platform/http/schemas';

export function registerAuthRoutes(api: ApiRouter, deps: { auth: AuthService; loginGuard?: LoginGuard }) {
  const tags = ['Autenticación'];
  api.add({
    method: 'post', path: '/api/v1/auth/login', auth: 'public', tags,
    summary: 'Iniciar sesión (super_admin o cliente_admin) y obtener un token de sesión',
    body: object({ email, password: { type: 'string', minLength: 1, maxLength: 128 } }, ['email', 'password'], {
      example: { email: 'admin@example.com', password: 'SuperSecret123!' },
    }),
    responses: {
      200: {
        description: 'Sesión iniciada',
        schema: object({ access_token: str(), token_type: { const: 'bearer' }, expires_at: str({ format: 'date-time' }), user: usuarioPublico }, ['access_token', 'token_type', 'expires_at', 'user']),
        example: { access_token: 'eyJhbGciOiJIUzI1NiIs...', token_type: 'bearer', expires_at: '2025-01-16T09:00:00.000Z', user: { id: 1, email: 'admin@example.com', nombre: 'Super Admin', rol: 'super_admin', empresa_id: null, activo: true } },
      },
      401: errorResponse('Credenciales incorrectas', 'Credenciales incorrectas'),
      429: errorResponse('Demasiados intentos', 'Demasiados intentos de inicio de sesión. Intente de nuevo en 900 segundos'),
    },
    async handler(ctx, { body }) {
      const guard = deps.loginGuard ? await deps.loginGuard(ctx, body.email) : null;
      try {
        const result = await deps.auth.login(body.email, body.password);
        await guard?.onSuccess();
        return result;
      } catch (error) {
        await guard?.onFailure();
        throw error;
      }
    },
  });

  api.add({
    method: 'post', path: '/api/v1/auth/logout', auth: 'session', tags,
    summary: 'Cerrar sesión: revoca el token usado',
    responses: { 200: { description: 'Sesión cerrada', schema: messageSchema, example: { message: 'Sesión cerrada correctamente' } }, 401: errorResponse('Token inválido', 'Token inválido') },
    handler: (ctx) => deps.auth.logout(ctx.state.user!),
  });

  api.add({
    method: 'post', path: '/api/v1/auth/change-password', auth: 'session', tags,
    summary: 'Cambiar la contraseña propia (cierra las demás sesiones; la que hace el cambio sigue abierta)',
    description: 'Acepta también los nombres del servicio original: `current_password` y `new_password`.',
    body: object({
      password_actual: { type: 'string', minLength: 1, maxLength: 128 }, password_nuevo: password,
      current_password: { type: 'string', minLength: 1, maxLength: 128 }, new_password: password,
    }, [], {
      example: { password_actual: 'ClientePass456!', password_nuevo: 'OtraClaveSegura789!' },
    }),
    responses: {
      200: { description: 'Contraseña cambiada', schema: messageSchema, example: { message: 'Contraseña actualizada correctamente. Se cerraron sus demás sesiones.' } },
      400: errorResponse('Contraseña actual incorrecta', 'La contraseña actual es incorrecta'),
    },
    handler: (ctx, { body }) => {
      const actual = body.password_actual ?? body.current_password;
      const nuevo = body.password_nuevo ?? body.new_password;
      if (actual === undefined) throw new ValidationError("El campo 'password_actual' es obligatorio", 'password_actual');
      if (nuevo === undefined) throw new ValidationError("El campo 'password_nuevo' es obligatorio", 'password_nuevo');
      return deps.auth.changePassword(ctx.state.user!, actual, nuevo);
    },
  });

  api.add({
    method: 'get', path: '/api/v1/auth/me', auth: 'session', tags,
    summary: 'Usuario de la sesión actual',
    responses: { 200: { description: 'Usuario', schema: usuarioPublico, example: { id: 1, email: 'admin@example.com', nombre: 'Super Admin', rol: 'super_admin', empresa_id: null, activo: true } } },
    handler: (ctx) => deps.auth.me(ctx.state.user!),
  });
}
