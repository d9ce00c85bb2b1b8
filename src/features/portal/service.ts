/** What the captive portal may read with its router key: public data only. */
import type { Config } from '../../platform/config';
import type { RouterPrincipal } from '../../platform/http/context';
import { NotFoundError } from '../../platform/errors';
import { gatewaysConfigured, logoUrl, modeOf, type EmpresasStore } from '../empresas';
import type { RoutersStore } from '../routers';
import { portalPaymentMethods } from '../checkout';
import type { GatewayRegistry } from '../../integrations/gateways';

export function createPortalService(deps: { empresas: Pick<EmpresasStore, 'find'>; routers: Pick<RoutersStore, 'find'>; config: Config; gateways: GatewayRegistry }) {
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
        // The original's fields (public keys, Conekta mode) beside ours; a key is
        // shown only when its gateway can actually charge. Then what the payment
        // form shows: the logo, the company's contact and its privacy notice.
        empresa: {
          id: empresa.id, nombre: empresa.nombre,
          conekta_public_key: gateways.conekta.configurado ? gateways.conekta.public_key : null,
          mercadopago_public_key: gateways.mercado_pago.configurado ? gateways.mercado_pago.public_key : null,
          conekta_mode: modeOf(empresa, 'conekta'),
          logo_url: logoUrl(empresa.logo_nombre),
          contacto: { email: empresa.contacto_email, telefono: empresa.contacto_telefono, texto: empresa.contacto_portal },
          aviso_privacidad: empresa.aviso_privacidad,
        },
        router: { id: router.id, nombre: router.nombre, ubicacion: router.ubicacion },
        // The router's own trial login (issue 24): the portal offers it when on.
        prueba: { activa: Boolean(router.prueba?.activa), minutos: router.prueba?.minutos ?? 10 },
        conekta: {
          habilitado: gateways.conekta.configurado,
          public_key: gateways.conekta.configurado ? gateways.conekta.public_key : null,
          mode: modeOf(empresa, 'conekta'),
        },
        mercado_pago: {
          habilitado: gateways.mercado_pago.configurado,
          public_key: gateways.mercado_pago.configurado ? gateways.mercado_pago.public_key : null,
          mode: modeOf(empresa, 'mercadopago'),
        },
        // What the payment form asks for: the phone is required only where a method needs it (Conekta's cash).
        // Every registered gateway the portal's page knows how to take a card with, once its settings view says it is configured.
        metodos_pago: portalPaymentMethods(deps.gateways.all.filter((p) => p.portalCard), (id) => deps.gateways.get(id).settingsView.configured(empresa.pasarelas[id], config)),
      };
    },
  };
}

export type PortalService = ReturnType<typeof createPortalService>;
