/** Cliente admin: its company, dashboard and payment credentials (issue 5 items 1–2). */
import type { ConektaConfig, MercadoPagoConfig, MiEmpresaService, PasarelaConfig } from './mi-empresa-service';
import type { ApiRouter } from '../../platform/http/api-router';
import { dateTime, errorResponse, object, pathParams, str } from '../../platform/http/schemas';
import type { JsonSchema } from '../../platform/http/validation';
import type { AppContext } from '../../platform/http/context';
import { clienteErrors, empresaOf, nullableString } from '../../platform/http/cliente-common';
import { conektaConfigBody, gatewayMode as mode, mercadoPagoConfigBody, miEmpresaUpdateBody, pasarelaConfigBody } from './schemas';

const tags = ['Cliente admin: mi empresa'];

const empresaExample = {
  id: 'EMP_3A9F1C0B2D', nombre: 'WiFi Plaza', contacto_email: 'admin@wifiplaza.mx', contacto_telefono: '+52 55 1234 5678', activa: true,
  creada_en: '2025-01-15T09:00:00.000Z', actualizada_en: '2025-01-20T10:00:00.000Z',
  conekta_configurado: true, conekta_public_key: 'key_pub_test_abc123', conekta_mode: 'test',
  mercado_pago_configurado: false, mercado_pago_public_key: null, mercado_pago_mode: 'test',
  telegram_configurado: true, telegram_bot_token: '••••wxyz', telegram_chat_id: '-1001234567890',
  notificaciones_telegram: true, logo_url: '/static/logos/logo_EMP_3A9F1C0B2D_a1b2c3d4e5f6.png',
  contacto_portal: 'WhatsApp 55 1234 5678', aviso_privacidad: 'Usamos tu correo solo para enviarte tu recibo.',
  zona_horaria: 'America/Mexico_City',
};

const empresaSchema = object({
  id: str(), nombre: str(), contacto_email: str(), contacto_telefono: nullableString, activa: { type: 'boolean' },
  creada_en: dateTime, actualizada_en: dateTime,
  conekta_configurado: { type: 'boolean' }, conekta_public_key: nullableString, conekta_mode: mode,
  mercado_pago_configurado: { type: 'boolean' }, mercado_pago_public_key: nullableString, mercado_pago_mode: mode,
  telegram_configurado: { type: 'boolean' }, telegram_bot_token: { ...nullableString, description: 'Enmascarado' }, telegram_chat_id: nullableString,
  notificaciones_telegram: { type: 'boolean', description: 'Avisar cada venta y rechazo al chat de Telegram' },
  logo_url: { ...nullableString, description: 'URL pública relativa del logo (POST /api/v1/admin/mi-empresa/logo)' },
  contacto_portal: { ...nullableString, description: 'Contacto que el portal muestra al cliente' },
  aviso_privacidad: { ...nullableString, description: 'Aviso de privacidad que el portal muestra junto al formulario de pago' },
  zona_horaria: str({ description: 'Zona horaria IANA de la empresa: el panel muestra las horas en ella y el tablero cuenta días, semanas y meses en ella' }),
}, Object.keys(empresaExample), { additionalProperties: true });

const conektaExample = {
  configurado: true, mode: 'live', private_key: '••••9f2a', public_key: 'key_pub_live_abc123',
  webhook_public_key_configurada: true, webhook_public_key_fingerprint: 'SHA256:3q2+7w==',
  webhook_url: 'https://api.example.com/api/v1/webhook/conekta/EMP_3A9F1C0B2D', webhook_aviso: null,
  webhook_estado: 'automatico', webhook_estado_texto: 'Webhooks configurados automáticamente: Conekta avisa de cada pago a este servicio y cada aviso se verifica con su firma.',
};
const conektaSchema = object({
  configurado: { type: 'boolean' }, mode, private_key: { ...nullableString, description: 'Enmascarada: nunca se devuelve completa' },
  public_key: nullableString, webhook_public_key_configurada: { type: 'boolean' }, webhook_public_key_fingerprint: nullableString,
  webhook_url: str({ format: 'uri', description: 'URL a registrar como webhook en Conekta' }),
  webhook_aviso: { ...nullableString, description: 'Qué falta configurar para que los webhooks se acepten (sin llave se rechazan)' },
  webhook_estado: {
    type: 'string', enum: ['automatico', 'manual', 'error', 'plataforma', 'sin_configurar'],
    description: 'automatico: el servicio registró la URL y la llave de webhooks en Conekta al guardar las llaves; manual: llave pública pegada a mano; '
      + 'error: Conekta no aceptó el registro (ver webhook_estado_texto); plataforma: usa la cuenta de Conekta de la plataforma; sin_configurar: faltan las llaves',
  },
  webhook_estado_texto: str({ description: 'El estado de los webhooks en español, para mostrarlo tal cual' }),
}, Object.keys(conektaExample), { additionalProperties: true });

