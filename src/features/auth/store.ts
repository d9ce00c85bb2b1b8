/** The only code that reads or writes `usuarios` and `sesiones_revocadas`. */
import type { Knex } from 'knex';
import { pick, raw } from '../../platform/db/objection';
import { containsPattern, type PageOf } from '../../platform/http/paging';
import { SesionRevocadaModel, UsuarioModel } from './models';

export const PUBLIC_USER_COLUMNS = ['id', 'email', 'nombre', 'rol', 'empresa_id', 'activo', 'ultimo_login', 'creado_en'] as const;
/** What checking a session needs. */
const SESSION_COLUMNS = ['id', 'email', 'nombre', 'rol', 'empresa_id', 'activo', 'sesion_epoca', 'sesion_conservada'] as const;
const ALL_COLUMNS = [...PUBLIC_USER_COLUMNS, 'password_hash', 'password_cambiado_en', 'sesion_epoca'] as const;
/**
 * Whether the user's company is active, read in the same statement as the
 * user (null for a super admin): a deactivated company's admins cannot log in
 * and lose their sessions on the next request. Raw: a correlated subquery on
 * the empresas table, so checking a session stays one round trip.
 */
const EMPRESA_ACTIVA = raw('(SELECT e.activa FROM empresas e WHERE e.id = usuarios.empresa_id) AS empresa_activa');
const empresaActiva = (row: object): boolean | null => (row as { empresa_activa?: boolean | null }).empresa_activa ?? null;

export type UsuarioRow = Pick<UsuarioModel, (typeof ALL_COLUMNS)[number]>;
export type UsuarioPublicRow = Pick<UsuarioModel, (typeof PUBLIC_USER_COLUMNS)[number]>;
export type Rol = UsuarioModel['rol'];

/** The fields the users list sorts by. */
export const USUARIO_SORTS = ['id', 'email', 'nombre', 'rol', 'empresa_id', 'activo', 'ultimo_login', 'creado_en'] as const;
export type UsuarioSort = (typeof USUARIO_SORTS)[number];
export interface UsuarioFilters { rol?: Rol; empresa_id?: string; activo?: boolean; q?: string }
export interface UsuarioPage { limit?: number; offset: number; sort: UsuarioSort; order: 'ASC' | 'DESC' }

