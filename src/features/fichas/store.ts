/**
 * The only code of the fichas feature that queries. Every state change is a
 * conditional UPDATE (`... WHERE estado IN (from)`), so two paths racing to
 * the same transition (a retried job, the usage job, a void) cannot both win.
 */
import type { Knex } from 'knex';
import type { PageOf } from '../../platform/http/paging';
import type { Tx } from '../../platform/db/objection';
import { FichaLoteModel, FichaModel, type EstadoFicha, type Ficha, type FichaLote } from './models';

export interface NewFicha {
  codigo: string;
  contrasena_enc: string | null;
}

export interface InsertLoteOptions {
  /** Usable at once (RADIUS mode: nothing to create on a router): inserted `disponible`, outside the cap of outstanding vouchers. */
  disponibles?: boolean;
  /** More writes that must commit with the batch (its FreeRADIUS rows), in the same transaction. */
  alsoWrite?: (tx: Tx, fichas: Ficha[]) => Promise<void>;
}

/** Vouchers per multi-row INSERT (5 parameters each): well below PostgreSQL's 65,535. */
const INSERT_CHUNK = 1000;

export interface LoteSummary extends FichaLote {
  por_estado: Record<EstadoFicha, number>;
}

/** The fields the batches list sorts by. */
export const LOTE_SORTS = ['creado_en', 'cantidad', 'router_id', 'tipo_usuario'] as const;
export type LoteSort = (typeof LOTE_SORTS)[number];
export interface LoteFilters { router_id?: string; tipo_usuario?: 'pin' | 'usuario_contrasena' }
export interface LotePage { limit: number; offset: number; sort: LoteSort; order: 'ASC' | 'DESC' }