const mpExample = {
  configurado: true, mode: 'test', access_token: '••••8a9b', public_key: 'TEST-5c1b2d3e-public', webhook_secret: '••••c3d4',
  webhook_secret_configurado: true, webhook_url: 'https://api.example.com/api/v1/webhook/mercado-pago/EMP_3A9F1C0B2D', webhook_aviso: null,
};
const mpSchema = object({
  configurado: { type: 'boolean' }, mode, access_token: { ...nullableString, description: 'Enmascarado' }, public_key: nullableString,
  webhook_secret: { ...nullableString, description: 'Enmascarado' }, webhook_secret_configurado: { type: 'boolean' },
  webhook_url: str({ format: 'uri', description: 'URL a pegar en Mercado Pago (Tus integraciones → Webhooks)' }),
  webhook_aviso: { ...nullableString, description: 'Qué falta configurar para que las notificaciones se acepten (sin clave secreta se rechazan)' },
}, Object.keys(mpExample), { additionalProperties: true });

const pasarelaExample = {
  pasarela: 'conekta', nombre: 'Conekta', configurado: true, modo: 'live',
  campos: [
    { campo: 'secreto', descripcion: 'Llave privada de Conekta (key_...)' },
    { campo: 'llave_publica', descripcion: 'Llave pública de Conekta, con la que el portal tokeniza la tarjeta' },
    { campo: 'webhook_llave', descripcion: 'Llave pública PEM con la que Conekta firma sus webhooks' },
  ],
  secreto: '••••9f2a', llave_publica: 'key_pub_live_abc123', webhook_llave_configurada: true, webhook_secreto: null,
  webhook_url: 'https://api.example.com/api/v1/webhook/conekta/EMP_3A9F1C0B2D', ruta_configuracion: '/api/v1/admin/mi-empresa/configurar-conekta',
};
const pasarelaSchema = object({
  pasarela: str({ description: 'Id de la pasarela en el registro (el de `transacciones.gateway`)' }),
  nombre: str(), configurado: { type: 'boolean', description: 'El portal puede cobrar con ella' }, modo: mode,
  campos: {
    type: 'array', description: 'Los campos que esta pasarela usa (los demás se rechazan), con su descripción',
    items: object({ campo: { type: 'string', enum: ['secreto', 'llave_publica', 'webhook_llave', 'webhook_secreto'] }, descripcion: str() }, ['campo', 'descripcion']),
  },
  secreto: { ...nullableString, description: 'Enmascarado' }, llave_publica: nullableString,
  webhook_llave_configurada: { type: 'boolean' }, webhook_secreto: { ...nullableString, description: 'Enmascarado' },
  webhook_url: str({ format: 'uri', description: 'URL de webhooks a registrar en la pasarela' }),
  ruta_configuracion: str({ description: 'Dónde se configura: la ruta del servicio original de esa pasarela, o la de esta API' }),
}, Object.keys(pasarelaExample));
const pasarelaParams = pathParams({ pasarela: { type: 'string', minLength: 1, maxLength: 40, description: 'Id de la pasarela (conekta, mercadopago, …)', example: 'conekta' } });

