/**
 * The company of a cliente_admin (GET/PUT /api/v1/admin/mi-empresa), its
 * dashboard and its payment credentials.
 *
 * The empresa id always comes from the session (never from the request), so an
 * admin can only ever read or change its own company. Gateway secrets are
 * sealed before they reach PostgreSQL and only leave this module masked.
 */
import crypto from 'node:crypto';
import type { FromSchema } from 'json-schema-to-ts';
import type { Config } from '../../platform/config';
import { maskSecret, type SecretBox } from '../../platform/crypto/secret-box';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors';
import { canonicalTimeZone } from '../../platform/time-zone';
import { accountOf, gatewaysConfigured, modeOf } from './gateways';
import { empresaSummary } from './service';
import { logoUrl } from './logos';
import { toCents } from '../../platform/money';
import type { EmpresaRow, EmpresaValues, EmpresasStore, PasarelaRow, PasarelaValues } from './store';
import type { conektaConfigBody, mercadoPagoConfigBody, miEmpresaUpdateBody, pasarelaConfigBody } from './schemas';
import type { ConektaWebhooks } from './conekta-webhooks';
import type { AccountField, GatewayName, GatewayProvider, GatewayRegistry } from '../../integrations/gateways';

export const MI_EMPRESA_NOT_FOUND = 'Empresa no encontrada';

/**
 * PUT /api/v1/admin/mi-empresa, as its schema (schemas.ts) validated it:
 * partial; "" or null clears the Telegram token and chat, the portal contact
 * and the privacy notice; `zona_horaria` is an IANA name (checked here).
 */
export type MiEmpresaUpdate = FromSchema<typeof miEmpresaUpdateBody>;

/**
 * The Conekta credentials, with ours and the original's names (`conekta_*`,
 * where an empty value keeps the stored key). `webhook_public_key` is a PEM;
 * "" or null removes it (webhooks are then re-fetched but not signature-checked).
 */
export type ConektaConfig = FromSchema<typeof conektaConfigBody>;

/**
 * The Mercado Pago credentials, and Telegram as the original's form also set
 * it here. A null field keeps its value (the original's form sends null for
 * "leave as it is"); "" clears it.
 */
export type MercadoPagoConfig = FromSchema<typeof mercadoPagoConfigBody>;

/** Any registered gateway's account fields (PUT /api/v1/admin/mi-empresa/pasarelas/:pasarela). */
export type PasarelaConfig = FromSchema<typeof pasarelaConfigBody>;

const MASK = '********';

export const PASARELA_NOT_FOUND = 'Pasarela no encontrada';

/** Each account field typed in, and the column it is stored in (sealed where the column ends in `_enc`). */
const ACCOUNT_COLUMNS: Record<AccountField, 'secreto_enc' | 'llave_publica' | 'webhook_llave' | 'webhook_secreto_enc'> = {
  secreto: 'secreto_enc', llave_publica: 'llave_publica', webhook_llave: 'webhook_llave', webhook_secreto: 'webhook_secreto_enc',
};

/**
 * What the dashboard shows besides the company itself, read by the features
 * that own it (routers, productos, transacciones) and wired in by the
 * composition root: this feature does not depend on them.
 */