export function createUsuariosStore(knex: Knex) {
  const usuarios = () => UsuarioModel.query(knex);
  const toPublic = (row: UsuarioModel): UsuarioPublicRow => pick(row, PUBLIC_USER_COLUMNS);
  /** Emails are unique case-insensitively (index on lower(email)). */
  const byEmail = (email: string) => usuarios().whereRaw('lower(email) = lower(?)', [email]);

  return {
    /** The whole row (password hash included) for a login check. */
    async findByEmail(email: string): Promise<(UsuarioRow & { empresa_activa: boolean | null }) | undefined> {
      const row = await byEmail(email).select(...ALL_COLUMNS, EMPRESA_ACTIVA).first();
      return row && { ...pick(row, ALL_COLUMNS), empresa_activa: empresaActiva(row) };
    },

    async emailTaken(email: string): Promise<boolean> {
      return Boolean(await byEmail(email).select('id').first());
    },

    async findPublic(id: number): Promise<UsuarioPublicRow | undefined> {
      const row = await usuarios().findById(id).select(...PUBLIC_USER_COLUMNS);
      return row && toPublic(row);
    },

    async findForSession(id: number) {
      const row = await usuarios().findById(id).select(...SESSION_COLUMNS, EMPRESA_ACTIVA);
      return row && { ...pick(row, SESSION_COLUMNS), empresa_activa: empresaActiva(row) };
    },

    async passwordHash(id: number): Promise<string | undefined> {
      return (await usuarios().findById(id).select('password_hash'))?.password_hash;
    },

    /**
     * Sets the hash and moves the session epoch: every session opened before is
     * refused from now on, except `keepSession` (the jti of the session that
     * made the change, if any), which stays valid.
     */
    async setPassword(id: number, passwordHash: string, keepSession: string | null = null): Promise<void> {
      await usuarios().patch({
        password_hash: passwordHash, password_cambiado_en: raw('now()'), sesion_epoca: raw('sesion_epoca + 1'), sesion_conservada: keepSession,
      } as never).where({ id });
    },

    async recordLogin(id: number): Promise<UsuarioPublicRow | undefined> {
      const [row] = await usuarios().patch({ ultimo_login: raw('now()') } as never).where({ id })
        .returning([...PUBLIC_USER_COLUMNS]) as unknown as UsuarioModel[];
      return row && toPublic(row);
    },

    async insert(values: Pick<UsuarioRow, 'email' | 'password_hash' | 'nombre' | 'rol' | 'empresa_id' | 'activo'>): Promise<UsuarioPublicRow> {
      const row = await usuarios().insert(values).returning([...PUBLIC_USER_COLUMNS]);
      return toPublic(row as unknown as UsuarioModel);
    },

    /** One page of users matching the filters (`q`: in the email or the name), ordered by `sort` then id, with how many match. */
    async list(filters: UsuarioFilters, page: UsuarioPage = { offset: 0, sort: 'id', order: 'ASC' }): Promise<PageOf<UsuarioPublicRow>> {
      const q = usuarios().select(...PUBLIC_USER_COLUMNS);
      if (filters.rol) q.where({ rol: filters.rol });
      if (filters.empresa_id !== undefined) q.where({ empresa_id: filters.empresa_id });
      if (filters.activo !== undefined) q.where({ activo: filters.activo });
      if (filters.q?.trim()) {
        const pattern = containsPattern(filters.q);
        q.where((w) => w.whereILike('email', pattern).orWhereILike('nombre', pattern));
      }
      const total = await q.clone().resultSize();
      q.orderBy([{ column: page.sort, order: page.order, nulls: 'last' }, { column: 'id', order: page.order }]).offset(page.offset);
      if (page.limit !== undefined) q.limit(page.limit);
      return { rows: (await q).map(toPublic), total };
    },

    /** Flips `activo` in one statement. */
    async toggle(id: number): Promise<{ id: number; activo: boolean } | undefined> {
      const [row] = await usuarios().patch({ activo: raw('NOT activo') } as never).where({ id })
        .returning(['id', 'activo']) as unknown as UsuarioModel[];
      return row && pick(row, ['id', 'activo']);
    },

    /**
     * Creates the super admin unless one with this email exists. Raw: the
     * conflict target is the expression index on lower(email), which neither
     * Objection nor knex's onConflict can name.
     */
    async insertSuperAdminOnce(email: string, passwordHash: string, nombre: string): Promise<boolean> {
      const inserted = await knex.raw(
        `INSERT INTO usuarios (email, password_hash, nombre, rol) VALUES (?, ?, ?, 'super_admin')
         ON CONFLICT ((lower(email))) DO NOTHING RETURNING id`,
        [email, passwordHash, nombre],
      );
      return inserted.rows.length > 0;
    },

    /** For the platform dashboard. */
    async counts() {
      const row = await usuarios().select(
        raw('count(*)::int as total'),
        raw(`count(*) filter (where rol = 'super_admin')::int as super_admin`),
        raw(`count(*) filter (where rol = 'cliente_admin')::int as cliente_admin`),
        raw('count(*) filter (where activo)::int as activos'),
      ).first().castTo<{ total: number; super_admin: number; cliente_admin: number; activos: number } | undefined>();
      return { total: Number(row?.total ?? 0), super_admin: Number(row?.super_admin ?? 0), cliente_admin: Number(row?.cliente_admin ?? 0), activos: Number(row?.activos ?? 0) };
    },

    async countAdmins(empresaId: string): Promise<number> {
      const row = await usuarios().where({ empresa_id: empresaId, rol: 'cliente_admin' }).select(raw('count(*)::int as total')).first()
        .castTo<{ total: number } | undefined>();
      return Number(row?.total ?? 0);
    },

    // ---- revoked sessions

    async isRevoked(jti: string): Promise<boolean> {
      return Boolean(await SesionRevocadaModel.query(knex).findById(jti).select('jti'));
    },

    /** Revokes a session until its own expiry, and forgets revocations that expired (their token's exp refuses it already). */
    async revokeSession(jti: string, expiraEn: Date): Promise<void> {
      await SesionRevocadaModel.query(knex).insert({ jti, expira_en: expiraEn }).onConflict('jti').ignore();
      await SesionRevocadaModel.query(knex).delete().where('expira_en', '<', raw('now()'));
    },
  };
}

export type UsuariosStore = ReturnType<typeof createUsuariosStore>;
