/**
 * The only code that reads or writes `empresas`. Every caller, in this feature
 * or another (through index.ts), gets its companies here, so every view of a
 * company starts from the same row.
 */
import type { Knex } from 'knex';
import { pick, raw } from '../../platform/db/objection';
import { withFreshId } from '../../platform/db/unique';
import { containsPattern, type PageOf } from '../../platform/http/paging';
import { ID_PATTERNS, newEmpresaId } from '../../platform/ids';
import { ConektaPlataformaWebhookModel, EmpresaModel, type EmpresaRow } from './models';

export type { EmpresaRow };

/** The fields the companies list sorts by. */
export const EMPRESA_SORTS = ['creada_en', 'nombre', 'contacto_email', 'activa', 'id'] as const;
export type EmpresaSort = (typeof EMPRESA_SORTS)[number];
export interface EmpresaFilters { activa?: boolean; q?: string }
export interface EmpresaPage { limit?: number; offset: number; sort: EmpresaSort; order: 'ASC' | 'DESC' }
export type EmpresaValues = Partial<Omit<EmpresaRow, 'id' | 'creada_en' | 'actualizada_en'>>;

export const EMPRESA_COLUMNS = [
  'id', 'nombre', 'contacto_email', 'contacto_telefono', 'activa', 'creada_en', 'actualizada_en',
  'conekta_private_key_enc', 'conekta_public_key', 'conekta_mode', 'conekta_webhook_public_key',
  'conekta_webhook_id', 'conekta_webhook_key_id', 'conekta_webhook_estado', 'conekta_webhook_error', 'conekta_webhook_en',
  'mp_access_token_enc', 'mp_public_key', 'mp_webhook_secret_enc', 'mp_mode', 'telegram_bot_token_enc', 'telegram_chat_id',
  'notificaciones_telegram', 'contacto_portal', 'aviso_privacidad', 'logo_nombre',
  'zona_horaria',
] as const satisfies ReadonlyArray<keyof EmpresaRow>;

const EMPRESA_ID = new RegExp(ID_PATTERNS.empresa);
/** A malformed id cannot exist: it never reaches the database. */
const wellFormed = (empresaId: string) => EMPRESA_ID.test(empresaId);