export function createFichasStore(knex: Knex) {
  const lotes = () => FichaLoteModel.query(knex);
  const fichas = () => FichaModel.query(knex);

  async function countsByLote(ids: string[]): Promise<Map<string, Record<EstadoFicha, number>>> {
    const out = new Map<string, Record<EstadoFicha, number>>();
    if (ids.length === 0) return out;
    const rows = (await fichas().whereIn('lote_id', ids).select('lote_id', 'estado').count('* as n').groupBy('lote_id', 'estado')) as unknown as Array<{ lote_id: string; estado: EstadoFicha; n: string }>;
    for (const id of ids) out.set(id, { pendiente: 0, disponible: 0, usada: 0, expirada: 0, anulada: 0, fallida: 0 });
    for (const row of rows) out.get(row.lote_id)![row.estado] = Number(row.n);
    return out;
  }

  async function transition(id: string, from: EstadoFicha[], to: EstadoFicha, set: Partial<Ficha> = {}): Promise<Ficha | null> {
    const stamp = { disponible: 'disponible_en', usada: 'usada_en', anulada: 'anulada_en', expirada: 'expirada_en', pendiente: null, fallida: null }[to];
    const patch: Record<string, unknown> = { ...set, estado: to, actualizado_en: knex.fn.now() };
    if (stamp && !(stamp in set)) patch[stamp] = knex.fn.now();
    const rows = await fichas().patch(patch as Partial<FichaModel>).where({ id }).whereIn('estado', from).returning('*') as unknown as Ficha[];
    return rows[0] ?? null;
  }

  return {
    transition,

    /**
     * Inserts the batch and its vouchers in one transaction. A code that already
     * exists on the router (unique index) makes the insert fail; the caller
     * draws new codes and tries again.
     */
    async insertLote(
      lote: Omit<FichaLote, 'creado_en'>, nuevas: NewFicha[], maxPendientes = Infinity, options: InsertLoteOptions = {},
    ): Promise<{ lote: FichaLote; fichas: Ficha[] } | 'codigo_repetido' | { limite: number; pendientes: number }> {
      try {
        return await knex.transaction(async (trx) => {
          if (Number.isFinite(maxPendientes) && !options.disponibles) {
            // Raw: a transaction-scoped advisory lock (Objection cannot say it) serialises one company's
            // batches, so two at once cannot both fit under the cap of outstanding vouchers.
            await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`fichas:${lote.empresa_id}`]);
            const row = await FichaModel.query(trx).where({ empresa_id: lote.empresa_id, estado: 'pendiente' }).count('* as n').first() as unknown as { n: string };
            const pendientes = Number(row?.n ?? 0);
            if (pendientes + nuevas.length > maxPendientes) return { limite: maxPendientes, pendientes };
          }
          const created = await FichaLoteModel.query(trx).insert(lote).returning('*') as unknown as FichaLote;
          const estado = options.disponibles ? { estado: 'disponible', disponible_en: knex.fn.now() } : {};
          const rows: Ficha[] = [];
          for (let i = 0; i < nuevas.length; i += INSERT_CHUNK) {
            rows.push(...await FichaModel.query(trx).insert(nuevas.slice(i, i + INSERT_CHUNK).map((f) => ({
              lote_id: lote.id, empresa_id: lote.empresa_id, router_id: lote.router_id, codigo: f.codigo, contrasena_enc: f.contrasena_enc, ...estado,
            })) as Partial<FichaModel>[]).returning('*') as unknown as Ficha[]);
          }
          if (options.alsoWrite) await options.alsoWrite(trx as unknown as Tx, rows);
          return { lote: created, fichas: rows };
        });
      } catch (error) {
        if ((error as { code?: string; constraint?: string }).code === '23505' && (error as { constraint?: string }).constraint === 'fichas_codigo_por_router') return 'codigo_repetido';
        throw error;
      }
    },

    /** One page of the company's batches (by `sort`, then id), their vouchers counted by state, and how many batches match. */
    async listLotes(empresaId: string, filters: LoteFilters = {}, page: LotePage = { limit: 100, offset: 0, sort: 'creado_en', order: 'DESC' }): Promise<PageOf<LoteSummary>> {
      const q = lotes().where({ empresa_id: empresaId });
      if (filters.router_id) q.where({ router_id: filters.router_id });
      if (filters.tipo_usuario) q.where({ tipo_usuario: filters.tipo_usuario });
      const total = await q.clone().resultSize();
      const rows = await q.orderBy([{ column: page.sort, order: page.order }, { column: 'id', order: page.order }])
        .offset(page.offset).limit(page.limit) as unknown as FichaLote[];
      const counts = await countsByLote(rows.map((r) => r.id));
      return { rows: rows.map((r) => ({ ...r, por_estado: counts.get(r.id)! })), total };
    },

    async getLote(empresaId: string, loteId: string): Promise<LoteSummary | null> {
      const row = await lotes().where({ id: loteId, empresa_id: empresaId }).first() as unknown as FichaLote | undefined;
      if (!row) return null;
      const counts = await countsByLote([row.id]);
      return { ...row, por_estado: counts.get(row.id)! };
    },

    async fichasDeLote(loteId: string): Promise<Ficha[]> {
      return fichas().where({ lote_id: loteId }).orderBy('id') as unknown as Promise<Ficha[]>;
    },

    /** A voucher with its batch, in one query (every voucher job starts here). */
    async getFicha(id: string): Promise<(Ficha & { lote: FichaLote }) | null> {
      if (!/^\d{1,19}$/.test(id)) return null;
      const row = await FichaModel.query(knex).alias('f').join('fichas_lotes as l', 'l.id', 'f.lote_id').where('f.id', id)
        .select('f.*', knex.raw('row_to_json(l.*) as lote')).first() as unknown as (Ficha & { lote: FichaLote }) | undefined;
      return row ?? null;
    },

    async fichasPorCodigo(empresaId: string, codigo: string): Promise<Ficha[]> {
      return fichas().where({ empresa_id: empresaId, codigo }).orderBy('id') as unknown as Promise<Ficha[]>;
    },

    async renombrar(id: string, codigo: string, contrasenaEnc: string | null): Promise<boolean> {
      try {
        const n = await fichas().patch({ codigo, contrasena_enc: contrasenaEnc, actualizado_en: knex.fn.now() } as unknown as Partial<FichaModel>)
          .where({ id, estado: 'pendiente' });
        return n > 0;
      } catch (error) {
        if ((error as { code?: string }).code === '23505') return false;
        throw error;
      }
    },

    async recordAttempt(id: string, error: string | null) {
      await fichas().patch({ intentos: knex.raw('intentos + 1'), ultimo_error: error, actualizado_en: knex.fn.now() } as unknown as Partial<FichaModel>).where({ id });
    },

    /** Vouchers not on their router yet and untouched for a while: the reconciler's. */
    async pendientesEstancadas(before: Date, limit = 1000): Promise<Array<{ id: string; empresa_id: string; router_id: string }>> {
      const rows = await fichas().where('estado', 'pendiente').where('actualizado_en', '<', before).orderBy('actualizado_en').limit(limit).select('id', 'empresa_id', 'router_id');
      return rows.map((r) => ({ id: String(r.id), empresa_id: r.empresa_id, router_id: r.router_id }));
    },

    /** Whose a voucher is (a job queued without it). */
    async owner(id: string): Promise<{ empresa_id: string; router_id: string } | null> {
      if (!/^\d{1,19}$/.test(id)) return null;
      const row = await fichas().findById(id).select('empresa_id', 'router_id') as unknown as { empresa_id: string; router_id: string } | undefined;
      return row ?? null;
    },

    /** Routers holding vouchers whose use we still watch. */
    async routersConFichasVigentes(): Promise<string[]> {
      const rows = await fichas().whereIn('estado', ['disponible', 'usada']).distinct('router_id');
      return rows.map((r) => r.router_id);
    },

    /** Vouchers still watched on a router, with their batch's limits. */
    async vigentesDeRouter(routerId: string): Promise<Array<Ficha & { limit_uptime: string | null; limit_bytes_total: string | number | null }>> {
      return FichaModel.query(knex).alias('f').join('fichas_lotes as l', 'l.id', 'f.lote_id')
        .where('f.router_id', routerId).whereIn('f.estado', ['disponible', 'usada'])
        .select('f.*', 'l.limit_uptime', 'l.limit_bytes_total') as unknown as Promise<Array<Ficha & { limit_uptime: string | null; limit_bytes_total: string | number | null }>>;
    },

    /** Vouchers of a router in these states, with their batch (RADIUS mode: the accounting job). */
    async deRouterEnEstados(routerId: string, estados: EstadoFicha[], limit = 5000): Promise<Array<Ficha & { lote: FichaLote }>> {
      const rows = await FichaModel.query(knex).alias('f').join('fichas_lotes as l', 'l.id', 'f.lote_id')
        .where('f.router_id', routerId).whereIn('f.estado', estados).orderBy('f.id').limit(limit)
        .select('f.*', knex.raw('row_to_json(l.*) as lote')) as unknown as Array<Ficha & { lote: FichaLote }>;
      return rows;
    },

    /** Cash revenue: price × vouchers used (or used up), per currency. */
    async ingresosEfectivo(empresaId: string): Promise<Array<{ moneda: string; total: string; fichas: number }>> {
      const rows = await FichaModel.query(knex).alias('f').join('fichas_lotes as l', 'l.id', 'f.lote_id')
        .where('f.empresa_id', empresaId).whereIn('f.estado', ['usada', 'expirada']).whereNotNull('f.usada_en')
        .groupBy('l.moneda').orderBy('l.moneda')
        .select('l.moneda', knex.raw('sum(l.precio)::text as total'), knex.raw('count(*)::int as fichas'));
      return rows as unknown as Array<{ moneda: string; total: string; fichas: number }>;
    },
  };
}

export type FichasStore = ReturnType<typeof createFichasStore>;
