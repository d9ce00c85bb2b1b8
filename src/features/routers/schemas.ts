/**
 * The request bodies of the routers feature, declared once: the routes
 * validate and document (/openapi.json) with them, and the service's input
 * types are derived from them (json-schema-to-ts), so the two cannot drift.
 */
import { object } from '../../platform/http/schemas';
import { host, line, optionalLine, port, secretText } from '../../platform/http/admin-common';

const routerFields = {
  empresa_id: { type: 'string', description: 'Debe coincidir con el empresa_id de la ruta', example: 'EMP_3A9F1C0B2D' },
  nombre: line(120, { description: 'Nombre del router', example: 'Router Principal' }),
  host,
  puerto: port,
  usuario: line(100, { description: 'Usuario de la API de MikroTik', example: 'admin' }),
  password: secretText(255, { description: 'Contraseña de la API de MikroTik. Se guarda cifrada y nunca se devuelve.' }),
  ubicacion: optionalLine(255, { description: 'Ubicación física (opcional)', example: 'Lobby Piso 1' }),
  tls: { type: 'boolean', description: 'Usar API-SSL. Por omisión true con el puerto 8729 y false con 8728.' },
  tls_insecure: { type: 'boolean', description: 'Aceptar el certificado autofirmado del router (API-SSL)' },
  modo: {
    type: 'string', enum: ['api', 'radius'],
    description: "'api' (por omisión): el servicio se conecta a la API del router. 'radius': el router pregunta al servidor RADIUS "
      + '(routers detrás de NAT); host, usuario y contraseña son opcionales y nunca se usan.',
  },
} as const;

/** POST /admin/empresas/:empresa_id/routers. host, usuario and password: required in api mode (the service checks). */
export const routerCreateBody = object(routerFields, ['empresa_id', 'nombre'], {
  example: {
    empresa_id: 'EMP_3A9F1C0B2D', nombre: 'Router Principal', host: '192.168.88.1', puerto: 8728,
    usuario: 'admin', password: 'secure_password', ubicacion: 'Lobby Piso 1',
  },
});

/** PUT /admin/empresas/:empresa_id/routers/:router_id: partial, an omitted field keeps its value. */
export const routerUpdateBody = object(routerFields, [], { example: { host: '10.0.0.1', puerto: 8729, password: 'nueva_password' } });