export interface MiEmpresaDashboardSources {
  /** Counts by state and paid revenue per currency. */
  ventas(empresaId: string): Promise<{
    transacciones: { total: number; por_estado_pago: Record<string, number>; por_estado_hotspot: Record<string, number> };
    ingresos: Record<string, { total: string; transacciones: number }>;
  }>;
  ultimasVentas(empresaId: string, count: number): Promise<unknown[]>;
  routers(empresaId: string): Promise<Array<{ id: string; nombre: string; ubicacion: string | null; activo: boolean }>>;
  productos(empresaId: string): Promise<{ total: number; activos: number }>;
  /** Today, this week, this month and the last 30 days, counted in the company's time zone. */
  periodos(empresaId: string, zonaHoraria: string): Promise<{ periodos: Record<string, unknown>; ingresos_diarios: unknown[] }>;
  /** Paid sales per payment method (tarjeta, oxxo, paycash, spei), per currency (issues 15, 24). */
  ingresosPorMetodo?(empresaId: string): Promise<Array<{ metodo_pago: string; moneda: string; total: string; transacciones: number }>>;
  /** Cash taken for printed vouchers: price × used vouchers, per currency (issue 15). */
  ingresosFichas?(empresaId: string): Promise<Array<{ moneda: string; total: string; fichas: number }>>;
  /** Trials started (the routers' own trial login), today, this week and this month, per router (issue 24, item 4). Never dials a router. */
  pruebas?(empresaId: string, zonaHoraria: string): Promise<Record<string, unknown>>;
}

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
  store: EmpresasStore;
  secrets: SecretBox;
  config: Config;
  dashboard: MiEmpresaDashboardSources;
  /** The registered gateways and each one's webhook URL (built there, once for every caller). */
  gateways: Pick<GatewayRegistry, 'webhookUrl' | 'all' | 'find'>;
  /** Registers Conekta's webhooks when keys are saved (issue 23); without it, webhooks are set by hand only. */
  conektaWebhooks?: ConektaWebhooks;
}) {
  const { store, secrets, config } = deps;

  async function load(empresaId: string): Promise<EmpresaRow> {
    const row = await store.find(empresaId);
    if (!row) throw new NotFoundError(MI_EMPRESA_NOT_FOUND);
    return row;
  }

  async function patch(empresaId: string, values: EmpresaValues): Promise<EmpresaRow> {
    if (Object.keys(values).length === 0) return load(empresaId);
    const row = await store.patch(empresaId, values);
    if (!row) throw new NotFoundError(MI_EMPRESA_NOT_FOUND);
    return row;
  }

  /** Saves the company's account with one gateway (an omitted field keeps its value). */
  async function saveAccount(empresaId: string, pasarela: string, values: PasarelaValues, empresa: EmpresaValues = {}): Promise<EmpresaRow> {
    if (Object.keys(values).length === 0) return patch(empresaId, empresa);
    const row = await store.savePasarela(empresaId, pasarela, values, empresa);
    if (!row) throw new NotFoundError(MI_EMPRESA_NOT_FOUND);
    return row;
  }

  /** The account's fields as read (a gateway never saved reads as empty, in test mode). */
  const account = (row: EmpresaRow, pasarela: string): Partial<PasarelaRow> & { modo: 'test' | 'live' } => ({ ...accountOf(row, pasarela), modo: modeOf(row, pasarela) });

  const webhookUrl = (gateway: GatewayName, empresaId: string) => deps.gateways.webhookUrl(config.publicBaseUrl, gateway, empresaId);

  /** The route a company configures a gateway at: the original's own, else the registry's. */
  const settingsRoute = (provider: GatewayProvider) => provider.settingsPath ?? `/api/v1/admin/mi-empresa/pasarelas/${provider.id}`;

  function providerOf(id: string): GatewayProvider {
    const provider = deps.gateways.find(id);
    if (!provider) throw new NotFoundError(PASARELA_NOT_FOUND);
    return provider;
  }

  /** Any registered gateway's account as its settings show it: secrets masked, never in clear. */
  function accountView(row: EmpresaRow, provider: GatewayProvider) {
    const stored = accountOf(row, provider.id);
    return {
      pasarela: provider.id,
      nombre: provider.label,
      configurado: provider.settingsView.configured(stored, config),
      modo: modeOf(row, provider.id),
      // Its credentials schema, in its provider's words: what the settings form asks for.
      campos: Object.entries(provider.accountFields).map(([campo, descripcion]) => ({ campo, descripcion })),
      secreto: maskSecret(secrets.open(stored?.secreto_enc ?? null)),
      llave_publica: stored?.llave_publica ?? null,
      webhook_llave_configurada: Boolean(stored?.webhook_llave),
      webhook_secreto: maskSecret(secrets.open(stored?.webhook_secreto_enc ?? null)),
      webhook_url: webhookUrl(provider.id, row.id),
      ruta_configuracion: settingsRoute(provider),
    };
  }

  function toPublic(row: EmpresaRow) {
    const telegramToken = secrets.open(row.telegram_bot_token_enc);
    return {
      ...empresaSummary(row, config),
      mercado_pago_public_key: accountOf(row, 'mercadopago')?.llave_publica ?? null,
      mercado_pago_mode: modeOf(row, 'mercadopago'),
      telegram_configurado: Boolean(telegramToken && row.telegram_chat_id),
      telegram_bot_token: maskSecret(telegramToken),
      telegram_chat_id: row.telegram_chat_id,
      notificaciones_telegram: row.notificaciones_telegram,
      logo_url: logoUrl(row.logo_nombre),
      contacto_portal: row.contacto_portal,
      aviso_privacidad: row.aviso_privacidad,
      zona_horaria: row.zona_horaria,
    };
  }

  async function timeZone(value: string): Promise<string> {
    const name = canonicalTimeZone(value);
    if (!name || !(await store.zonaHorariaConocida(name))) {
      throw new ValidationError(`La zona horaria '${value.slice(0, 64)}' no es válida: use un nombre IANA, por ejemplo America/Mexico_City`, 'zona_horaria');
    }
    return name;
  }

  function conektaView(row: EmpresaRow) {
    const conekta = account(row, 'conekta');
    const privateKey = secrets.open(conekta.secreto_enc);
    const publicKey = conekta.llave_publica ?? null;
    const pem = conekta.webhook_llave ?? null;
    const webhooks = deps.conektaWebhooks?.estado(row);
    return {
      configurado: gatewaysConfigured(row, config).conekta.configurado,
      mode: conekta.modo,
      private_key: maskSecret(privateKey),
      public_key: publicKey,
      webhook_public_key_configurada: Boolean(pem),
      webhook_public_key_fingerprint: publicKeyFingerprint(pem),
      webhook_url: webhookUrl('conekta', row.id),
      // The original's view: secrets only ever as "********".
      configuracion_actual: { conekta_public_key: publicKey, conekta_mode: conekta.modo, conekta_private_key: privateKey ? MASK : null },
      webhook_aviso: webhooks
        ? (['automatico', 'manual', 'plataforma'].includes(webhooks.estado) ? null : webhooks.texto)
        : pem ? null
          : 'Sin llave de webhooks los eventos de Conekta se rechazan (los pagos se confirman consultando a Conekta, con más demora): cree una llave con POST /webhook_keys en Conekta y envíe su llave pública como webhook_public_key.',
      webhook_estado: webhooks?.estado ?? (pem ? 'manual' : 'sin_configurar'),
      webhook_estado_texto: webhooks?.texto ?? (pem ? 'Webhooks configurados a mano.' : 'Sin webhooks.'),
    };
  }

  function mercadoPagoView(row: EmpresaRow) {
    const mp = account(row, 'mercadopago');
    const accessToken = secrets.open(mp.secreto_enc);
    const webhookSecret = secrets.open(mp.webhook_secreto_enc);
    const publicKey = mp.llave_publica ?? null;
    return {
      configurado: gatewaysConfigured(row, config).mercado_pago.configurado,
      mode: mp.modo,
      access_token: maskSecret(accessToken),
      public_key: publicKey,
      webhook_secret: maskSecret(webhookSecret),
      webhook_secret_configurado: Boolean(webhookSecret),
      webhook_url: webhookUrl('mercadopago', row.id),
      configuracion_actual: { access_token: accessToken ? MASK : null, public_key: publicKey, mode: mp.modo, webhook_secret: webhookSecret ? MASK : null },
      webhook_aviso: webhookSecret ? null
        : 'Sin clave secreta las notificaciones de Mercado Pago se rechazan (los pagos se confirman consultando a Mercado Pago, con más demora): copie la "clave secreta" de Webhooks de su aplicación en Mercado Pago y envíela como webhook_secret.',
    };
  }

  return {
    async get(empresaId: string) {
      return toPublic(await load(empresaId));
    },

    /** Partial: an omitted field keeps its value. Activation and gateway keys are not changed here. */
    async update(empresaId: string, body: MiEmpresaUpdate) {
      const values: EmpresaValues = {};
      if (body.nombre !== undefined) values.nombre = body.nombre.trim();
      if (body.contacto_email !== undefined) values.contacto_email = body.contacto_email;
      if (body.contacto_telefono !== undefined) values.contacto_telefono = blankToNull(body.contacto_telefono);
      const token = blankToNull(body.telegram_bot_token);
      if (token !== undefined) values.telegram_bot_token_enc = secrets.seal(token);
      const chat = blankToNull(body.telegram_chat_id);
      if (chat !== undefined) values.telegram_chat_id = chat;
      if (body.zona_horaria !== undefined) values.zona_horaria = await timeZone(body.zona_horaria);
      if (body.notificaciones_telegram !== undefined) values.notificaciones_telegram = body.notificaciones_telegram;
      const contacto = blankToNull(body.contacto_portal);
      if (contacto !== undefined) values.contacto_portal = contacto === null ? null : contacto.trim();
      const aviso = blankToNull(body.aviso_privacidad);
      if (aviso !== undefined) values.aviso_privacidad = aviso === null ? null : aviso.trim();
      const empresa = toPublic(await patch(empresaId, values));
      return {
        ...empresa,
        // The original's answer beside ours (the bot token masked, never in clear).
        message: 'Información de la empresa actualizada correctamente',
        empresa: {
          nombre: empresa.nombre, contacto_email: empresa.contacto_email, contacto_telefono: empresa.contacto_telefono,
          telegram_bot_token: empresa.telegram_bot_token, telegram_chat_id: empresa.telegram_chat_id, notificaciones_telegram: empresa.notificaciones_telegram,
        },
      };
    },

    async conekta(empresaId: string) {
      return conektaView(await load(empresaId));
    },

    /** An omitted field keeps its value (the mode too: the original silently reset it). */
    async configureConekta(empresaId: string, input: ConektaConfig) {
      // The original's names: an empty value keeps what is stored.
      const keep = (v: string | null | undefined) => (v === null || v === undefined || v.trim() === '' ? undefined : v);
      const body = {
        ...input,
        private_key: input.private_key ?? keep(input.conekta_private_key),
        public_key: input.public_key ?? keep(input.conekta_public_key),
        mode: input.mode ?? input.conekta_mode,
      };
      const before = await load(empresaId);
      const values: PasarelaValues = {};
      if (body.private_key !== undefined) values.secreto_enc = secrets.seal(body.private_key.trim());
      if (body.public_key !== undefined) values.llave_publica = body.public_key.trim();
      if (body.mode !== undefined) values.modo = body.mode;
      const pem = blankToNull(body.webhook_public_key);
      if (pem !== undefined) {
        if (pem !== null) {
          try {
            crypto.createPublicKey(pem);
          } catch {
            throw new ValidationError("El campo 'webhook_public_key' no es una llave pública PEM válida", 'webhook_public_key');
          }
        }
        values.webhook_llave = pem === null ? null : pem.trim();
      }
      let row = await saveAccount(empresaId, 'conekta', values);
      // Our webhook URL and a webhook key registered at Conekta (unless a PEM was typed by hand): outside any transaction.
      if (deps.conektaWebhooks) row = await deps.conektaWebhooks.afterSave(before, row, { manualPem: pem !== undefined });
      return { message: 'Credenciales de Conekta configuradas correctamente', ...conektaView(row) };
    },

    /** Every registered gateway's account, in the registry's order. */
    async pasarelas(empresaId: string) {
      const row = await load(empresaId);
      return deps.gateways.all.map((provider) => accountView(row, provider));
    },

    async pasarela(empresaId: string, id: string) {
      const provider = providerOf(id);
      return accountView(await load(empresaId), provider);
    },

    /**
     * Saves the account fields of a registered gateway that has no settings path
     * of the original's (those keep theirs: 409 says where). A field the gateway
     * does not take is a 422 naming it; an omitted field keeps its value; "" or
     * null clears it; secrets are sealed before they reach PostgreSQL.
     */
    async configurePasarela(empresaId: string, id: string, body: PasarelaConfig) {
      const provider = providerOf(id);
      if (provider.settingsPath) throw new ConflictError(`${provider.label} se configura en ${provider.settingsPath}`);
      const values: PasarelaValues = {};
      for (const [field, value] of Object.entries(body) as Array<[keyof PasarelaConfig, string | null | undefined]>) {
        if (value === undefined) continue;
        if (field === 'modo') {
          values.modo = value as 'test' | 'live';
          continue;
        }
        if (!(field in provider.accountFields)) throw new ValidationError(`La pasarela ${provider.label} no usa el campo '${field}'`, field);
        const text = blankToNull(value);
        const column = ACCOUNT_COLUMNS[field];
        values[column] = column.endsWith('_enc') ? secrets.seal(text === null || text === undefined ? null : text.trim()) : text?.trim() ?? null;
      }
      const row = await saveAccount(empresaId, provider.id, values);
      return { message: `Credenciales de ${provider.label} guardadas correctamente`, ...accountView(row, provider) };
    },

    async mercadoPago(empresaId: string) {
      return mercadoPagoView(await load(empresaId));
    },

    /** An omitted field keeps its value; an empty string clears it. */
    async configureMercadoPago(empresaId: string, input: MercadoPagoConfig) {
      // The original's form sends null for "leave as it is".
      const body = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null)) as { [K in keyof MercadoPagoConfig]: Exclude<MercadoPagoConfig[K], null> };
      const account: PasarelaValues = {};
      const token = blankToNull(body.access_token);
      if (token !== undefined) account.secreto_enc = secrets.seal(token === null ? null : token.trim());
      const publicKey = blankToNull(body.public_key);
      if (publicKey !== undefined) account.llave_publica = publicKey === null ? null : publicKey.trim();
      const webhookSecret = blankToNull(body.webhook_secret);
      if (webhookSecret !== undefined) account.webhook_secreto_enc = secrets.seal(webhookSecret === null ? null : webhookSecret.trim());
      if (body.mode !== undefined) account.modo = body.mode;
      // Telegram, as the original's form sent it: "" clears.
      const values: EmpresaValues = {};
      if (body.telegram_bot_token !== undefined) values.telegram_bot_token_enc = secrets.seal(blankToNull(body.telegram_bot_token) ?? null);
      if (body.telegram_chat_id !== undefined) values.telegram_chat_id = blankToNull(body.telegram_chat_id) ?? null;
      if (body.notificaciones_telegram !== undefined) values.notificaciones_telegram = body.notificaciones_telegram;
      const row = await saveAccount(empresaId, 'mercadopago', account, values);
      const mp = accountOf(row, 'mercadopago');
      // The original's names of what was set.
      const names: Record<string, string> = {
        secreto_enc: 'access_token', llave_publica: 'public_key', webhook_secreto_enc: 'webhook_secret', modo: 'mode',
        telegram_bot_token_enc: 'telegram_bot_token', telegram_chat_id: 'telegram_chat_id', notificaciones_telegram: 'notificaciones_telegram',
      };
      const telegramReady = Boolean(secrets.open(row.telegram_bot_token_enc) && row.telegram_chat_id);
      return {
        message: 'Credenciales de Mercado Pago configuradas correctamente',
        ...mercadoPagoView(row),
        // The original's answer beside ours: what is set, never the values.
        success: true,
        empresa: { id: row.id, nombre: row.nombre },
        campos_modificados: [...Object.keys(account), ...Object.keys(values)].map((k) => names[k] ?? k),
        configuracion_actual: {
          access_token: Boolean(mp?.secreto_enc), webhook_secret: Boolean(mp?.webhook_secreto_enc), public_key: Boolean(mp?.llave_publica),
          mode: modeOf(row, 'mercadopago'), telegram_configurado: telegramReady, telegram_activo: telegramReady && row.notificaciones_telegram,
        },
      };
    },

    /**
     * Totals by normalized status, revenue (paid transactions only, summed in
     * PostgreSQL as numeric per currency), routers and the latest sales.
     */
    async dashboard(empresaId: string) {
      const empresa = await load(empresaId);
      const [ventas, routers, productos, ultimas, periodos] = await Promise.all([
        deps.dashboard.ventas(empresaId),
        deps.dashboard.routers(empresaId),
        deps.dashboard.productos(empresaId),
        deps.dashboard.ultimasVentas(empresaId, 10),
        deps.dashboard.periodos(empresaId, empresa.zona_horaria),
      ]);
      const [porMetodo, fichas, pruebas] = await Promise.all([
        deps.dashboard.ingresosPorMetodo?.(empresaId) ?? [],
        deps.dashboard.ingresosFichas?.(empresaId) ?? [],
        deps.dashboard.pruebas?.(empresaId, empresa.zona_horaria),
      ]);
      const ingresosPorMetodo: Record<string, Record<string, { total: string; transacciones: number }>> = { tarjeta: {}, oxxo: {}, paycash: {}, spei: {} };
      for (const r of porMetodo) (ingresosPorMetodo[r.metodo_pago] ??= {})[r.moneda] = { total: r.total, transacciones: Number(r.transacciones) };
      const activos = routers.filter((r) => r.activo).length;
      return {
        empresa: { id: empresa.id, nombre: empresa.nombre, activa: empresa.activa },
        // Paid sales only: refunded and charged-back money is not revenue.
        ...ventas,
        // Sales split by how they were paid (card, cash at OXXO / Paycash).
        ingresos_por_metodo: ingresosPorMetodo,
        // Cash taken at the counter for printed vouchers: price × vouchers used, apart from the sales above.
        ingresos_fichas: Object.fromEntries(fichas.map((r) => [r.moneda, { total: r.total, fichas_usadas: Number(r.fichas) }])),
        routers: { total: routers.length, activos, inactivos: routers.length - activos, lista: routers },
        productos,
        ultimas_ventas: ultimas,
        zona_horaria: empresa.zona_horaria,
        ...periodos,
        ...(pruebas ? { pruebas } : {}),
        timestamp: new Date().toISOString(),
        // The original's dashboard fields beside ours (`ingresos_totales` a JSON number, every currency summed as the original did).
        estadisticas: {
          total_transacciones: ventas.transacciones.total,
          ingresos_totales: Object.values(ventas.ingresos).reduce((sum, r) => sum + toCents(r.total), 0) / 100,
          transacciones_pagadas: ventas.transacciones.por_estado_pago.paid ?? 0,
          transacciones_pendientes: (ventas.transacciones.por_estado_pago.pending ?? 0) + (ventas.transacciones.por_estado_pago.unknown ?? 0),
          total_routers: routers.length,
        },
        transacciones_recientes: (ultimas as Array<Record<string, any>>).slice(0, 5).map((v) => ({
          id: v.id, transaccion_id: v.transaccion_id, monto: v.monto, estado: v.estado_pago, fecha: v.creado_en,
        })),
      };
    },
  };
}

export type MiEmpresaService = ReturnType<typeof createMiEmpresaService>;
