/** What the captive portal may read with its router key: public data only. */
import type { Knex } from 'knex';
import type { Config } from '../../platform/config';
import type { RouterPrincipal } from '../../platform/http/context';
import { NotFoundError } from '../../platform/errors';
import { logoUrl } from '../empresas';

export function createPortalService(deps: { knex: Knex; config: Pick<Config, 'conekta'> }) {
  const { knex, config } = deps;
  return {
    async publicConfig(principal: RouterPrincipal) {
      const row = await knex('routers as r')
        .join('empresas as e', 'e.id', 'r.empresa_id')
        .where('r.id', principal.routerId)
        .first(
          'e.id as empresa_id', 'e.nombre as empresa_nombre', 'e.conekta_public_key', 'e.conekta_mode', 'e.conekta_private_key_enc',
          'e.mp_public_key', 'e.mp_mode', 'e.mp_access_token_enc', 'r.id as router_id', 'r.nombre as router_nombre', 'r.ubicacion',
          'e.contacto_email', 'e.contacto_telefono', 'e.contacto_portal', 'e.aviso_privacidad', 'e.logo_nombre',
        );
      if (!row) throw new NotFoundError('Router no encontrado');
      const conektaPublic = row.conekta_public_key ?? (config.conekta.defaultPublicKey || null);
      const conektaReady = Boolean(row.conekta_private_key_enc ?? config.conekta.defaultPrivateKey) && Boolean(conektaPublic);
      const mpPublic = row.mp_access_token_enc ? row.mp_public_key : null;
      return {
        // The original's fields (public keys, Conekta mode) beside ours; a key is
        // shown only when its gateway can actually charge.
        empresa: {
          id: row.empresa_id, nombre: row.empresa_nombre,
          conekta_public_key: conektaReady ? conektaPublic : null, mercadopago_public_key: mpPublic, conekta_mode: row.conekta_mode,
          logo_url: logoUrl(row.logo_nombre),
          contacto: { email: row.contacto_email, telefono: row.contacto_telefono, texto: row.contacto_portal },
          aviso_privacidad: row.aviso_privacidad,
        },
        router: { id: row.router_id, nombre: row.router_nombre, ubicacion: row.ubicacion },
        conekta: { habilitado: conektaReady, public_key: conektaReady ? conektaPublic : null, mode: row.conekta_mode },
        mercado_pago: {
          habilitado: Boolean(row.mp_access_token_enc && row.mp_public_key),
          public_key: mpPublic,
          mode: row.mp_mode,
        },
      };
    },
  };
}

export type PortalService = ReturnType<typeof createPortalService>;