const moneyByCurrency: JsonSchema = { type: 'object', additionalProperties: str({ pattern: '^\\d+\\.\\d{2}$' }), description: 'Por moneda, texto decimal' };
const periodoSchema = object({
  desde: { ...dateTime, description: 'Inicio del periodo (medianoche en la zona horaria de la empresa)' },
  ingresos_tarjeta: moneyByCurrency,
  ingresos_efectivo: { ...moneyByCurrency, description: 'OXXO / Paycash pagados y fichas impresas usadas, por moneda' },
  ingresos_spei: { ...moneyByCurrency, description: 'Transferencias SPEI pagadas, por moneda' },
  ventas: { type: 'integer', description: 'Ventas pagadas (tarjeta, efectivo y SPEI)' },
  declinadas: { type: 'integer' },
  aprovisionamientos_fallidos: { type: 'integer', description: 'Ventas cuyo usuario hotspot no se pudo crear' },
  fichas_usadas: { type: 'integer', description: 'Fichas impresas usadas por primera vez en el periodo (su precio está en ingresos_efectivo)' },
}, ['desde', 'ingresos_tarjeta', 'ingresos_efectivo', 'ingresos_spei', 'ventas', 'declinadas', 'aprovisionamientos_fallidos', 'fichas_usadas']);
const periodoExample = (desde: string, tarjeta: string, ventas: number) => ({
  desde, ingresos_tarjeta: { MXN: tarjeta }, ingresos_efectivo: {}, ingresos_spei: {}, ventas, declinadas: 0, aprovisionamientos_fallidos: 0, fichas_usadas: 0,
});

/** Trials started on the routers' own trial login (issue 24, item 4): read from the table the routers feature keeps, never from a router. */
const pruebasSchema = object({
  hoy: { type: 'integer' }, semana: { type: 'integer' }, mes: { type: 'integer' },
  completo: { type: 'boolean', description: 'false si algún router con prueba no tiene un conteo reciente (estado desconocido)' },
  routers: {
    type: 'array',
    items: object({
      router_id: str(), nombre: str(), modo: { type: 'string', enum: ['api', 'radius'] }, prueba_activa: { type: 'boolean' },
      hoy: { type: 'integer' }, semana: { type: 'integer' }, mes: { type: 'integer' },
      activas: { type: ['integer', 'null'], description: 'Sesiones de prueba en línea en la última lectura; null si no se sabe' },
      estado: { type: 'string', enum: ['ok', 'desconocido'] },
      fuente: { type: ['string', 'null'], enum: ['api', 'latido', null], description: "'api': leído del router; 'latido': de su latido (modo RADIUS, cota inferior)" },
      leido_en: { ...nullableString, format: 'date-time' },
      detalle: { ...nullableString, description: 'Por qué el conteo es desconocido' },
    }),
  },
}, ['hoy', 'semana', 'mes', 'completo', 'routers']);
const pruebasExample = {
  hoy: 7, semana: 31, mes: 112, completo: true,
  routers: [{
    router_id: 'RTR_A1B2C3D4', nombre: 'Router Principal', modo: 'api', prueba_activa: true, hoy: 7, semana: 31, mes: 112, activas: 2,
    estado: 'ok', fuente: 'api', leido_en: '2025-01-20T18:05:00.000Z', detalle: null,
  }],
};

const countsByState = (states: string[]) => object(Object.fromEntries(states.map((s) => [s, { type: 'integer' }])), states);

