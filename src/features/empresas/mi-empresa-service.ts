/**
 * The company of a cliente_admin (GET/PUT /api/v1/admin/mi-empresa), its
 * dashboard and its payment credentials.
 *
 * The empresa id always comes from the session (never from the request), so an
 * admin can only ever read or change its own company. Gateway secrets are
 * sealed before they reach PostgreSQL and only leave this module masked.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Config } from '../../platform/config';
import { maskSecret, type SecretBox } from '../../platform/crypto/secret-box';
import { NotFoundError, ValidationError } from '../../platform/errors';
import { ESTADOS_HOTSPOT, ESTADOS_PAGO, latestSales } from '../transacciones';

export const MI_EMPRESA_NOT_FOUND = 'Empresa no encontrada';

export interface MiEmpresaUpdate {
  nombre?: string;
  contacto_email?: string;
  contacto_telefono?: string | null;
  /** Empty string or null clears it. */
  telegram_bot_token?: string | null;
  telegram_chat_id?: string | null;
}

export interface ConektaConfig {
  private_key?: string;
  public_key?: string;
  mode?: 'test' | 'live';
  /** PEM; empty string or null removes it (webhooks are then re-fetched but not signature-checked). */
  webhook_public_key?: string | null;
}

export interface MercadoPagoConfig {
  access_token?: string;
  public_key?: string;
  webhook_secret?: string;
  mode?: 'test' | 'live';
}

const COLUMNS = [
  'id', 'nombre', 'contacto_email', 'contacto_telefono', 'activa', 'creada_en', 'actualizada_en',
  'conekta_private_key_enc', 'conekta_public_key', 'conekta_mode', 'conekta_webhook_public_key',
  'mp_access_token_enc', 'mp_public_key', 'mp_webhook_secret_enc', 'mp_mode',
  'telegram_bot_token_enc', 'telegram_chat_id',
] as const;

type EmpresaRow = Record<(typeof COLUMNS)[number], any>;

const blankToNull = (value: string | null | undefined) => (value === undefined ? undefined : value === null || value.trim() === '' ? null : value);

/** sha256 of the DER public key: lets an admin recognise the key without printing it. */
function publicKeyFingerprint(pem: string | null): string | null {
  if (!pem) return null;
  try {
    const der = crypto.createPublicKey(pem).export({ type: 'spki', format: 'der' });
    return `SHA256:${crypto.createHash('sha256').update(der).digest('base64')}`;
  } catch {
    return null;
  }
}

