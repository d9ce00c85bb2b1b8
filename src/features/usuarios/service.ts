/**
 * Admin users as the super admin manages them: create (role rules), list with
 * filters, get, toggle active (never yourself) and reset password.
 */
import crypto from 'node:crypto';
import type { FromSchema } from 'json-schema-to-ts';
import type { PasswordHasher, UsuarioFilters, UsuarioSort, UsuariosStore } from '../auth';
import { pageOf, type PageOf, type PageRequest } from '../../platform/http/paging';
import { BadRequestError, NotFoundError } from '../../platform/errors';
import { isUniqueViolation } from '../../platform/db/unique';
import { EMPRESA_NOT_FOUND, type EmpresasStore } from '../empresas';
import type { usuarioCreateBody } from './schemas';

export const USUARIO_NOT_FOUND = 'Usuario no encontrado';
const EMAIL_TAKEN = 'El email ya está registrado';

export type Rol = 'super_admin' | 'cliente_admin';

/** POST /admin/usuarios, as its schema (schemas.ts) validated it. */
export type UsuarioCreate = FromSchema<typeof usuarioCreateBody>;

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

export function createUsuariosService(deps: { store: UsuariosStore; empresas: Pick<EmpresasStore, 'findRef'>; passwords: PasswordHasher }) {
  const { store, passwords } = deps;

  async function find(id: number): Promise<UsuarioPublic> {
    const row = await store.findPublic(id);
    if (!row) throw new NotFoundError(USUARIO_NOT_FOUND);
    return row;
  }

  return {
    async create(body: UsuarioCreate) {
      const email = body.email.trim().toLowerCase();
      let empresaId: string | null = null;
      if (body.rol === 'cliente_admin') {
        // The schema already requires empresa_id for a cliente_admin.
        const exists = body.empresa_id ? await deps.empresas.findRef(body.empresa_id) : undefined;
        if (!exists) throw new NotFoundError(EMPRESA_NOT_FOUND);
        empresaId = exists.id;
      } else if (body.empresa_id) {
        throw new BadRequestError('super_admin no debe tener empresa_id');
      }
      if (await store.emailTaken(email)) throw new BadRequestError(EMAIL_TAKEN);
      try {
        const row = await store.insert({
          email,
          password_hash: await passwords.hash(body.password),
          nombre: body.nombre.trim(),
          rol: body.rol,
          empresa_id: empresaId,
          activo: true,
        });
        return { message: 'Usuario creado exitosamente', usuario: row as UsuarioPublic };
      } catch (error) {
        // Two requests for the same email at once: the unique index decides.
        if (isUniqueViolation(error)) throw new BadRequestError(EMAIL_TAKEN);
        throw error;
      }
    },

    /** A page of users (by id unless sorted otherwise) and how many match. */
    async list(query: UsuarioFilters & PageRequest<UsuarioSort>): Promise<PageOf<UsuarioPublic>> {
      const { rol, empresa_id, activo, q } = query;
      return store.list({ rol, empresa_id, activo, q }, pageOf(query, { sort: 'id', order: 'ASC' }));
    },

    get: find,

    /** Flips `activo`; an inactive user's sessions are refused on their next request. */
    async toggle(actorId: number, id: number) {
      await find(id);
      if (id === actorId) throw new BadRequestError('No puedes desactivar tu propio usuario');
      const row = await store.toggle(id);
      if (!row) throw new NotFoundError(USUARIO_NOT_FOUND);
      return {
        message: row.activo ? 'Usuario activado correctamente' : 'Usuario desactivado correctamente',
        usuario_id: row.id,
        activo: row.activo,
      };
    },

    /**
     * Sets a new password (given, or a generated temporary one returned once)
     * and ends every session the user had opened before.
     */
    async resetPassword(id: number, given?: string) {
      await find(id);
      const password = given ?? temporaryPassword();
      await store.setPassword(id, await passwords.hash(password));
      return {
        message: 'Contraseña restablecida correctamente. Las sesiones anteriores del usuario quedaron cerradas.',
        usuario_id: id,
        ...(given === undefined ? { password_temporal: password } : {}),
      };
    },
  };
}

export type UsuariosService = ReturnType<typeof createUsuariosService>;
