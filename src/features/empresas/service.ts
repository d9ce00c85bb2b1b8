/**
 * Companies (empresas), as the super admin manages them. Gateway secrets are
 * sealed before they reach PostgreSQL and never leave this module: responses
 * say whether a gateway is configured, not what its private key is.
 */
import type { FromSchema } from 'json-schema-to-ts';
import type { Config } from '../../platform/config';
import type { SecretBox } from '../../platform/crypto/secret-box';
import { BadRequestError, NotFoundError } from '../../platform/errors';
import { accountOf, gatewaysConfigured, modeOf } from './gateways';
import { pageOf, type PageOf, type PageRequest } from '../../platform/http/paging';
import type { EmpresaFilters, EmpresaRow, EmpresaSort, EmpresaValues, EmpresasStore, PasarelaValues } from './store';
import type { empresaCreateBody, empresaUpdateBody } from './schemas';

export const EMPRESA_NOT_FOUND = 'Empresa no encontrada';

/**
 * POST /admin/empresas, as its schema (schemas.ts) validated it. Both Conekta
 * keys are optional, as in the original; `conekta_mode` is "test" when omitted.
 */
export type EmpresaCreate = FromSchema<typeof empresaCreateBody>;

/** PUT /admin/empresas/:empresa_id: every field optional (an omitted one keeps its value). */
export type EmpresaUpdate = FromSchema<typeof empresaUpdateBody>;

export interface EmpresaPublic {
  id: string;
  nombre: string;
  contacto_email: string;
  contacto_telefono: string | null;
  activa: boolean;
  creada_en: Date;
  actualizada_en: Date;
  conekta_configurado: boolean;
  conekta_public_key: string | null;
  conekta_mode: 'test' | 'live';
  mercado_pago_configurado: boolean;
  mp_public_key: string | null;
  mp_mode: 'test' | 'live';
  telegram_configurado: boolean;
  telegram_chat_id: string | null;
}

/**
 * What both admins' views of a company start with: its data and whether each
 * gateway is configured (the same answer the portal sells with), never a secret.
 */
export function empresaSummary(row: EmpresaRow, config: Config) {
  const gateways = gatewaysConfigured(row, config);
  return {
    id: row.id,
    nombre: row.nombre,
    contacto_email: row.contacto_email,
    contacto_telefono: row.contacto_telefono,
    activa: row.activa,
    creada_en: row.creada_en,
    actualizada_en: row.actualizada_en,
    conekta_configurado: gateways.conekta.configurado,
    conekta_public_key: accountOf(row, 'conekta')?.llave_publica ?? null,
    conekta_mode: modeOf(row, 'conekta'),
    mercado_pago_configurado: gateways.mercado_pago.configurado,
  };
}

/** The super admin's view. */
export function toEmpresaPublic(row: EmpresaRow, config: Config): EmpresaPublic {
  return {
    ...empresaSummary(row, config),
    mp_public_key: accountOf(row, 'mercadopago')?.llave_publica ?? null,
    mp_mode: modeOf(row, 'mercadopago'),
    telegram_configurado: Boolean(row.telegram_bot_token_enc && row.telegram_chat_id),
    telegram_chat_id: row.telegram_chat_id,
  };
}

/** The company (id, activa, nombre) or 404 "Empresa no encontrada"; a malformed id never reaches the database. */
export async function requireEmpresa(store: EmpresasStore, empresaId: string): Promise<{ id: string; activa: boolean; nombre: string }> {
  const row = await store.findRef(empresaId);
  if (!row) throw new NotFoundError(EMPRESA_NOT_FOUND);
  return row;
}

export function createEmpresasService(deps: { store: EmpresasStore; secrets: SecretBox; config: Config }) {
  const { store, secrets, config } = deps;
  const toPublic = (row: EmpresaRow) => toEmpresaPublic(row, config);

  async function load(empresaId: string): Promise<EmpresaRow> {
    const row = await store.find(empresaId);
    if (!row) throw new NotFoundError(EMPRESA_NOT_FOUND);
    return row;
  }

  function telegramColumns(body: EmpresaUpdate): EmpresaValues {
    const out: EmpresaValues = {};
    if (body.telegram_bot_token !== undefined) out.telegram_bot_token_enc = secrets.seal(body.telegram_bot_token);
    if (body.telegram_chat_id !== undefined) out.telegram_chat_id = body.telegram_chat_id;
    return out;
  }

  /** The Conekta fields of the original's body (`conekta_*`) as the account's fields; undefined: none given. */
  function conektaAccount(body: EmpresaUpdate): PasarelaValues | undefined {
    const account: PasarelaValues = {};
    if (body.conekta_private_key !== undefined) account.secreto_enc = secrets.seal(body.conekta_private_key);
    if (body.conekta_public_key !== undefined) account.llave_publica = body.conekta_public_key;
    if (body.conekta_mode !== undefined) account.modo = body.conekta_mode;
    return Object.keys(account).length > 0 ? account : undefined;
  }

  return {
    async create(body: EmpresaCreate): Promise<EmpresaPublic> {
      // An empty private key is no key, as in the original.
      const conekta = conektaAccount({ ...body, conekta_private_key: body.conekta_private_key || undefined });
      const row = await store.insert({
        nombre: body.nombre.trim(),
        contacto_email: body.contacto_email,
        contacto_telefono: body.contacto_telefono ?? null,
        activa: true,
        ...telegramColumns(body),
      }, conekta ? { conekta } : {});
      return toPublic(row);
    },

    /** A page of companies (newest first unless sorted otherwise) and how many match. */
    async list(query: EmpresaFilters & PageRequest<EmpresaSort> = {}): Promise<PageOf<EmpresaPublic>> {
      const page = await store.list({ activa: query.activa, q: query.q }, pageOf(query, { sort: 'creada_en' }));
      return { rows: page.rows.map(toPublic), total: page.total };
    },

    async get(empresaId: string): Promise<EmpresaPublic> {
      return toPublic(await load(empresaId));
    },

    /** Partial update: a field that is absent keeps its value. */
    async update(empresaId: string, body: EmpresaUpdate): Promise<EmpresaPublic> {
      const patch: EmpresaValues = { ...telegramColumns(body) };
      if (body.nombre !== undefined) patch.nombre = body.nombre.trim();
      if (body.contacto_email !== undefined) patch.contacto_email = body.contacto_email;
      if (body.contacto_telefono !== undefined) patch.contacto_telefono = body.contacto_telefono;
      const conekta = conektaAccount(body);
      if (Object.keys(patch).length === 0 && !conekta) return toPublic(await load(empresaId));
      const row = conekta ? await store.savePasarela(empresaId, 'conekta', conekta, patch) : await store.patch(empresaId, patch);
      if (!row) throw new NotFoundError(EMPRESA_NOT_FOUND);
      return toPublic(row);
    },

    /**
     * Flips `activa` in one statement. Deactivating a company refuses every
     * key of its routers on the next portal request (the key check joins it).
     */
    async toggle(empresaId: string) {
      const row = await store.toggle(empresaId);
      if (!row) throw new NotFoundError(EMPRESA_NOT_FOUND);
      return {
        message: row.activa ? 'Empresa activada correctamente' : 'Empresa desactivada correctamente',
        empresa_id: row.id,
        activa: row.activa,
      };
    },
  };
}

export type EmpresasService = ReturnType<typeof createEmpresasService>;

export function assertSameEmpresa(pathId: string, bodyId: string | undefined): void {
  if (bodyId !== undefined && bodyId !== pathId) {
    throw new BadRequestError('El empresa_id del cuerpo no coincide con el de la ruta');
  }
}
