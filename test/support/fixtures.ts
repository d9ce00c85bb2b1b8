/** Rows for tests, written straight to the database (the API is tested elsewhere). */
import type { Knex } from 'knex';
import type { Container } from '../../src/container';
import { newEmpresaId, newRouterId } from '../../src/platform/ids';

let counter = 0;
const next = () => ++counter;

export async function insertEmpresa(c: Container, extra: Record<string, unknown> = {}) {
  const n = next();
  const [row] = await c.knex('empresas').insert({
    id: newEmpresaId(), nombre: `Empresa ${n}`, contacto_email: `empresa${n}@example.com`, ...extra,
  }).returning('*');
  return row as { id: string; nombre: string };
}

/** The fields of a company's account with one gateway (a row of `empresa_pasarelas`). */
export interface PasarelaFields {
  modo?: 'test' | 'live'; llave_publica?: string | null; secreto_enc?: string | null; webhook_llave?: string | null; webhook_secreto_enc?: string | null;
  webhook_id?: string | null; webhook_llave_id?: string | null; webhook_estado?: 'automatico' | 'manual' | 'error' | null; webhook_error?: string | null;
}

/** Sets fields of a company's account with `pasarela` (created if absent; other fields keep their values). */
export async function setPasarela(knex: Knex, empresaId: string, pasarela: string, values: PasarelaFields): Promise<void> {
  const q = knex('empresa_pasarelas').insert({ ...values, empresa_id: empresaId, pasarela }).onConflict(['empresa_id', 'pasarela']);
  await (Object.keys(values).length > 0 ? q.merge(values) : q.ignore());
}

/** The company's stored account with `pasarela` (undefined: none). */
export async function pasarelaOf(knex: Knex, empresaId: string, pasarela: string): Promise<Record<string, any> | undefined> {
  return knex('empresa_pasarelas').where({ empresa_id: empresaId, pasarela }).first();
}

export async function insertRouter(c: Container, empresaId: string, extra: Record<string, unknown> = {}) {
  const [row] = await c.knex('routers').insert({
    id: newRouterId(), empresa_id: empresaId, nombre: `Router ${next()}`, host: '127.0.0.1', puerto: 8728,
    usuario: 'admin', password_enc: c.secrets.seal('router-pass'), ...extra,
  }).returning('*');
  return row as { id: string; empresa_id: string; nombre: string; host: string; puerto: number };
}

/**
 * Issues and stores a router API key exactly as the service does (hash and sealed key);
 * `hashOnly`: as keys issued before the key was kept sealed (issue 23).
 */
export async function insertApiKey(c: Container, routerId: string, empresaId: string, now?: Date, options: { hashOnly?: boolean } = {}) {
  const issued = c.apiKeys.issue(routerId, empresaId, now);
  await c.knex('router_api_keys').insert({ ...issued.row, api_key_enc: options.hashOnly ? null : c.secrets.seal(issued.apiKey) });
  return issued;
}

export async function insertUsuario(c: Container, extra: { email?: string; password?: string; rol?: string; empresa_id?: string | null; activo?: boolean } = {}) {
  const password = extra.password ?? 'ClientePass456!';
  const [row] = await c.knex('usuarios').insert({
    email: extra.email ?? `admin${next()}@cliente.test`,
    password_hash: await c.passwords.hash(password),
    nombre: 'Admin Cliente',
    rol: extra.rol ?? 'cliente_admin',
    empresa_id: extra.empresa_id ?? null,
    activo: extra.activo ?? true,
  }).returning('*');
  return { ...row, password } as { id: number; email: string; password: string; empresa_id: string | null };
}

/** A company with an active router, its key and a cliente_admin. */
export async function insertEscenario(c: Container) {
  const empresa = await insertEmpresa(c);
  const router = await insertRouter(c, empresa.id);
  const key = await insertApiKey(c, router.id, empresa.id);
  const admin = await insertUsuario(c, { empresa_id: empresa.id });
  return { empresa, router, apiKey: key.apiKey, keyId: key.row.key_id, admin };
}
