/*
 * Pagos Hotspot: configuracion del portal de ESTE router. Edite y suba junto con login.html.
 *
 *   apiBaseUrl   URL publica de la API (https://...), sin "/" al final.
 *   apiKey       API Key del router (jwt_...), la que muestra el panel al crear o regenerar el router.
 *   mode         'live' carga Conekta.js y el SDK de Mercado Pago desde sus CDN;
 *                'sandbox' solo sirve con los sandboxes de la demo (npm run demo).
 *   conektaPublicKey, mercadoPagoPublicKey  opcionales: si faltan se piden a GET /api/v1/config/public.
 *
 * La API Key viaja en la pagina: es publica por diseno y solo sirve para este router
 * (catalogo, pagos y reconexion). Si se filtra, regenerela desde el panel.
 */
window.PAGOS_CONFIG = {
  apiBaseUrl: 'https://api.example.com',
  apiKey: 'jwt_REEMPLAZAR_CON_LA_API_KEY_DEL_ROUTER',
  mode: 'live',
  conektaPublicKey: '',
  mercadoPagoPublicKey: ''
};
