/**
 * Admin users as the super admin manages them: create (role rules), list with
 * filters, get, toggle active (never yourself) and reset password.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { PasswordHasher } from '../auth';
import { BadRequestError, NotFoundError } from '../../platform/errors';
import { ID_PATTERNS } from '../../platform/ids';
import { PUBLIC_USER_COLUMNS } from '../auth';
import { EMPRESA_NOT_FOUND, isUniqueViolation } from '../empresas';

export const USUARIO_NOT_FOUND = 'Usuario no encontrado';
const EMAIL_TAKEN = 'El email ya está registrado';
const EMPRESA_ID = new RegExp(ID_PATTERNS.empresa);

export type Rol = 'super_admin' | 'cliente_admin';

export interface UsuarioCreate {
  email: string;
  password: string;
  nombre: string;
  rol: Rol;
  empresa_id?: string | null;
}

export interface UsuarioPublic {
  id: number;
  email: string;
  nombre: string;
  rol: Rol;
  empresa_id: string | null;
  activo: boolean;
  ultimo_login: Date | null;
  creado_en: Date;
}

/** 18 random bytes → 24 URL-safe characters (144 bits), plus classes that strict password rules ask for. */
export function temporaryPassword(): string {
  return `${crypto.randomBytes(18).toString('base64url')}-7a`;
}

export function createUsuariosService(deps: { knex: Knex; passwords: PasswordHasher }) {
  const { knex, passwords } = deps;

  async function find(id: number): Promise<UsuarioPublic> {
    const row = await knex('usuarios').where({ id }).first(...PUBLIC_USER_COLUMNS);
    if (!row) throw new NotFoundError(USUARIO_NOT_FOUND);
    return row as UsuarioPublic;
  }

  return {
    async create(body: UsuarioCreate) {
      const email = body.email.trim().toLowerCase();
      let empresaId: string | null = null;
      if (body.rol === 'cliente_admin') {
        // The schema already requires empresa_id for a cliente_admin.
        const exists = body.empresa_id && EMPRESA_ID.test(body.empresa_id)
          ? await knex('empresas').where({ id: body.empresa_id }).first('id')
          : undefined;
        if (!exists) throw new NotFoundError(EMPRESA_NOT_FOUND);
        empresaId = exists.id;
      } else if (body.empresa_id) {
        throw new BadRequestError('super_admin no debe tener empresa_id');
      }
      const taken = await knex('usuarios').whereRaw('lower(email) = ?', [email]).first('id');
      if (taken) throw new BadRequestError(EMAIL_TAKEN);
      try {
        const [row] = await knex('usuarios').insert({
          email,
          password_hash: await passwords.hash(body.password),
          nombre: body.nombre.trim(),
          rol: body.rol,
          empresa_id: empresaId,
          activo: true,
        }).returning([...PUBLIC_USER_COLUMNS]);
        return { message: 'Usuario creado exitosamente', usuario: row as UsuarioPublic };
      } catch (error) {
        // Two requests for the same email at once: the unique index decides.
        if (isUniqueViolation(error)) throw new BadRequestError(EMAIL_TAKEN);
        throw error;
      }
    },

    async list(filters: { rol?: Rol; empresa_id?: string; activo?: boolean }): Promise<UsuarioPublic[]> {
      const query = knex('usuarios').select(...PUBLIC_USER_COLUMNS).orderBy('id', 'asc');
      if (filters.rol) query.where({ rol: filters.rol });
      if (filters.empresa_id !== undefined) query.where({ empresa_id: filters.empresa_id });
      if (filters.activo !== undefined) query.where({ activo: filters.activo });
      return query;
    },

    get: find,

    /** Flips `activo`; an inactive user's sessions are refused on their next request. */
    async toggle(actorId: number, id: number) {
      await find(id);
      if (id === actorId) throw new BadRequestError('No puedes desactivar tu propio usuario');
      const [row] = await knex('usuarios').where({ id }).update({ activo: knex.raw('NOT activo') }).returning(['id', 'activo']);
      if (!row) throw new NotFoundError(USUARIO_NOT_FOUND);
      return {
        message: row.activo ? 'Usuario activado correctamente' : 'Usuario desactivado correctamente',
        usuario_id: row.id as number,
        activo: row.activo as boolean,
      };
    },

    /**
     * Sets a new password (given, or a generated temporary one returned once)
     * and ends every session the user had opened before.
     */
    async resetPassword(id: number, given?: string) {
      await find(id);
      const password = given ?? temporaryPassword();
      await knex('usuarios').where({ id }).update({
        password_hash: await passwords.hash(password),
        password_cambiado_en: knex.fn.now(),
        sesion_epoca: knex.raw('sesion_epoca + 1'),
      });
      return {
        message: 'Contraseña restablecida correctamente. Las sesiones anteriores del usuario quedaron cerradas.',
        usuario_id: id,
        ...(given === undefined ? { password_temporal: password } : {}),
      };
    },
  };
}

export type UsuariosService = ReturnType<typeof createUsuariosService>;