export function createMiEmpresaService(deps: {
  knex: Knex; secrets: SecretBox; config: Pick<Config, 'publicBaseUrl'>;
  /** Cash revenue from printed vouchers (price × used vouchers), per currency (issue 15). */
  ingresosFichas?: (empresaId: string) => Promise<Array<{ moneda: string; total: string; fichas: number }>>;
}) {
  const { knex, secrets, config } = deps;

  async function load(empresaId: string, db: Knex | Knex.Transaction = knex): Promise<EmpresaRow> {
    const row = await db('empresas').where({ id: empresaId }).first(...COLUMNS);
    if (!row) throw new NotFoundError(MI_EMPRESA_NOT_FOUND);
    return row as EmpresaRow;
  }

  async function patch(empresaId: string, values: Record<string, unknown>): Promise<EmpresaRow> {
    if (Object.keys(values).length === 0) return load(empresaId);
    const [row] = await knex('empresas').where({ id: empresaId })
      .update({ ...values, actualizada_en: knex.fn.now() })
      .returning([...COLUMNS]);
    if (!row) throw new NotFoundError(MI_EMPRESA_NOT_FOUND);
    return row as EmpresaRow;
  }

  const webhookUrl = (gateway: 'mercado-pago' | 'conekta', empresaId: string) =>
    `${config.publicBaseUrl}/api/v1/webhook/${gateway}/${empresaId}`;

  function toPublic(row: EmpresaRow) {
    const telegramToken = secrets.open(row.telegram_bot_token_enc);
    return {
      id: row.id as string,
      nombre: row.nombre as string,
      contacto_email: row.contacto_email as string,
      contacto_telefono: row.contacto_telefono as string | null,
      activa: row.activa as boolean,
      creada_en: row.creada_en as Date,
      actualizada_en: row.actualizada_en as Date,
      conekta_configurado: Boolean(row.conekta_private_key_enc && row.conekta_public_key),
      conekta_public_key: row.conekta_public_key as string | null,
      conekta_mode: row.conekta_mode as 'test' | 'live',
      mercado_pago_configurado: Boolean(row.mp_access_token_enc && row.mp_public_key),
      mercado_pago_public_key: row.mp_public_key as string | null,
      mercado_pago_mode: row.mp_mode as 'test' | 'live',
      telegram_configurado: Boolean(telegramToken && row.telegram_chat_id),
      telegram_bot_token: maskSecret(telegramToken),
      telegram_chat_id: row.telegram_chat_id as string | null,
    };
  }

  function conektaView(row: EmpresaRow) {
    const privateKey = secrets.open(row.conekta_private_key_enc);
    return {
      configurado: Boolean(privateKey && row.conekta_public_key),
      mode: row.conekta_mode as 'test' | 'live',
      private_key: maskSecret(privateKey),
      public_key: row.conekta_public_key as string | null,
      webhook_public_key_configurada: Boolean(row.conekta_webhook_public_key),
      webhook_public_key_fingerprint: publicKeyFingerprint(row.conekta_webhook_public_key),
      webhook_url: webhookUrl('conekta', row.id),
    };
  }

  function mercadoPagoView(row: EmpresaRow) {
    const accessToken = secrets.open(row.mp_access_token_enc);
    const webhookSecret = secrets.open(row.mp_webhook_secret_enc);
    return {
      configurado: Boolean(accessToken && row.mp_public_key),
      mode: row.mp_mode as 'test' | 'live',
      access_token: maskSecret(accessToken),
      public_key: row.mp_public_key as string | null,
      webhook_secret: maskSecret(webhookSecret),
      webhook_secret_configurado: Boolean(webhookSecret),
      webhook_url: webhookUrl('mercado-pago', row.id),
    };
  }

  return {
    async get(empresaId: string) {
      return toPublic(await load(empresaId));
    },

    /** Partial: an omitted field keeps its value. Activation and gateway keys are not changed here. */
    async update(empresaId: string, body: MiEmpresaUpdate) {
      const values: Record<string, unknown> = {};
      if (body.nombre !== undefined) values.nombre = body.nombre.trim();
      if (body.contacto_email !== undefined) values.contacto_email = body.contacto_email;
      if (body.contacto_telefono !== undefined) values.contacto_telefono = blankToNull(body.contacto_telefono);
      const token = blankToNull(body.telegram_bot_token);
      if (token !== undefined) values.telegram_bot_token_enc = secrets.seal(token);
      const chat = blankToNull(body.telegram_chat_id);
      if (chat !== undefined) values.telegram_chat_id = chat;
      return toPublic(await patch(empresaId, values));
    },

    async conekta(empresaId: string) {
      return conektaView(await load(empresaId));
    },

    /** An omitted field keeps its value (the mode too: the original silently reset it). */
    async configureConekta(empresaId: string, body: ConektaConfig) {
      const values: Record<string, unknown> = {};
      if (body.private_key !== undefined) values.conekta_private_key_enc = secrets.seal(body.private_key.trim());
      if (body.public_key !== undefined) values.conekta_public_key = body.public_key.trim();
      if (body.mode !== undefined) values.conekta_mode = body.mode;
      const pem = blankToNull(body.webhook_public_key);
      if (pem !== undefined) {
        if (pem !== null) {
          try {
            crypto.createPublicKey(pem);
          } catch {
            throw new ValidationError("El campo 'webhook_public_key' no es una llave pública PEM válida", 'webhook_public_key');
          }
        }
        values.conekta_webhook_public_key = pem === null ? null : pem.trim();
      }
      const row = await patch(empresaId, values);
      return { message: 'Credenciales de Conekta configuradas correctamente', ...conektaView(row) };
    },

    async mercadoPago(empresaId: string) {
      return mercadoPagoView(await load(empresaId));
    },

    /** An omitted field keeps its value; an empty string clears it. */
    async configureMercadoPago(empresaId: string, body: MercadoPagoConfig) {
      const values: Record<string, unknown> = {};
      const token = blankToNull(body.access_token);
      if (token !== undefined) values.mp_access_token_enc = secrets.seal(token === null ? null : token.trim());
      const publicKey = blankToNull(body.public_key);
      if (publicKey !== undefined) values.mp_public_key = publicKey === null ? null : publicKey.trim();
      const webhookSecret = blankToNull(body.webhook_secret);
      if (webhookSecret !== undefined) values.mp_webhook_secret_enc = secrets.seal(webhookSecret === null ? null : webhookSecret.trim());
      if (body.mode !== undefined) values.mp_mode = body.mode;
      const row = await patch(empresaId, values);
      return { message: 'Credenciales de Mercado Pago configuradas correctamente', ...mercadoPagoView(row) };
    },

    /**
     * Totals by normalized status, revenue (paid transactions only, summed in
     * PostgreSQL as numeric per currency), routers and the latest sales.
     */
    async dashboard(empresaId: string) {
      const empresa = await load(empresaId);
      const [byPago, byHotspot, revenue, routers, productos, ultimas] = await Promise.all([
        knex('transacciones').where({ empresa_id: empresaId }).select('estado_pago')
          .count<{ estado_pago: string; count: number }[]>('* as count').groupBy('estado_pago'),
        knex('transacciones').where({ empresa_id: empresaId }).select('estado_hotspot')
          .count<{ estado_hotspot: string; count: number }[]>('* as count').groupBy('estado_hotspot'),
        knex('transacciones').where({ empresa_id: empresaId, estado_pago: 'paid' })
          .select('moneda', knex.raw('sum(monto)::text as total'), knex.raw('count(*)::int as transacciones'))
          .groupBy('moneda').orderBy('moneda') as unknown as Promise<Array<{ moneda: string; total: string; transacciones: number }>>,
        knex('routers').where({ empresa_id: empresaId })
          .select('id', 'nombre', 'ubicacion', 'activo')
          .orderBy([{ column: 'creado_en', order: 'asc' }, { column: 'id', order: 'asc' }]),
        knex('productos').where({ empresa_id: empresaId }).whereNull('eliminado_en')
          .first(knex.raw('count(*)::int as total'), knex.raw('count(*) filter (where activo)::int as activos')) as unknown as Promise<{ total: number; activos: number }>,
        latestSales(knex, empresaId, 10),
      ]);
      const [porMetodo, fichas] = await Promise.all([
        knex('transacciones').where({ empresa_id: empresaId, estado_pago: 'paid' })
          .select('metodo_pago', 'moneda', knex.raw('sum(monto)::text as total'), knex.raw('count(*)::int as transacciones'))
          .groupBy('metodo_pago', 'moneda').orderBy(['metodo_pago', 'moneda']) as unknown as Promise<Array<{ metodo_pago: string; moneda: string; total: string; transacciones: number }>>,
        deps.ingresosFichas ? deps.ingresosFichas(empresaId) : Promise.resolve([]),
      ]);
      const ingresosPorMetodo: Record<string, Record<string, { total: string; transacciones: number }>> = { tarjeta: {}, oxxo: {}, paycash: {} };
      for (const r of porMetodo) (ingresosPorMetodo[r.metodo_pago] ??= {})[r.moneda] = { total: r.total, transacciones: Number(r.transacciones) };
      const porEstadoPago = Object.fromEntries(ESTADOS_PAGO.map((e) => [e, 0])) as Record<string, number>;
      for (const row of byPago) porEstadoPago[row.estado_pago] = Number(row.count);
      const porEstadoHotspot = Object.fromEntries(ESTADOS_HOTSPOT.map((e) => [e, 0])) as Record<string, number>;
      for (const row of byHotspot) porEstadoHotspot[row.estado_hotspot] = Number(row.count);
      const activos = routers.filter((r) => r.activo).length;
      return {
        empresa: { id: empresa.id as string, nombre: empresa.nombre as string, activa: empresa.activa as boolean },
        transacciones: {
          total: Object.values(porEstadoPago).reduce((a, b) => a + b, 0),
          por_estado_pago: porEstadoPago,
          por_estado_hotspot: porEstadoHotspot,
        },
        // Paid sales only: refunded and charged-back money is not revenue.
        ingresos: Object.fromEntries(revenue.map((r) => [r.moneda, { total: r.total, transacciones: Number(r.transacciones) }])),
        // Sales split by how they were paid (card, cash at OXXO / Paycash).
        ingresos_por_metodo: ingresosPorMetodo,
        // Cash taken at the counter for printed vouchers: price × vouchers used, apart from card revenue.
        ingresos_fichas: Object.fromEntries(fichas.map((r) => [r.moneda, { total: r.total, fichas_usadas: Number(r.fichas) }])),
        routers: { total: routers.length, activos, inactivos: routers.length - activos, lista: routers },
        productos: { total: Number(productos?.total ?? 0), activos: Number(productos?.activos ?? 0) },
        ultimas_ventas: ultimas,
        timestamp: new Date().toISOString(),
      };
    },
  };
}

export type MiEmpresaService = ReturnType<typeof createMiEmpresaService>;
