/** What the captive portal may read with its router key: public data only. */
import type { Config } from '../../platform/config';
import type { RouterPrincipal } from '../../platform/http/context';
import { NotFoundError } from '../../platform/errors';
import { gatewaysConfigured, type EmpresasStore } from '../empresas';
import type { RoutersStore } from '../routers';

export function createPortalService(deps: { empresas: Pick<EmpresasStore, 'find'>; routers: Pick<RoutersStore, 'find'>; config: Pick<Config, 'conekta'> }) {
  const { config } = deps;
  return {
    async publicConfig(principal: RouterPrincipal) {
      // The key check already tied this router to this company.
      const [router, empresa] = await Promise.all([
        deps.routers.find(principal.empresaId, principal.routerId),
        deps.empresas.find(principal.empresaId),
      ]);
      if (!router || !empresa) throw new NotFoundError('Router no encontrado');
      // The same answer the admins see and the gateway factory charges with.
      const gateways = gatewaysConfigured(empresa, config);
      return {
        empresa: { id: empresa.id, nombre: empresa.nombre },
        router: { id: router.id, nombre: router.nombre, ubicacion: router.ubicacion },
        conekta: {
          habilitado: gateways.conekta.configurado,
          public_key: gateways.conekta.configurado ? gateways.conekta.public_key : null,
          mode: empresa.conekta_mode,
        },
        mercado_pago: {
          habilitado: gateways.mercado_pago.configurado,
          public_key: gateways.mercado_pago.configurado ? gateways.mercado_pago.public_key : null,
          mode: empresa.mp_mode,
        },
      };
    },
  };
}

export type PortalService = ReturnType<typeof createPortalService>;