export function registerMiEmpresaRoutes(api: ApiRouter, deps: { miEmpresa: MiEmpresaService }) {
  const { miEmpresa } = deps;

  api.add({
    method: 'get', path: '/api/v1/admin/mi-empresa', auth: 'cliente_admin', tags,
    summary: 'Datos de mi empresa (sin llaves privadas)',
    responses: { 200: { description: 'Empresa', schema: empresaSchema, example: empresaExample }, ...clienteErrors },
    handler: (ctx) => miEmpresa.get(empresaOf(ctx)),
  });

  api.add({
    method: 'put', path: '/api/v1/admin/mi-empresa', auth: 'cliente_admin', tags,
    summary: 'Actualizar mi empresa (parcial: los campos omitidos conservan su valor)',
    description: 'Nombre, contacto, zona horaria y notificaciones de Telegram. El token del bot se guarda cifrado; "" o null lo borra. '
      + 'Las llaves de pago se configuran en sus propios endpoints.',
    body: miEmpresaUpdateBody,
    responses: {
      200: {
        description: 'Empresa actualizada; `message` y `empresa` son los campos del servicio original',
        schema: { ...empresaSchema, properties: { ...(empresaSchema.properties as object), message: str(), empresa: { type: 'object' } } },
        example: { ...empresaExample, message: 'Información de la empresa actualizada correctamente', empresa: { nombre: 'WiFi Plaza' } },
      },
      ...clienteErrors,
      422: errorResponse('Campo inválido o no permitido', "Campo no permitido: 'activa'"),
    },
    handler: (ctx, { body }) => miEmpresa.update(empresaOf(ctx), body),
  });

  api.add({
    method: 'get', path: '/api/v1/admin/mi-empresa/dashboard', auth: 'cliente_admin', tags,
    summary: 'Tablero: transacciones por estado, ingresos, routers, últimas ventas, periodos e ingresos diarios',
    description: '`periodos` (hoy, esta semana desde el lunes, este mes) e `ingresos_diarios` (30 días) se cuentan en la zona horaria de la empresa, '
      + 'por la fecha de creación de cada venta (como el filtro de fechas de ventas). '
      + 'Los ingresos cuentan solo transacciones pagadas (`paid`), sumadas en PostgreSQL por moneda y devueltas como texto decimal. '
      + '`ultimas_ventas` son las 10 transacciones más recientes (cualquier estado).',
    responses: {
      200: {
        description: 'Tablero',
        schema: object({
          empresa: object({ id: str(), nombre: str(), activa: { type: 'boolean' } }),
          transacciones: object({
            total: { type: 'integer' },
            por_estado_pago: countsByState(['pending', 'paid', 'declined', 'unknown', 'expired', 'refunded', 'charged_back']),
            por_estado_hotspot: countsByState(['pending', 'provisioning', 'active', 'failed', 'disabled', 'expired']),
          }),
          ingresos: {
            type: 'object',
            additionalProperties: object({ total: str({ pattern: '^\\d+\\.\\d{2}$' }), transacciones: { type: 'integer' } }),
          },
          ingresos_por_metodo: {
            type: 'object', description: 'Ventas pagadas por método: tarjeta, oxxo, paycash, spei; cada uno por moneda',
            additionalProperties: { type: 'object', additionalProperties: object({ total: str(), transacciones: { type: 'integer' } }) },
          },
          ingresos_fichas: {
            type: 'object', description: 'Efectivo de fichas impresas: precio × fichas usadas, por moneda (aparte de las ventas con tarjeta)',
            additionalProperties: object({ total: str(), fichas_usadas: { type: 'integer' } }),
          },
          routers: object({
            total: { type: 'integer' }, activos: { type: 'integer' }, inactivos: { type: 'integer' },
            lista: { type: 'array', items: object({ id: str(), nombre: str(), ubicacion: nullableString, activo: { type: 'boolean' } }) },
          }),
          productos: object({ total: { type: 'integer' }, activos: { type: 'integer' } }),
          ultimas_ventas: { type: 'array', items: { type: 'object' } },
          zona_horaria: str({ description: 'Zona horaria en la que se cuentan los periodos' }),
          periodos: object({ hoy: periodoSchema, semana: periodoSchema, mes: periodoSchema }, ['hoy', 'semana', 'mes']),
          ingresos_diarios: {
            type: 'array', description: 'Los últimos 30 días (hoy incluido), del más antiguo al más reciente',
            items: object({ fecha: str({ format: 'date' }), total: moneyByCurrency, ventas: { type: 'integer' } }, ['fecha', 'total', 'ventas']),
          },
          pruebas: { ...pruebasSchema, description: 'Pruebas gratis iniciadas (login «trial» del router): hoy, esta semana y este mes, por router (issue 24)' },
          timestamp: dateTime,
          estadisticas: object({
            total_transacciones: { type: 'integer' }, ingresos_totales: { type: 'number', description: 'Número JSON (todas las monedas sumadas, como el original)' },
            transacciones_pagadas: { type: 'integer' }, transacciones_pendientes: { type: 'integer' }, total_routers: { type: 'integer' },
          }),
          transacciones_recientes: {
            type: 'array', maxItems: 5,
            items: object({ id: str(), transaccion_id: str(), monto: { type: 'number' }, estado: str(), fecha: dateTime }),
          },
        }, ['empresa', 'transacciones', 'ingresos', 'routers', 'productos', 'ultimas_ventas', 'timestamp', 'estadisticas', 'transacciones_recientes', 'zona_horaria', 'periodos', 'ingresos_diarios']),
        example: {
          empresa: { id: 'EMP_3A9F1C0B2D', nombre: 'WiFi Plaza', activa: true },
          transacciones: {
            total: 12,
            por_estado_pago: { pending: 1, paid: 9, declined: 2, unknown: 0, expired: 0, refunded: 0, charged_back: 0 },
            por_estado_hotspot: { pending: 3, provisioning: 0, active: 8, failed: 1, disabled: 0, expired: 0 },
          },
          ingresos: { MXN: { total: '450.00', transacciones: 9 } },
          ingresos_por_metodo: { tarjeta: { MXN: { total: '410.00', transacciones: 8 } }, oxxo: { MXN: { total: '40.00', transacciones: 1 } }, paycash: {}, spei: {} },
          ingresos_fichas: { MXN: { total: '200.00', fichas_usadas: 10 } },
          routers: { total: 1, activos: 1, inactivos: 0, lista: [{ id: 'RTR_A1B2C3D4', nombre: 'Router Principal', ubicacion: 'Lobby', activo: true }] },
          productos: { total: 3, activos: 2 },
          ultimas_ventas: [],
          zona_horaria: 'America/Mexico_City',
          periodos: {
            hoy: periodoExample('2025-01-20T06:00:00.000Z', '40.00', 2),
            semana: periodoExample('2025-01-20T06:00:00.000Z', '40.00', 2),
            mes: periodoExample('2025-01-01T06:00:00.000Z', '450.00', 9),
          },
          ingresos_diarios: [{ fecha: '2025-01-20', total: { MXN: '40.00' }, ventas: 2 }],
          pruebas: pruebasExample,
          timestamp: '2025-01-20T10:00:00.000Z',
          estadisticas: { total_transacciones: 12, ingresos_totales: 450, transacciones_pagadas: 9, transacciones_pendientes: 1, total_routers: 1 },
          transacciones_recientes: [],
        },
      },
      ...clienteErrors,
    },
    handler: (ctx) => miEmpresa.dashboard(empresaOf(ctx)),
  });

  const conektaSpec = {
    auth: 'cliente_admin' as const, tags,
    summary: 'Configurar las llaves de Conekta (un campo omitido conserva su valor)',
    description: 'La llave privada se guarda cifrada y nunca se devuelve completa. `webhook_public_key` es la llave pública (PEM) '
      + 'con la que Conekta firma sus webhooks (encabezado `digest`); "" o null la quita. Acepta también los nombres del servicio '
      + 'original (`conekta_private_key`, `conekta_public_key`, `conekta_mode`).',
    body: conektaConfigBody,
    responses: {
      200: {
        description: 'Credenciales guardadas (enmascaradas)',
        schema: { ...conektaSchema, properties: { message: str(), ...(conektaSchema.properties as object) } },
        example: { message: 'Credenciales de Conekta configuradas correctamente', ...conektaExample },
      },
      ...clienteErrors,
      422: errorResponse('Campo inválido o llave PEM que no se puede leer', "El campo 'webhook_public_key' no es una llave pública PEM válida"),
    },
    handler: (ctx: AppContext, { body }: { body: ConektaConfig }) => miEmpresa.configureConekta(empresaOf(ctx), body),
  };
  api.add({ method: 'post', path: '/api/v1/admin/mi-empresa/configurar-conekta', ...conektaSpec });
  api.add({ method: 'put', path: '/api/v1/admin/mi-empresa/conekta-config', ...conektaSpec, summary: `${conektaSpec.summary} (ruta del servicio original)` });

  api.add({
    method: 'get', path: '/api/v1/admin/mi-empresa/conekta', auth: 'cliente_admin', tags,
    summary: 'Configuración de Conekta (llave privada enmascarada) y URL del webhook',
    responses: { 200: { description: 'Conekta', schema: conektaSchema, example: conektaExample }, ...clienteErrors },
    handler: (ctx) => miEmpresa.conekta(empresaOf(ctx)),
  });

  const mpSpec = {
    auth: 'cliente_admin' as const, tags,
    summary: 'Configurar las credenciales de Mercado Pago (un campo omitido conserva su valor; "" lo borra)',
    description: 'El access token, el secreto de webhooks y el token del bot de Telegram se guardan cifrados y nunca se devuelven completos. '
      + '`success`, `empresa`, `campos_modificados` y `configuracion_actual` son la respuesta del servicio original.',
    body: mercadoPagoConfigBody,
    responses: {
      200: {
        description: 'Credenciales guardadas (enmascaradas)',
        schema: { ...mpSchema, properties: { message: str(), ...(mpSchema.properties as object) } },
        example: { message: 'Credenciales de Mercado Pago configuradas correctamente', ...mpExample },
      },
      ...clienteErrors,
      422: errorResponse('Campo inválido', "El campo 'mode' debe ser uno de: test, live"),
    },
    handler: (ctx: AppContext, { body }: { body: MercadoPagoConfig }) => miEmpresa.configureMercadoPago(empresaOf(ctx), body),
  };
  api.add({ method: 'post', path: '/api/v1/payments/configurar-credenciales', ...mpSpec });
  api.add({ method: 'post', path: '/api/v1/admin/mi-empresa/configurar-credenciales', ...mpSpec, summary: `${mpSpec.summary} (ruta del servicio original)` });

  api.add({
    method: 'get', path: '/api/v1/admin/mi-empresa/mercado-pago', auth: 'cliente_admin', tags,
    summary: 'Configuración de Mercado Pago (secretos enmascarados) y URL del webhook a registrar',
    responses: { 200: { description: 'Mercado Pago', schema: mpSchema, example: mpExample }, ...clienteErrors },
    handler: (ctx) => miEmpresa.mercadoPago(empresaOf(ctx)),
  });

  // Any gateway of the registry: the overview, and the settings of those without a path of the original's.
  api.add({
    method: 'get', path: '/api/v1/admin/mi-empresa/pasarelas', auth: 'cliente_admin', tags,
    summary: 'Las pasarelas de pago registradas y la cuenta de la empresa en cada una (secretos enmascarados)',
    responses: { 200: { description: 'Pasarelas', schema: { type: 'array', items: pasarelaSchema }, example: [pasarelaExample] }, ...clienteErrors },
    handler: (ctx) => miEmpresa.pasarelas(empresaOf(ctx)),
  });
  api.add({
    method: 'get', path: '/api/v1/admin/mi-empresa/pasarelas/:pasarela', auth: 'cliente_admin', tags,
    summary: 'La cuenta de la empresa en una pasarela (secretos enmascarados)',
    params: pasarelaParams,
    responses: {
      200: { description: 'Pasarela', schema: pasarelaSchema, example: pasarelaExample }, ...clienteErrors,
      404: errorResponse('Pasarela no registrada', 'Pasarela no encontrada'),
    },
    handler: (ctx, { params }) => miEmpresa.pasarela(empresaOf(ctx), params.pasarela),
  });
  api.add({
    method: 'put', path: '/api/v1/admin/mi-empresa/pasarelas/:pasarela', auth: 'cliente_admin', tags,
    summary: 'Configurar la cuenta de la empresa en una pasarela del registro (un campo omitido conserva su valor; "" o null lo borra)',
    description: 'Para las pasarelas sin ruta propia del servicio original: Conekta y Mercado Pago se configuran en sus rutas '
      + '(`ruta_configuracion`; aquí 409). Solo se aceptan los campos que la pasarela usa (`campos`); los secretos se guardan cifrados.',
    params: pasarelaParams,
    body: pasarelaConfigBody,
    responses: {
      200: {
        description: 'Credenciales guardadas (enmascaradas)',
        schema: { ...pasarelaSchema, properties: { message: str(), ...(pasarelaSchema.properties as object) } },
        example: {
          message: 'Credenciales de Nueva Pasarela guardadas correctamente', ...pasarelaExample, pasarela: 'nuevapasarela', nombre: 'Nueva Pasarela',
          campos: [{ campo: 'secreto', descripcion: 'Llave secreta de la cuenta' }, { campo: 'webhook_secreto', descripcion: 'Clave con la que firma sus webhooks' }], llave_publica: null, webhook_llave_configurada: false, webhook_secreto: '••••77aa',
          webhook_url: 'https://api.example.com/api/v1/webhook/nuevapasarela/EMP_3A9F1C0B2D', ruta_configuracion: '/api/v1/admin/mi-empresa/pasarelas/nuevapasarela',
        },
      },
      ...clienteErrors,
      404: errorResponse('Pasarela no registrada', 'Pasarela no encontrada'),
      409: errorResponse('La pasarela se configura en su ruta del servicio original', 'Conekta se configura en /api/v1/admin/mi-empresa/configurar-conekta'),
      422: errorResponse('Campo inválido o que la pasarela no usa', "La pasarela Nueva Pasarela no usa el campo 'llave_publica'"),
    },
    handler: (ctx: AppContext, { params, body }: { params: { pasarela: string }; body: PasarelaConfig }) => miEmpresa.configurePasarela(empresaOf(ctx), params.pasarela, body),
  });
}