export function createEmpresasStore(knex: Knex) {
  const query = () => EmpresaModel.query(knex);
  const row = (model: EmpresaModel): EmpresaRow => pick(model, EMPRESA_COLUMNS);

  return {
    async find(empresaId: string): Promise<EmpresaRow | undefined> {
      if (!wellFormed(empresaId)) return undefined;
      const found = await query().findById(empresaId).select(...EMPRESA_COLUMNS);
      return found && row(found);
    },

    /** Just what a check needs: does it exist, is it active, its name. */
    async findRef(empresaId: string): Promise<{ id: string; activa: boolean; nombre: string } | undefined> {
      if (!wellFormed(empresaId)) return undefined;
      const found = await query().findById(empresaId).select('id', 'activa', 'nombre');
      return found && pick(found, ['id', 'activa', 'nombre']);
    },

    /** The company's time zone (IANA), or undefined when there is no such company. */
    async zonaHoraria(empresaId: string): Promise<string | undefined> {
      if (!wellFormed(empresaId)) return undefined;
      const found = await query().findById(empresaId).select('zona_horaria');
      return found?.zona_horaria;
    },

    /** Whether PostgreSQL's own zone data knows this name (it does the dashboard's day arithmetic). */
    async zonaHorariaConocida(name: string): Promise<boolean> {
      // Raw: pg_timezone_names is a system view without a model.
      const result = await knex.raw('SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = ?) AS known', [name]);
      return Boolean(result.rows[0]?.known);
    },

    /**
     * One page of companies matching the filters (`q`: in the name or the
     * contact email), ordered by `sort` then id, with how many match in all.
     */
    async list(filters: EmpresaFilters = {}, page: EmpresaPage = { offset: 0, sort: 'creada_en', order: 'DESC' }): Promise<PageOf<EmpresaRow>> {
      const q = query().select(...EMPRESA_COLUMNS);
      if (filters.activa !== undefined) q.where({ activa: filters.activa });
      if (filters.q?.trim()) {
        const pattern = containsPattern(filters.q);
        q.where((w) => w.whereILike('nombre', pattern).orWhereILike('contacto_email', pattern));
      }
      const total = await q.clone().resultSize();
      q.orderBy([{ column: page.sort, order: page.order }, { column: 'id', order: page.order }]).offset(page.offset);
      if (page.limit !== undefined) q.limit(page.limit);
      return { rows: (await q).map(row), total };
    },

    /** Inserts with a fresh id (a new one on the rare collision). */
    async insert(values: EmpresaValues & Pick<EmpresaRow, 'nombre' | 'contacto_email'>): Promise<EmpresaRow> {
      return withFreshId(async () => {
        const inserted = await query().insert({ ...values, id: newEmpresaId() }).returning([...EMPRESA_COLUMNS]);
        return row(inserted as unknown as EmpresaModel);
      }, 'empresas_pkey');
    },

    /** Updates the given columns (and actualizada_en); undefined when the company does not exist. */
    async patch(empresaId: string, values: EmpresaValues): Promise<EmpresaRow | undefined> {
      if (!wellFormed(empresaId)) return undefined;
      const [updated] = await query().patch({ ...values, actualizada_en: raw('now()') } as never)
        .where({ id: empresaId }).returning([...EMPRESA_COLUMNS]) as unknown as EmpresaModel[];
      return updated && row(updated);
    },

    /** Flips `activa` in one statement. */
    async toggle(empresaId: string): Promise<{ id: string; activa: boolean } | undefined> {
      if (!wellFormed(empresaId)) return undefined;
      const [updated] = await query().patch({ activa: raw('NOT activa'), actualizada_en: raw('now()') } as never)
        .where({ id: empresaId }).returning(['id', 'activa']) as unknown as EmpresaModel[];
      return updated && pick(updated, ['id', 'activa']);
    },

    // ---- the platform Conekta key's webhook registration (issue 23)

    /** The registration of the platform key known by this sha256, if any. */
    async platformWebhook(keySha256: string): Promise<ConektaPlataformaWebhookModel | undefined> {
      return ConektaPlataformaWebhookModel.query(knex).findById(keySha256);
    },

    /**
     * Claims the registration of this key for this caller: true when there was none,
     * or the last attempt failed, or an attempt was left unfinished for a minute
     * (one process registers; the others see it done or under way).
     */
    async claimPlatformWebhook(keySha256: string): Promise<boolean> {
      const rows = await ConektaPlataformaWebhookModel.query(knex).toKnexQuery()
        .insert({ private_key_sha256: keySha256 })
        .onConflict('private_key_sha256')
        .merge({ error: null, actualizado_en: knex.fn.now() })
        .where((q) => q.whereNotNull('conekta_plataforma_webhooks.error')
          .orWhere((w) => w.whereNull('conekta_plataforma_webhooks.registrado_en').andWhere('conekta_plataforma_webhooks.actualizado_en', '<', knex.raw("now() - interval '1 minute'"))))
        .returning('private_key_sha256');
      return (rows as unknown[]).length > 0;
    },

    async savePlatformWebhook(keySha256: string, values: Partial<Pick<ConektaPlataformaWebhookModel, 'webhook_id' | 'webhook_key_id' | 'public_key' | 'url' | 'error' | 'registrado_en'>>): Promise<void> {
      await ConektaPlataformaWebhookModel.query(knex).patch({ ...values, actualizado_en: new Date() }).where('private_key_sha256', keySha256);
    },

    /** For the platform dashboard. */
    async counts(): Promise<{ total: number; activas: number }> {
      const counts = await query().select(raw('count(*)::int as total'), raw('count(*) filter (where activa)::int as activas')).first()
        .castTo<{ total: number; activas: number }>();
      return { total: Number(counts?.total ?? 0), activas: Number(counts?.activas ?? 0) };
    },
  };
}

export type EmpresasStore = ReturnType<typeof createEmpresasStore>;
