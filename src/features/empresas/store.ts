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
import { ConektaPlataformaWebhookModel, EmpresaModel, EmpresaPasarelaModel, type EmpresaRow, type PasarelaRow } from './models';

export type { EmpresaRow, PasarelaRow };

/** The fields the companies list sorts by. */
export const EMPRESA_SORTS = ['creada_en', 'nombre', 'contacto_email', 'activa', 'id'] as const;
export type EmpresaSort = (typeof EMPRESA_SORTS)[number];
export interface EmpresaFilters { activa?: boolean; q?: string }
export interface EmpresaPage { limit?: number; offset: number; sort: EmpresaSort; order: 'ASC' | 'DESC' }
export type EmpresaValues = Partial<Omit<EmpresaRow, 'id' | 'creada_en' | 'actualizada_en' | 'pasarelas'>>;
/** What may be saved of a company's account with one gateway (an omitted field keeps its value). */
export type PasarelaValues = Partial<PasarelaRow>;

export const EMPRESA_COLUMNS = [
  'id', 'nombre', 'contacto_email', 'contacto_telefono', 'activa', 'creada_en', 'actualizada_en',
  'telegram_bot_token_enc', 'telegram_chat_id',
  'notificaciones_telegram', 'contacto_portal', 'aviso_privacidad', 'logo_nombre',
  'zona_horaria',
] as const satisfies ReadonlyArray<keyof EmpresaRow>;

export const PASARELA_COLUMNS = [
  'modo', 'llave_publica', 'secreto_enc', 'webhook_llave', 'webhook_secreto_enc',
  'webhook_id', 'webhook_llave_id', 'webhook_estado', 'webhook_error', 'webhook_en',
] as const satisfies ReadonlyArray<keyof PasarelaRow>;

/**
 * The company's gateway accounts by gateway id, read in the company's own
 * statement (a correlated subquery: no second round trip on any read path).
 */
const PASARELAS_SELECT = `(SELECT coalesce(jsonb_object_agg(p.pasarela, jsonb_build_object(${PASARELA_COLUMNS.map((c) => `'${c}', p.${c}`).join(', ')})), '{}'::jsonb)
  FROM empresa_pasarelas p WHERE p.empresa_id = empresas.id) AS pasarelas`;

/** The accounts as read from JSON: timestamps back to Dates, nothing but the known columns. */
function accountsOf(value: unknown): Record<string, PasarelaRow> {
  const out: Record<string, PasarelaRow> = {};
  for (const [pasarela, stored] of Object.entries((value ?? {}) as Record<string, Record<string, unknown>>)) {
    const account = pick(stored, PASARELA_COLUMNS) as unknown as PasarelaRow & { webhook_en: Date | string | null };
    out[pasarela] = { ...account, webhook_en: account.webhook_en === null ? null : new Date(account.webhook_en) };
  }
  return out;
}

const EMPRESA_ID = new RegExp(ID_PATTERNS.empresa);
/** A malformed id cannot exist: it never reaches the database. */
const wellFormed = (empresaId: string) => EMPRESA_ID.test(empresaId);

export function createEmpresasStore(knex: Knex) {
  const query = (on: Knex = knex) => EmpresaModel.query(on);
  const row = (model: EmpresaModel): EmpresaRow => ({
    ...pick(model, EMPRESA_COLUMNS),
    pasarelas: accountsOf((model as unknown as { pasarelas: unknown }).pasarelas),
  });
  const withAccounts = (on: Knex = knex) => query(on).select(...EMPRESA_COLUMNS, raw(PASARELAS_SELECT));
  const findOn = async (on: Knex, empresaId: string): Promise<EmpresaRow | undefined> => {
    const found = await withAccounts(on).findById(empresaId);
    return found && row(found);
  };

  return {
    async find(empresaId: string): Promise<EmpresaRow | undefined> {
      if (!wellFormed(empresaId)) return undefined;
      return findOn(knex, empresaId);
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
      const q = withAccounts();
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

    /** Inserts with a fresh id (a new one on the rare collision), with its gateway accounts, in one transaction. */
    async insert(values: EmpresaValues & Pick<EmpresaRow, 'nombre' | 'contacto_email'>, accounts: Readonly<Record<string, PasarelaValues>> = {}): Promise<EmpresaRow> {
      return withFreshId(() => knex.transaction(async (trx) => {
        const id = newEmpresaId();
        await query(trx).insert({ ...values, id });
        for (const [pasarela, account] of Object.entries(accounts)) {
          await EmpresaPasarelaModel.query(trx).insert({ ...account, empresa_id: id, pasarela });
        }
        return (await findOn(trx, id))!;
      }), 'empresas_pkey');
    },

    /** Updates the given columns (and actualizada_en); undefined when the company does not exist. */
    async patch(empresaId: string, values: EmpresaValues): Promise<EmpresaRow | undefined> {
      if (!wellFormed(empresaId)) return undefined;
      const updated = await query().patch({ ...values, actualizada_en: raw('now()') } as never).where({ id: empresaId });
      return updated ? findOn(knex, empresaId) : undefined;
    },

    /**
     * Saves the given fields of the company's account with `pasarela` (created on
     * first save; an omitted field keeps its value) and of the company itself
     * (at least its actualizada_en), in one transaction; undefined when the
     * company does not exist.
     */
    async savePasarela(empresaId: string, pasarela: string, values: PasarelaValues, empresa: EmpresaValues = {}): Promise<EmpresaRow | undefined> {
      if (!wellFormed(empresaId)) return undefined;
      return knex.transaction(async (trx) => {
        const touched = await query(trx).patch({ ...empresa, actualizada_en: raw('now()') } as never).where({ id: empresaId });
        if (!touched) return undefined;
        await EmpresaPasarelaModel.query(trx).toKnexQuery()
          .insert({ ...values, empresa_id: empresaId, pasarela })
          .onConflict(['empresa_id', 'pasarela'])
          .merge({ ...values, actualizada_en: trx.fn.now() });
        return findOn(trx, empresaId);
      });
    },

    /**
     * Saves what a gateway call learned about the account, only while the account's
     * sealed secret is still `secretoEnc` (the one the call was made with): undefined
     * when another save changed the key meanwhile (its own call then records its own
     * outcome), or when there is no such account.
     */
    async savePasarelaIfSecret(empresaId: string, pasarela: string, values: PasarelaValues, secretoEnc: string | null): Promise<EmpresaRow | undefined> {
      if (!wellFormed(empresaId)) return undefined;
      return knex.transaction(async (trx) => {
        const updated = await EmpresaPasarelaModel.query(trx).toKnexQuery()
          .update({ ...values, actualizada_en: trx.fn.now() })
          .where({ empresa_id: empresaId, pasarela })
          .andWhereRaw('secreto_enc IS NOT DISTINCT FROM ?', [secretoEnc]);
        if (!updated) return undefined;
        await query(trx).patch({ actualizada_en: raw('now()') } as never).where({ id: empresaId });
        return findOn(trx, empresaId);
      });
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
