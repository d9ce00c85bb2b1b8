/*
 * Pagos Hotspot: portal cautivo (login.html de un hotspot MikroTik).
 *
 * Muestra los planes del router, tokeniza la tarjeta (Conekta.js / SDK de Mercado
 * Pago en modo live; el tokenizador sandbox de la demo en modo sandbox), envia el
 * pago con Idempotency-Key, muestra las credenciales, informa la conexion
 * automatica, inicia la sesion con el formulario del propio hotspot y guarda las
 * credenciales en este dispositivo para reconectar.
 *
 * Sin framework ni compilacion: ES2017 para navegadores de telefono.
 */
(function () {
  'use strict';

  var CFG = window.PAGOS_CONFIG || {};
  var API_BASE = String(CFG.apiBaseUrl || '').replace(/\/+$/, '');
  var API_KEY = String(CFG.apiKey || '');
  var SANDBOX = CFG.mode === 'sandbox';
  var URLS = {
    conekta: CFG.conektaJsUrl || 'https://cdn.conekta.io/js/latest/conekta.js',
    mercadopago: CFG.mercadoPagoJsUrl || 'https://sdk.mercadopago.com/js/v2',
    sandbox: CFG.sandboxTokenizerUrl || 'sandbox-tokenizer.js'
  };
  // What the page keeps on the phone is namespaced by company and router (the
  // hotspot's origin is often shared: MikroTik's default is the same for every
  // operator) and expires. No password is kept: it is asked again from the API.
  var STORE_SCOPE = storageScope(API_KEY);
  var STORE_KEY = 'pagosHotspot.' + STORE_SCOPE + '.compras';
  var CUSTOMER_KEY = 'pagosHotspot.' + STORE_SCOPE + '.cliente';
  var DEVICE_KEY = 'pagosHotspot.' + STORE_SCOPE + '.dispositivo';
  var LEGACY_KEYS = ['pagosHotspot.credenciales', 'pagosHotspot.cliente'];
  var DAY_MS = 24 * 3600 * 1000;
  var SAVED_TTL_MS = 7 * DAY_MS;
  var CUSTOMER_TTL_MS = 30 * DAY_MS;
  var DEVICE_TTL_MS = 90 * DAY_MS;
  var PAY_TIMEOUT_MS = CFG.payTimeoutMs || 60000;
  var API_TIMEOUT_MS = CFG.apiTimeoutMs || 15000;
  var POLL_LIMIT_MS = CFG.pollLimitMs || 180000;
  var GATEWAY_NAMES = { conekta: 'Conekta', mercadopago: 'Mercado Pago' };

  /** `<empresa>.<router>` from the router key's claims (read, not verified: only a storage namespace). */
  function storageScope(apiKey) {
    try {
      var part = String(apiKey).replace(/^jwt_/, '').split('.')[1] || '';
      var claims = JSON.parse(window.atob(part.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((part.length + 3) % 4)));
      var scope = String(claims.empresa || '') + '.' + String(claims.sub || '');
      return /^[A-Za-z0-9_]{1,40}\.[A-Za-z0-9_]{1,40}$/.test(scope) ? scope : 'sin-router';
    } catch (e) {
      return 'sin-router';
    }
  }
  /** Only http(s) destinations are followed: `$(link-orig)` is whatever URL the phone asked for. */
  function safeLink(value) {
    var v = String(value || '').trim();
    if (!v) return '';
    try {
      var url = new URL(v, window.location.href);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : '';
    } catch (e) {
      return '';
    }
  }
  function $(id) { return document.getElementById(id); }
  function show(el, on) { if (el) el.hidden = !on; }
  function setText(el, value) { if (el) el.textContent = value == null ? '' : String(value); }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = String(text);
    return node;
  }

  // ---------------------------------------------------------------------------
  // Hotspot: variables de RouterOS (vacias si la pagina no viene de un router)
  // ---------------------------------------------------------------------------
  function tplValue(value) {
    var v = value == null ? '' : String(value);
    return v.indexOf('$(') !== -1 ? '' : v;
  }
  function normalizeMac(value) {
    var v = String(value || '').trim();
    return /^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$/.test(v) ? v.toUpperCase().replace(/-/g, ':') : '';
  }
  function validIp(value) {
    var v = String(value || '').trim();
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(v)) return '';
    return v.split('.').every(function (o) { return Number(o) <= 255; }) ? v : '';
  }
  var hsNode = $('hotspot');
  var hsData = hsNode ? hsNode.dataset : {};
  var hsForm = $('hotspot-login');
  var chap = window.PAGOS_CHAP || {};
  var HS = {
    mac: normalizeMac(tplValue(hsData.mac)),
    ip: validIp(tplValue(hsData.ip)),
    error: tplValue(hsData.error).trim(),
    linkOrig: safeLink(tplValue(hsData.linkOrig)),
    username: tplValue(hsData.username).trim(),
    loggedIn: tplValue(hsData.loggedIn).trim() === 'yes',
    loginAction: hsForm ? tplValue(hsForm.getAttribute('action')).trim() : '',
    // The router's own trial login (issue 24): offered by the hotspot ("yes"), taken with username T-<MAC>.
    trial: tplValue(hsData.trial).trim() === 'yes',
    linkLogout: safeLink(tplValue(hsData.linkLogout)),
    macEsc: tplValue(hsData.macEsc).trim(),
    linkOrigEsc: tplValue(hsData.linkOrigEsc).trim(),
    chapId: tplValue(chap.id),
    chapChallenge: tplValue(chap.challenge)
  };
  var DEVICE_KNOWN = Boolean(HS.mac && HS.ip);
  // The hotspot form's `dst` is where the router sends the phone after login: http(s) only there too.
  if (hsForm && hsForm.elements.dst && !safeLink(tplValue(hsForm.elements.dst.value))) hsForm.elements.dst.value = '';

  // ---------------------------------------------------------------------------
  // Utilidades
  // ---------------------------------------------------------------------------
  function uuid() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === 'function') {
      try { return c.randomUUID(); } catch (e) { /* solo en contextos seguros */ }
    }
    var b = new Uint8Array(16);
    if (c && c.getRandomValues) c.getRandomValues(b);
    else for (var i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = '';
    for (var j = 0; j < 16; j++) h += (b[j] < 16 ? '0' : '') + b[j].toString(16);
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }
  /** localStorage with an expiry on every value: `{ v: value, exp: epoch ms }`. */
  var storage = {
    get: function (key, fallback) {
      try {
        var raw = window.localStorage.getItem(key);
        var box = raw ? JSON.parse(raw) : null;
        if (!box || typeof box !== 'object' || typeof box.exp !== 'number') return fallback;
        if (box.exp <= Date.now()) { window.localStorage.removeItem(key); return fallback; }
        return box.v === undefined ? fallback : box.v;
      } catch (e) { return fallback; }
    },
    set: function (key, value, ttlMs) {
      try { window.localStorage.setItem(key, JSON.stringify({ v: value, exp: Date.now() + ttlMs })); return true; } catch (e) { return false; }
    },
    remove: function (key) {
      try { window.localStorage.removeItem(key); } catch (e) { /* nada que borrar */ }
    }
  };
  // Earlier versions kept passwords and personal data origin-wide, without expiry.
  LEGACY_KEYS.forEach(function (key) { storage.remove(key); });
  function deviceId() {
    var id = storage.get(DEVICE_KEY, null);
    if (typeof id !== 'string' || !/^[A-Za-z0-9-]{8,64}$/.test(id)) {
      id = uuid();
      storage.set(DEVICE_KEY, id, DEVICE_TTL_MS);
    }
    return id;
  }
  function formatMoney(precio, moneda) {
    var n = Number(precio);
    try {
      return new Intl.NumberFormat('es-MX', { style: 'currency', currency: moneda || 'MXN', currencyDisplay: 'narrowSymbol' }).format(n) + ' ' + (moneda || 'MXN');
    } catch (e) {
      return '$' + precio + ' ' + (moneda || '');
    }
  }
  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }
  /** Duraciones de RouterOS ("1h30m", "1d", "2w", "01:30:00") en espanol. */
  function rosDuration(value) {
    var v = String(value || '').trim();
    if (!v || v === 'none' || v === '0s') return '';
    var secs = 0;
    var clock = /^(?:(\d+)d\s*)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(v);
    if (clock) {
      secs = Number(clock[1] || 0) * 86400 + Number(clock[2]) * 3600 + Number(clock[3]) * 60 + Number(clock[4]);
    } else {
      var re = /(\d+)\s*(w|d|h|m|s)/g, m, any = false;
      var mult = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };
      while ((m = re.exec(v))) { secs += Number(m[1]) * mult[m[2]]; any = true; }
      if (!any) return v;
    }
    return secondsText(secs);
  }
  function secondsText(secs) {
    var parts = [];
    var units = [[604800, 'semana', 'semanas'], [86400, 'd\u00eda', 'd\u00edas'], [3600, 'hora', 'horas'], [60, 'minuto', 'minutos']];
    for (var i = 0; i < units.length; i++) {
      var q = Math.floor(secs / units[i][0]);
      if (q > 0) { parts.push(plural(q, units[i][1], units[i][2])); secs -= q * units[i][0]; }
    }
    if (!parts.length) parts.push(plural(secs, 'segundo', 'segundos'));
    return parts.slice(0, 2).join(' ');
  }
  function bytesText(n) {
    var v = Number(n);
    if (!v) return '';
    var units = ['B', 'KB', 'MB', 'GB', 'TB'];
    var i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (Math.round(v * 10) / 10) + ' ' + units[i];
  }

  // ---------------------------------------------------------------------------
  // API
  // ---------------------------------------------------------------------------
  function ApiError(kind, status, detail, retryAfter, body) {
    this.kind = kind; // 'http' | 'network' | 'timeout'
    this.status = status || 0;
    this.detail = detail || '';
    this.retryAfter = retryAfter || 0;
    this.body = body || null;
    // The API's stable machine-readable code (and the invalid field): decisions use these, never the Spanish text.
    this.code = body && typeof body.code === 'string' ? body.code : '';
    this.field = body && typeof body.field === 'string' ? body.field : '';
  }
  function parseRetryAfter(value) {
    if (!value) return 0;
    var n = Number(value);
    if (isFinite(n)) return Math.max(1, Math.ceil(n));
    var at = Date.parse(value);
    return isFinite(at) ? Math.max(1, Math.ceil((at - Date.now()) / 1000)) : 0;
  }
  function api(method, path, body, opts) {
    opts = opts || {};
    var ctrl = typeof AbortController === 'function' ? new AbortController() : null;
    var timedOut = false;
    var timer = setTimeout(function () { timedOut = true; if (ctrl) ctrl.abort(); }, opts.timeoutMs || API_TIMEOUT_MS);
    var headers = { Accept: 'application/json', Authorization: 'Bearer ' + API_KEY };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
    return fetch(API_BASE + path, {
      method: method,
      headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: ctrl ? ctrl.signal : undefined,
      cache: 'no-store',
      credentials: 'omit',
      mode: 'cors'
    }).then(function (res) {
      return res.text().then(function (raw) {
        var data = null;
        try { data = raw ? JSON.parse(raw) : null; } catch (e) { data = null; }
        if (res.ok) return { status: res.status, data: data || {} };
        var detail = data && typeof data.detail === 'string' ? data.detail : '';
        throw new ApiError('http', res.status, detail, parseRetryAfter(res.headers.get('Retry-After')), data);
      });
    }).catch(function (err) {
      if (err instanceof ApiError) throw err;
      throw new ApiError(timedOut ? 'timeout' : 'network');
    }).then(function (value) {
      clearTimeout(timer);
      return value;
    }, function (err) {
      clearTimeout(timer);
      throw err;
    });
  }

  var FIELD_NAMES = {
    email_cliente: 'correo electr\u00f3nico', telefono_cliente: 'tel\u00e9fono', nombre_cliente: 'nombre',
    mac_cliente: 'MAC del dispositivo', ip_cliente: 'IP del dispositivo', producto_id: 'plan',
    token_tarjeta: 'tarjeta', token: 'tarjeta', monto: 'monto', payment_method_id: 'tipo de tarjeta'
  };
  /** The invalid field (from `field`) shown by its customer-facing name. */
  function friendlyDetail(detail, field) {
    var text = String(detail);
    if (!field || !FIELD_NAMES[field]) return text;
    return text.split("'" + field + "'").join('\u00ab' + FIELD_NAMES[field] + '\u00bb');
  }
  function waitText(secs) {
    if (secs >= 120) return Math.ceil(secs / 60) + ' minutos';
    return plural(secs, 'segundo', 'segundos');
  }
  /** For an answer without `code` (a proxy's error page): the code its status stands for. */
  var CODE_BY_STATUS = {
    400: 'bad_request', 401: 'unauthorized', 402: 'payment_declined', 403: 'forbidden', 404: 'not_found', 409: 'conflict',
    422: 'validation_error', 429: 'rate_limited', 502: 'upstream_error', 503: 'service_unavailable', 504: 'upstream_timeout'
  };
  /** Every failure, in Spanish, for the customer. `where`: catalog | pay | poll | reconnect. */
  function explain(err, where) {
    if (!(err instanceof ApiError)) return (err && err.message) || 'Ocurri\u00f3 un error inesperado. Intenta de nuevo.';
    if (err.kind === 'timeout') {
      return where === 'pay'
        ? 'El pago tard\u00f3 demasiado en responder y no sabemos si se complet\u00f3. Toca \u00abReintentar\u00bb para consultarlo: no se te cobrar\u00e1 dos veces.'
        : 'El servidor tard\u00f3 demasiado en responder. Intenta de nuevo en unos momentos.';
    }
    if (err.kind === 'network') {
      return where === 'pay'
        ? 'Se perdi\u00f3 la conexi\u00f3n con el servidor de pagos. Toca \u00abReintentar\u00bb: si el pago ya se hizo, no se te cobrar\u00e1 dos veces.'
        : 'No hay conexi\u00f3n con el servidor de pagos. Revisa que sigas conectado a la red WiFi e intenta de nuevo.';
    }
    var d = err.detail ? friendlyDetail(err.detail, err.field) : '';
    switch (err.code || CODE_BY_STATUS[err.status] || '') {
      case 'bad_request': case 'invalid_json': return d || 'La solicitud no es v\u00e1lida.';
      case 'unauthorized':
        if (where === 'reconnect') return 'Usuario o contrase\u00f1a incorrectos para este punto de acceso.';
        return 'Este punto de acceso no est\u00e1 bien configurado (la API Key no es v\u00e1lida, venci\u00f3 o fue revocada). Avisa al encargado del lugar.';
      case 'payment_declined': return d || 'El pago fue rechazado. Intenta con otra tarjeta.';
      case 'forbidden': return d || 'No tienes permiso para hacer esto.';
      case 'not_found': case 'route_not_found':
        if (where === 'pay') return 'El plan que elegiste ya no est\u00e1 disponible. Elige otro plan.';
        if (where === 'poll') return 'No encontramos tu transacci\u00f3n en este punto de acceso.';
        return d || 'No encontrado.';
      case 'conflict': case 'router_duplicate_user': return d || 'La operaci\u00f3n sigue en curso; intenta de nuevo en unos segundos.';
      case 'validation_error': case 'idempotency_key_reused':
        return d ? 'Revisa tus datos: ' + d : 'Algunos datos no son v\u00e1lidos. Rev\u00edsalos e intenta de nuevo.';
      case 'rate_limited':
        // The API's own 429 (it has a code) names the wait in `detail`, the same seconds as Retry-After.
        if (d && err.code) return d;
        return (d || 'Demasiados intentos.') + (err.retryAfter ? ' Espera ' + waitText(err.retryAfter) + ' e intenta de nuevo.' : '');
      case 'upstream_error': case 'upstream_timeout': case 'gateway_rejected': case 'gateway_auth_failed':
      case 'router_unreachable': case 'router_timeout': case 'router_auth_failed': case 'router_rejected':
        return 'El procesador de pago o el router no respondi\u00f3 a tiempo. Intenta de nuevo en unos momentos.';
      case 'service_unavailable': case 'gateway_unavailable': case 'router_unavailable':
        return 'El servicio no est\u00e1 disponible por el momento. Intenta de nuevo en unos minutos.';
      default:
        if (err.status >= 500) return 'Ocurri\u00f3 un error en el servidor (c\u00f3digo ' + err.status + '). Intenta de nuevo en unos minutos.';
        return d || 'No se pudo completar la solicitud (c\u00f3digo ' + err.status + ').';
    }
  }

  // ---------------------------------------------------------------------------
  // Estado
  // ---------------------------------------------------------------------------
  var state = {
    pub: null,
    products: [],
    product: null,
    gateways: [],
    gateway: null,
    attempt: null,
    busy: false,
    pollToken: 0,
    pollTimer: null,
    lastResult: null,
    mp: null,
    scripts: {},
    cooldownTimer: null
  };

  /** Every sentence shown ends properly (server details may come without a final period). */
  function sentence(message) {
    var m = String(message || '').trim();
    return m && !/[.!?\u2026\u00bb:)]$/.test(m) ? m + '.' : m;
  }
  function notice(node, message, kind) {
    if (!node) return;
    node.className = 'notice' + (kind ? ' notice--' + kind : '');
    setText(node, sentence(message));
    show(node, Boolean(message));
  }

  // ---------------------------------------------------------------------------
  // Scripts externos (solo modo live) y tokenizacion
  // ---------------------------------------------------------------------------
  function loadScript(url, what) {
    if (state.scripts[url]) return state.scripts[url];
    state.scripts[url] = new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = url;
      s.async = true;
      s.onload = function () { resolve(); };
      s.onerror = function () {
        delete state.scripts[url];
        var host = url.replace(/^https?:\/\//, '').split('/')[0];
        reject({ message: 'No se pudo cargar ' + what + ' (' + host + '). Revisa tu conexi\u00f3n; si el problema sigue, el operador debe permitir ese dominio en el walled garden del hotspot.' });
      };
      document.head.appendChild(s);
    });
    return state.scripts[url];
  }
  function loadSandbox() {
    return loadScript(URLS.sandbox, 'el tokenizador sandbox').then(function () {
      if (!window.PagosSandboxTokenizer) throw { message: 'El tokenizador sandbox no est\u00e1 disponible.' };
      return window.PagosSandboxTokenizer;
    });
  }
  function publicKey(gateway) {
    var pub = state.pub || {};
    if (gateway === 'conekta') return CFG.conektaPublicKey || (pub.conekta && pub.conekta.public_key) || '';
    return CFG.mercadoPagoPublicKey || (pub.mercado_pago && pub.mercado_pago.public_key) || '';
  }
  function conektaTokenize(card) {
    var key = publicKey('conekta');
    if (!key) return Promise.reject({ message: 'Conekta no est\u00e1 configurado para este punto de acceso.' });
    return loadScript(URLS.conekta, 'Conekta').then(function () {
      return new Promise(function (resolve, reject) {
        var C = window.Conekta;
        if (!C || !C.Token) { reject({ message: 'No se pudo iniciar Conekta.' }); return; }
        C.setPublicKey(key);
        if (typeof C.setLanguage === 'function') C.setLanguage('es');
        C.Token.create({
          card: { number: card.number, name: card.name, exp_month: ('0' + card.expMonth).slice(-2), exp_year: String(card.expYear), cvc: card.cvc }
        }, function (token) {
          resolve({ token: token.id });
        }, function (e) {
          reject({ message: (e && (e.message_to_purchaser || e.message)) || 'Conekta no pudo validar la tarjeta. Revisa los datos.' });
        });
      });
    });
  }
  function initMercadoPago() {
    if (state.mp) return Promise.resolve(state.mp);
    var key = publicKey('mercadopago');
    if (!key) return Promise.reject({ message: 'Mercado Pago no est\u00e1 configurado para este punto de acceso.' });
    return loadScript(URLS.mercadopago, 'Mercado Pago').then(function () {
      if (state.mp) return state.mp;
      var mp = new window.MercadoPago(key, { locale: 'es-MX' });
      var holder = { mp: mp, method: null };
      var number = mp.fields.create('cardNumber', { placeholder: '1234 5678 9012 3456' }).mount('mp-card-number');
      mp.fields.create('expirationDate', { placeholder: 'MM/AA' }).mount('mp-card-exp');
      mp.fields.create('securityCode', { placeholder: '123' }).mount('mp-card-cvc');
      number.on('binChange', function (data) {
        if (!data || !data.bin) { holder.method = null; return; }
        mp.getPaymentMethods({ bin: data.bin }).then(function (r) {
          holder.method = (r && r.results && r.results[0]) || null;
        }, function () { holder.method = null; });
      });
      state.mp = holder;
      return holder;
    });
  }
  function mercadoPagoTokenize(card) {
    return initMercadoPago().then(function (holder) {
      return holder.mp.fields.createCardToken({ cardholderName: card.name }).then(function (t) {
        if (!holder.method) throw { message: 'No reconocimos el tipo de tarjeta. Revisa el n\u00famero.' };
        return { token: t.id, paymentMethodId: holder.method.id, issuerId: holder.method.issuer ? holder.method.issuer.id : undefined };
      }, function () {
        throw { message: 'Revisa los datos de la tarjeta (n\u00famero, vencimiento y CVV).' };
      });
    });
  }
  function tokenize(gateway, card) {
    if (SANDBOX) return loadSandbox().then(function (t) { return t.tokenize(gateway, card); });
    return gateway === 'conekta' ? conektaTokenize(card) : mercadoPagoTokenize(card);
  }

  // ---------------------------------------------------------------------------
  // Credenciales guardadas y login del hotspot
  // ---------------------------------------------------------------------------
  function savedList() {
    var list = storage.get(STORE_KEY, []);
    var now = Date.now();
    return Array.isArray(list) ? list.filter(function (e) {
      return e && typeof e.transaccion_id === 'string' && /^TRX_[0-9A-F]{12}$/.test(e.transaccion_id) && !(e.expira && e.expira <= now);
    }) : [];
  }
  function saveEntry(entry) {
    var list = savedList().filter(function (e) { return e.transaccion_id !== entry.transaccion_id; });
    list.unshift(entry);
    storage.set(STORE_KEY, list.slice(0, 5), SAVED_TTL_MS);
    renderSaved();
  }
  function forget(id) {
    storage.set(STORE_KEY, savedList().filter(function (e) { return e.transaccion_id !== id; }), SAVED_TTL_MS);
    renderSaved();
  }
  // The Idempotency-Key each purchase was made with: the status endpoint gives the credentials and the
  // customer's data only to whoever presents it (the router key is public), so it is kept with the purchase.
  var purchaseKeys = {};
  function keyFor(id) {
    if (purchaseKeys[id]) return purchaseKeys[id];
    var saved = savedList().filter(function (e) { return e.transaccion_id === id; })[0];
    if (saved && saved.clave) return saved.clave;
    var cash = cashStored();
    return cash && cash.transaccion_id === id && cash.clave ? cash.clave : null;
  }
  /** GET the status of a purchase of this phone, with its own Idempotency-Key. */
  function purchaseStatus(id) {
    return api('GET', '/api/v1/payments/transacciones/' + encodeURIComponent(id), undefined, { idempotencyKey: keyFor(id) });
  }
  /** Keeps the transaction id, its Idempotency-Key, the user name and the plan: the password is fetched when needed. */
  function rememberTransaction(data) {
    if (!data || !data.transaccion_id) return;
    // A pending charge also carries its (future) credentials: only a paid one is kept as a usable access.
    var creds = data.estado_pago === 'paid' ? data.usuario_hotspot : null;
    var old = savedList().filter(function (e) { return e.transaccion_id === data.transaccion_id; })[0] || {};
    saveEntry({
      transaccion_id: data.transaccion_id,
      clave: purchaseKeys[data.transaccion_id] || old.clave || null,
      usuario: creds ? creds.usuario : old.usuario || null,
      plan: (data.producto && data.producto.nombre) || old.plan || '',
      estado_pago: data.estado_pago,
      estado_hotspot: data.estado_hotspot,
      guardado_en: old.guardado_en || new Date().toISOString(),
      expira: old.expira || Date.now() + SAVED_TTL_MS
    });
  }
  /** The credentials of a saved purchase, asked from the status endpoint (never kept on the phone). */
  function fetchCredentials(entry, statusNode) {
    notice(statusNode, 'Consultando tu acceso\u2026', '');
    return purchaseStatus(entry.transaccion_id).then(function (res) {
      var creds = res.data && res.data.estado_pago === 'paid' && res.data.usuario_hotspot;
      if (!creds || !creds.usuario || !creds.contrasena) {
        notice(statusNode, (res.data && res.data.mensaje) || 'Este pago ya no tiene un acceso disponible.', 'warn');
        return null;
      }
      notice(statusNode, '', '');
      return { usuario: creds.usuario, contrasena: creds.contrasena };
    }, function (err) {
      notice(statusNode, explain(err, 'poll'), 'error');
      return null;
    });
  }

  function hotspotErrorText(message) {
    var l = String(message).toLowerCase();
    if (l.indexOf('invalid username or password') >= 0 || l.indexOf('invalid password') >= 0 || l.indexOf('no such user') >= 0) return 'Usuario o contrase\u00f1a incorrectos.';
    if (l.indexOf('trial') >= 0) return 'Ya usaste la prueba gratuita en este dispositivo (o no est\u00e1 disponible). Para pagar desde tu banco usa otro dispositivo o tus datos m\u00f3viles.';
    if (l.indexOf('no more sessions') >= 0) return 'Este usuario ya se est\u00e1 usando en otro dispositivo.';
    if (l.indexOf('already logged') >= 0) return 'Este dispositivo ya tiene una sesi\u00f3n activa con otro usuario. Ya puedes navegar, o cierra esa sesi\u00f3n para usar otro usuario.';
    if (l.indexOf('uptime limit') >= 0) return 'Se termin\u00f3 el tiempo de tu plan. Compra un plan nuevo para seguir navegando.';
    if (l.indexOf('traffic limit') >= 0 || l.indexOf('bytes') >= 0) return 'Alcanzaste el l\u00edmite de datos de tu plan. Compra un plan nuevo.';
    if (l.indexOf('disabled') >= 0) return 'Este usuario est\u00e1 deshabilitado. Si crees que es un error, avisa al encargado.';
    if (l.indexOf('mac') >= 0) return 'Este usuario no puede usarse desde este dispositivo.';
    if (l.indexOf('radius') >= 0 || l.indexOf('timeout') >= 0) return 'El servidor del hotspot no respondi\u00f3. Intenta de nuevo en unos momentos.';
    // Anything else RouterOS says is English and technical: never shown to the customer.
    return 'El punto de acceso no pudo iniciar tu sesi\u00f3n. Revisa tu usuario y contrase\u00f1a e intenta de nuevo.';
  }

  /** Logs the device in through the hotspot's own form (CHAP when the router asks for it). */
  function hotspotLogin(usuario, contrasena, errorNode) {
    if (!HS.loginAction || !hsForm) {
      notice(errorNode, 'Para conectarte abre esta p\u00e1gina desde la red WiFi del hotspot, o escribe tu usuario y contrase\u00f1a en la p\u00e1gina de inicio de sesi\u00f3n del hotspot.', 'warn');
      return false;
    }
    var password = contrasena;
    if (HS.chapId) {
      if (typeof window.hexMD5 !== 'function') {
        notice(errorNode, 'No se pudo preparar el inicio de sesi\u00f3n (falta md5.js). Avisa al encargado.', 'error');
        return false;
      }
      password = window.hexMD5(HS.chapId + contrasena + HS.chapChallenge);
    }
    hsForm.elements.username.value = usuario;
    hsForm.elements.password.value = password;
    hsForm.submit();
    return true;
  }

  function reconnect(entry, statusNode, button) {
    button.disabled = true;
    fetchCredentials(entry, statusNode).then(function (creds) {
      if (!creds) { button.disabled = false; return; }
      if (!DEVICE_KNOWN) { button.disabled = false; hotspotLogin(creds.usuario, creds.contrasena, statusNode); return; }
      reconnectWith(creds, statusNode, button);
    });
  }
  function reconnectWith(creds, statusNode, button) {
    notice(statusNode, 'Conectando\u2026', '');
    api('POST', '/api/v1/hotspot/auto-reconnect', { usuario: creds.usuario, contrasena: creds.contrasena, mac_cliente: HS.mac, ip_cliente: HS.ip })
      .then(function (res) {
        button.disabled = false;
        if (res.data && res.data.success) {
          notice(statusNode, 'Listo: este dispositivo est\u00e1 conectado. Ya puedes navegar.', 'ok');
          if (HS.linkOrig) window.setTimeout(function () { window.location.href = HS.linkOrig; }, 1500);
        } else if (res.data && res.data.resultado === 'sin_ip') {
          hotspotLogin(creds.usuario, creds.contrasena, statusNode);
        } else {
          notice(statusNode, (res.data && res.data.mensaje) || 'El punto de acceso no acept\u00f3 la conexi\u00f3n.', 'warn');
        }
      }, function (err) {
        button.disabled = false;
        // The service could not do it (still activating, offline): the hotspot's own login form still can.
        if (err.kind !== 'http' || err.status === 409 || err.status >= 500) hotspotLogin(creds.usuario, creds.contrasena, statusNode);
        else notice(statusNode, explain(err, 'reconnect'), 'error');
      });
  }

  /** How much time a saved purchase has left, read from the router through profile-info. */
  function showTimeLeft(entry, node) {
    if (!API_BASE || !API_KEY) return;
    // The password is never kept on the phone: ask the status endpoint for it, then the router through profile-info.
    purchaseStatus(entry.transaccion_id).then(function (res) {
      var creds = res.data && res.data.estado_pago === 'paid' && res.data.usuario_hotspot;
      if (!creds || !creds.contrasena) return null;
      return api('POST', '/api/v1/hotspot/user/profile-info', { username: creds.usuario, password: creds.contrasena });
    }).then(function (res) {
      if (!res) { show(node, false); return; }
      var d = res.data || {};
      var text = '';
      if (d.estado === 'ok') {
        if (d.tiempo_restante_segundos === 0) text = 'Ya usaste todo el tiempo de este plan.';
        else if (d.tiempo_restante_segundos != null) text = 'Te quedan ' + secondsText(d.tiempo_restante_segundos) + ' de navegaci\u00f3n.';
        if (d.expira_en) text += (text ? ' ' : '') + 'V\u00e1lido hasta el ' + dateText(d.expira_en) + '.';
        if (!text) text = 'Tu plan est\u00e1 activo.';
      } else if (d.estado === 'expirado' || d.estado === 'inactivo') {
        text = sentence(d.mensaje || 'Este acceso ya no est\u00e1 vigente.');
      }
      setText(node, text);
      show(node, Boolean(text));
    }, function () { show(node, false); });
  }

  function renderSaved() {
    var list = savedList();
    var ul = $('saved-list');
    ul.textContent = '';
    show($('saved'), list.length > 0 && $('result').hidden);
    list.forEach(function (entry) {
      var li = el('li');
      var head = el('div', 'saved__head');
      head.appendChild(el('span', '', entry.plan || 'Plan'));
      var when = entry.guardado_en ? new Date(entry.guardado_en) : null;
      head.appendChild(el('span', 'fineprint', when && !isNaN(when) ? when.toLocaleDateString('es-MX', { day: 'numeric', month: 'short' }) : ''));
      li.appendChild(head);
      var actions = el('div', 'saved__actions');
      var status = $('saved-status');
      if (entry.usuario) {
        li.appendChild(el('div', 'saved__user', 'Usuario: ' + entry.usuario));
        var time = el('p', 'saved__time fineprint', '');
        time.hidden = true;
        li.appendChild(time);
        showTimeLeft(entry, time);
        // One action: the service logs this device in when it knows it; otherwise (or if that fails) the hotspot's own form.
        var login = el('button', 'btn btn--primary', 'Conectarme');
        login.type = 'button';
        login.addEventListener('click', function () {
          reconnect(entry, status, login);
        });
        actions.appendChild(login);
      } else {
        li.appendChild(el('div', 'fineprint', 'Pago en verificaci\u00f3n (' + entry.transaccion_id + ')'));
        var check = el('button', 'btn btn--primary', 'Consultar pago');
        check.type = 'button';
        check.addEventListener('click', function () { showResult({ transaccion_id: entry.transaccion_id, estado_pago: entry.estado_pago || 'unknown', estado_hotspot: 'pending' }); startPolling(entry.transaccion_id); });
        actions.appendChild(check);
      }
      var drop = el('button', 'btn btn--ghost btn--forget', 'Olvidar');
      drop.type = 'button';
      drop.addEventListener('click', function () { forget(entry.transaccion_id); });
      actions.appendChild(drop);
      li.appendChild(actions);
      ul.appendChild(li);
    });
  }

  // ---------------------------------------------------------------------------
  // Catalogo
  // ---------------------------------------------------------------------------
  function planMeta(p) {
    var out = [];
    var uptime = rosDuration(p.limit_uptime);
    if (uptime) out.push(uptime + ' de navegaci\u00f3n');
    if (p.vigencia_minutos) out.push('V\u00e1lido por ' + secondsText(Number(p.vigencia_minutos) * 60));
    var bytes = bytesText(p.limit_bytes_total);
    if (bytes) out.push(bytes + ' de datos');
    var det = p.detalles;
    if (det && typeof det === 'object' && !Array.isArray(det)) {
      Object.keys(det).slice(0, 3).forEach(function (k) {
        var v = det[k];
        if (v == null || typeof v === 'object') return;
        out.push(k.charAt(0).toUpperCase() + k.slice(1).replace(/_/g, ' ') + ': ' + v);
      });
    } else if (Array.isArray(det)) {
      det.slice(0, 3).forEach(function (v) { if (typeof v === 'string') out.push(v); });
    }
    return out;
  }
  function renderPlans() {
    var list = $('plan-list');
    list.textContent = '';
    state.products.forEach(function (p) {
      var b = el('button', 'plan');
      b.type = 'button';
      b.setAttribute('role', 'radio');
      b.setAttribute('aria-checked', state.product && state.product.id === p.id ? 'true' : 'false');
      b.dataset.productoId = String(p.id);
      if (p.destacado) b.appendChild(el('span', 'badge', 'Recomendado'));
      b.appendChild(el('span', 'plan__name', p.nombre_venta));
      b.appendChild(el('span', 'plan__price', formatMoney(p.precio, p.moneda)));
      if (p.descripcion) b.appendChild(el('span', 'plan__desc', p.descripcion));
      var meta = planMeta(p);
      if (meta.length) {
        var m = el('span', 'plan__meta');
        meta.forEach(function (t) { m.appendChild(el('span', 'chip', t)); });
        b.appendChild(m);
      }
      if (p.imagen_url && !SANDBOX && /^https:\/\//.test(p.imagen_url)) {
        var img = el('img', 'plan__img');
        img.alt = '';
        img.loading = 'lazy';
        img.src = p.imagen_url;
        img.onerror = function () { img.remove(); };
        b.insertBefore(img, b.firstChild);
      }
      b.addEventListener('click', function () { selectPlan(p); });
      list.appendChild(b);
    });
  }
  function applyPublicConfig(pub) {
    state.pub = pub;
    if (pub && pub.empresa && pub.empresa.nombre) {
      setText($('empresa-nombre'), pub.empresa.nombre);
      document.title = pub.empresa.nombre + ' \u00b7 Internet WiFi';
    }
    if (pub && pub.router) setText($('router-ubicacion'), pub.router.ubicacion || pub.router.nombre || '');
    var empresa = (pub && pub.empresa) || {};
    var logo = $('empresa-logo');
    if (logo && empresa.logo_url) {
      logo.onerror = function () { show(logo, false); show($('brand-icon'), true); };
      logo.src = /^https?:/.test(empresa.logo_url) ? empresa.logo_url : API_BASE + empresa.logo_url;
      logo.alt = 'Logo de ' + (empresa.nombre || 'la empresa');
      show(logo, true);
      show($('brand-icon'), false);
    }
    var contacto = empresa.contacto || {};
    var partes = [contacto.texto, contacto.telefono, contacto.email].filter(function (v) { return v; });
    setText($('empresa-contacto'), partes.length ? sentence('\u00bfDudas con tu pago? Contacto: ' + partes.join(' \u00b7 ')) : '');
    show($('empresa-contacto'), partes.length > 0);
    setText($('aviso-texto'), empresa.aviso_privacidad || '');
    show($('aviso-privacidad'), Boolean(empresa.aviso_privacidad));
    state.prueba = pub && pub.prueba && pub.prueba.activa ? { minutos: Number(pub.prueba.minutos) || 0 } : null;
    renderTrial();
  }
  function computeGateways() {
    var pub = state.pub;
    var list = [];
    if (pub) {
      if (pub.conekta && pub.conekta.habilitado) list.push('conekta');
      if (pub.mercado_pago && pub.mercado_pago.habilitado) list.push('mercadopago');
    } else {
      if (CFG.conektaPublicKey || SANDBOX) list.push('conekta');
      if (CFG.mercadoPagoPublicKey) list.push('mercadopago');
    }
    if (Array.isArray(CFG.gateways)) list = CFG.gateways.filter(function (g) { return list.indexOf(g) >= 0; });
    state.gateways = list;
    setText($('foot-gateways'), list.length ? list.map(function (g) { return GATEWAY_NAMES[g]; }).join(' / ') : 'Conekta / Mercado Pago');
    return list;
  }
  function loadPortal() {
    var status = $('plans-status');
    status.className = 'loading';
    setText(status, 'Cargando planes\u2026');
    show(status, true);
    show($('plans-retry'), false);
    var pubReq = api('GET', '/api/v1/config/public').then(function (r) { return r.data; }, function (err) {
      if (err.kind === 'http' && err.status === 401) throw err;
      return null; // the catalog still works with the keys in config.js
    });
    var catReq = api('GET', '/api/v1/catalogo_perfiles_venta').then(function (r) { return r.data; });
    return Promise.all([pubReq, catReq]).then(function (out) {
      applyPublicConfig(out[0]);
      computeGateways();
      updatePhoneLabel();
      var items = Array.isArray(out[1]) ? out[1] : (out[1] && (out[1].productos || out[1].items)) || [];
      state.products = items.filter(function (p) { return p && p.id != null; });
      if (state.product) {
        state.product = state.products.filter(function (p) { return p.id === state.product.id; })[0] || null;
        if (!state.product) show($('checkout'), false);
      }
      renderPlans();
      if (!state.products.length) {
        status.className = 'notice notice--warn';
        setText(status, 'Por ahora no hay planes a la venta en este punto de acceso. Pregunta al encargado del lugar.');
      } else if (!state.gateways.length) {
        status.className = 'notice notice--warn';
        setText(status, 'Los pagos con tarjeta no est\u00e1n disponibles en este momento. Pregunta al encargado del lugar.');
      } else {
        show(status, false);
      }
    }, function (err) {
      status.className = 'notice notice--error';
      setText(status, 'No pudimos cargar los planes. ' + explain(err, 'catalog'));
      show($('plans-retry'), !(err.kind === 'http' && err.status === 401));
    });
  }

  // ---------------------------------------------------------------------------
  // Pago
  // ---------------------------------------------------------------------------
  function alreadyConnectedText() {
    return 'Este dispositivo ya est\u00e1 conectado a internet' + (HS.username ? ' con el usuario ' + HS.username : '') +
      '. No necesitas comprar otro plan para seguir navegando.';
  }
  function selectPlan(p) {
    if (state.busy) return;
    state.product = p;
    state.attempt = null;
    renderPlans();
    setText($('plan-summary'), '');
    var summary = $('plan-summary');
    summary.appendChild(el('span', 'summary__name', p.nombre_venta));
    summary.appendChild(el('span', 'summary__price', formatMoney(p.precio, p.moneda)));
    setText($('pay-button'), 'Pagar ' + formatMoney(p.precio, p.moneda));
    notice($('form-error'), HS.loggedIn ? alreadyConnectedText() : '', HS.loggedIn ? 'warn' : '');
    show($('retry-button'), false);
    show($('pay-button'), true);
    show($('result'), false);
    show($('checkout'), true);
    setupGatewayChoice();
    $('checkout').scrollIntoView({ behavior: 'smooth', block: 'start' });
  }
  function setupGatewayChoice() {
    var gws = state.gateways;
    var box = $('gateway-choice');
    show(box, gws.length > 1);
    Array.prototype.forEach.call(box.querySelectorAll('input[name="gateway"]'), function (input) {
      input.parentNode.hidden = gws.indexOf(input.value) < 0;
    });
    if (!state.gateway || gws.indexOf(state.gateway) < 0) state.gateway = gws[0] || null;
    var checked = box.querySelector('input[value="' + state.gateway + '"]');
    if (checked) checked.checked = true;
    applyGateway();
  }
  /** Whether paying by `metodo` through `gateway` needs the phone: config/public's metodos_pago says (Conekta's cash does). */
  function phoneRequired(gateway, metodo) {
    var list = state.pub && Array.isArray(state.pub.metodos_pago) ? state.pub.metodos_pago : null;
    if (list) return list.some(function (m) { return m && m.pasarela === gateway && m.metodo === metodo && m.telefono_requerido === true; });
    return gateway === 'conekta' && metodo !== 'tarjeta';
  }
  function cashGateway() { return state.gateway || state.gateways[0] || null; }
  /** The phone is asked as required only where the chosen way to pay needs it. */
  function updatePhoneLabel() {
    var card = phoneRequired(state.gateway, 'tarjeta');
    var cash = phoneRequired(cashGateway(), 'oxxo');
    setText($('telefono-label'), card ? 'Tel\u00e9fono' : cash ? 'Tel\u00e9fono (opcional con tarjeta; obligatorio para pagar en OXXO)' : 'Tel\u00e9fono (opcional)');
    $('telefono').required = card;
    show($('cash-phone-hint'), cash);
  }
  function applyGateway() {
    updatePhoneLabel();
    var liveMp = !SANDBOX && state.gateway === 'mercadopago';
    show($('card-fields'), !liveMp);
    show($('mp-fields'), liveMp);
    show($('sandbox-mp-hint'), SANDBOX && state.gateway === 'mercadopago');
    if (liveMp) initMercadoPago().catch(function (e) { notice($('form-error'), e.message, 'error'); });
    else if (!SANDBOX && state.gateway === 'conekta') loadScript(URLS.conekta, 'Conekta').catch(function () { /* reported on pay */ });
  }
  function parseExpiry(value) {
    var m = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(value || '');
    if (!m) return null;
    var month = Number(m[1]);
    var year = Number(m[2]);
    if (year < 100) year += 2000;
    if (month < 1 || month > 12) return null;
    return { month: month, year: year };
  }
  function fieldError(input, message, errors) {
    input.setAttribute('aria-invalid', message ? 'true' : 'false');
    if (message) errors.push({ input: input, message: message });
  }
  function readForm() {
    var errors = [];
    var nombre = $('nombre').value.trim().replace(/\s+/g, ' ');
    var email = $('email').value.trim();
    var telefono = $('telefono').value.trim();
    fieldError($('nombre'), nombre.length < 2 ? 'Escribe tu nombre como aparece en la tarjeta.' : '', errors);
    fieldError($('email'), /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(email) ? '' : 'Escribe un correo electr\u00f3nico v\u00e1lido.', errors);
    // Optional with a card (as in the original service) unless config/public says otherwise; when given it must be a phone.
    var phoneNeeded = phoneRequired(state.gateway, 'tarjeta');
    var phoneOk = /^\+?[0-9 ()-]{7,20}$/.test(telefono) && telefono.replace(/\D/g, '').length >= 7;
    fieldError($('telefono'), phoneOk || (!telefono && !phoneNeeded) ? '' : phoneNeeded ? 'Escribe tu tel\u00e9fono (al menos 7 d\u00edgitos).' : 'Escribe un tel\u00e9fono v\u00e1lido (al menos 7 d\u00edgitos) o d\u00e9jalo vac\u00edo.', errors);
    var card = { name: nombre };
    if (SANDBOX || state.gateway !== 'mercadopago') {
      var number = $('card-number').value.replace(/\D/g, '');
      var exp = parseExpiry($('card-exp').value);
      var cvc = $('card-cvc').value.trim();
      fieldError($('card-number'), number.length >= 13 && number.length <= 19 ? '' : 'Revisa el n\u00famero de la tarjeta.', errors);
      fieldError($('card-exp'), exp ? '' : 'Escribe el vencimiento como MM/AA.', errors);
      fieldError($('card-cvc'), /^\d{3,4}$/.test(cvc) ? '' : 'Escribe el CVV (3 o 4 d\u00edgitos).', errors);
      card.number = number;
      card.expMonth = exp ? exp.month : 0;
      card.expYear = exp ? exp.year : 0;
      card.cvc = cvc;
    }
    if (errors.length) {
      notice($('form-error'), errors[0].message, 'error');
      errors[0].input.focus();
      return null;
    }
    storage.set(CUSTOMER_KEY, { nombre: nombre, email: email, telefono: telefono }, CUSTOMER_TTL_MS);
    return { nombre: nombre, email: email, telefono: telefono, card: card };
  }
  function setBusy(on, label) {
    state.busy = on;
    var pay = $('pay-button');
    var retry = $('retry-button');
    [pay, retry].forEach(function (b) {
      b.disabled = on;
      b.classList.toggle('is-busy', on);
    });
    if (on) { setText(pay, label); setText(retry, label); }
    else {
      if (state.product) setText(pay, 'Pagar ' + formatMoney(state.product.precio, state.product.moneda));
      setText(retry, 'Reintentar');
    }
    $('back-button').disabled = on;
  }
  function cooldown(seconds) {
    var retry = $('retry-button');
    var left = seconds;
    clearInterval(state.cooldownTimer);
    retry.disabled = true;
    setText(retry, 'Reintentar (' + left + ' s)');
    state.cooldownTimer = setInterval(function () {
      left -= 1;
      if (left <= 0) {
        clearInterval(state.cooldownTimer);
        retry.disabled = false;
        setText(retry, 'Reintentar');
      } else {
        setText(retry, 'Reintentar (' + left + ' s)');
      }
    }, 1000);
  }

  function onPay(ev) {
    ev.preventDefault();
    if (state.busy || !state.product) return;
    notice($('form-error'), '');
    if (!state.gateway) { notice($('form-error'), 'Los pagos con tarjeta no est\u00e1n disponibles en este punto de acceso.', 'error'); return; }
    var form = readForm();
    if (!form) return;
    var product = state.product;
    var gateway = state.gateway;
    setBusy(true, 'Validando tarjeta\u2026');
    tokenize(gateway, form.card).then(function (tok) {
      var body = {
        producto_id: product.id,
        nombre_cliente: form.nombre,
        email_cliente: form.email,
        telefono_cliente: form.telefono || null,
        tipo_usuario: 'usuario_contrasena',
        conexion_automatica: DEVICE_KNOWN && $('auto-connect').checked,
        device_id: deviceId()
      };
      if (HS.mac) body.mac_cliente = HS.mac;
      if (HS.ip) body.ip_cliente = HS.ip;
      var path;
      if (gateway === 'conekta') {
        path = '/api/v1/payments/pagar-conekta';
        body.token_tarjeta = tok.token;
      } else {
        path = '/api/v1/payments/pagar-mercado-pago';
        body.token = tok.token;
        body.payment_method_id = tok.paymentMethodId;
        if (tok.issuerId != null) body.issuer_id = String(tok.issuerId);
        body.cuotas = 1;
        body.monto = product.precio_decimal || String(product.precio);
      }
      // One attempt = one Idempotency-Key: a retry of it sends the very same request.
      state.attempt = { key: uuid(), path: path, body: body };
      $('card-cvc').value = '';
      return sendAttempt();
    }, function (e) {
      setBusy(false);
      notice($('form-error'), (e && e.message) || 'No se pudo validar la tarjeta. Revisa los datos.', 'error');
    });
  }

  // Reintentos automaticos del pago. Un 503 (el servicio se recupera de una caida breve de su base de
  // datos) o ninguna respuesta (red, tiempo agotado) se reintentan solos con la MISMA solicitud y la MISMA
  // Idempotency-Key, esperando 1, 2, 4, 8, 8... s (o lo que pida Retry-After) hasta un limite total.
  // Asi un reintento nunca es un segundo cobro: el servidor responde con el resultado del primero.
  var PAY_RETRY_DELAYS_MS = CFG.payRetryDelaysMs || [1000, 2000, 4000, 8000];
  var PAY_RETRY_LIMIT_MS = CFG.payRetryLimitMs || 60000;
  function payRetryable(err) {
    return err instanceof ApiError && (err.kind === 'network' || err.kind === 'timeout' || err.status === 503);
  }
  function payWithRetries(attempt, onRetry) {
    var started = Date.now();
    var tries = 0;
    function once() {
      return api('POST', attempt.path, attempt.body, { idempotencyKey: attempt.key, timeoutMs: PAY_TIMEOUT_MS }).catch(function (err) {
        if (!payRetryable(err)) throw err;
        var backoff = PAY_RETRY_DELAYS_MS[Math.min(tries, PAY_RETRY_DELAYS_MS.length - 1)];
        var wait = Math.max(backoff, Math.min(err.retryAfter || 0, 30) * 1000);
        if (Date.now() - started + wait > PAY_RETRY_LIMIT_MS) throw err;
        tries += 1;
        onRetry(tries, wait);
        return new Promise(function (resolve) { setTimeout(resolve, wait); }).then(once);
      });
    }
    return once();
  }

  function sendAttempt() {
    var attempt = state.attempt;
    if (!attempt) return Promise.resolve();
    setBusy(true, 'Procesando pago\u2026');
    notice($('form-error'), '');
    return payWithRetries(attempt, function (tries, wait) {
      setBusy(true, 'Reintentando\u2026');
      notice($('form-error'), 'El servicio de pagos no respondi\u00f3. Reintentando\u2026 (intento ' + (tries + 1) + ', en ' +
        plural(Math.ceil(wait / 1000), 'segundo', 'segundos') + '). Es el mismo pago: no se te cobrar\u00e1 dos veces.', 'warn');
    }).then(function (res) {
      setBusy(false);
      notice($('form-error'), '');
      state.attempt = null;
      show($('retry-button'), false);
      show($('pay-button'), true);
      if (res.data && res.data.transaccion_id) purchaseKeys[res.data.transaccion_id] = attempt.key;
      onPurchase(res.data);
    }, function (err) {
      setBusy(false);
      // Ambiguous (the charge may have happened) or not charged yet: the same attempt can be retried safely.
      var retryable = err.kind !== 'http' || err.status >= 500 || err.status === 429 || err.status === 409;
      if (!retryable) state.attempt = null;
      notice($('form-error'), explain(err, 'pay'), 'error');
      show($('retry-button'), retryable);
      show($('pay-button'), !retryable);
      if (retryable && err.status === 429 && err.retryAfter) cooldown(err.retryAfter);
      if (err.status === 404) loadPortal();
    });
  }

  // ---------------------------------------------------------------------------
  // Resultado y consulta del estado
  // ---------------------------------------------------------------------------
  function needsPolling(d) {
    if (!d) return false;
    if (d.estado_pago === 'pending' || d.estado_pago === 'unknown') return true;
    if (d.estado_pago !== 'paid') return false;
    if (d.estado_hotspot === 'pending' || d.estado_hotspot === 'provisioning') return true;
    return Boolean(d.estado_hotspot === 'active' && d.auto_conexion && d.auto_conexion.solicitada && (d.auto_conexion.fase || d.auto_conexion.estado) === 'pendiente');
  }
  function statusLine(node, message, kind) {
    node.className = 'status' + (kind ? ' status--' + kind : '');
    setText(node, message);
    show(node, Boolean(message));
  }

  function onPurchase(data) {
    rememberTransaction(data);
    showResult(data);
    if (needsPolling(data)) startPolling(data.transaccion_id);
  }

  function showResult(d) {
    var first = !state.lastResult || state.lastResult.transaccion_id !== d.transaccion_id || $('result').hidden;
    state.lastResult = d;
    show($('checkout'), false);
    show($('plans'), false);
    show($('saved'), false);
    show($('manual-login'), false);
    show($('result'), true);
    if (first) window.scrollTo(0, 0);
    notice($('result-error'), '');
    var paid = d.estado_pago === 'paid';
    var pending = d.estado_pago === 'pending' || d.estado_pago === 'unknown';
    var title = paid ? '\u00a1Pago aprobado!' : pending ? 'Pago en verificaci\u00f3n' : d.estado_pago === 'refunded' ? 'Pago reembolsado' : 'Pago no aprobado';
    setText($('result-title'), title);
    var message = d.mensaje || (pending ? 'Estamos confirmando tu pago con el banco. No cierres esta p\u00e1gina.' : '');
    if (paid) message = message.replace(/^Pago aprobado\.\s*/, '');
    setText($('result-message'), message);

    var creds = d.usuario_hotspot;
    show($('credentials'), Boolean(paid && creds));
    if (paid && creds) {
      setText($('cred-usuario'), creds.usuario);
      setText($('cred-contrasena'), creds.contrasena);
    }

    // The receipt: plan, amount and when the access ends.
    var prod = d.producto || {};
    var receipt = $('receipt');
    if (paid && prod.nombre) {
      setText($('receipt-plan'), prod.nombre);
      setText($('receipt-monto'), formatMoney(prod.precio_decimal || prod.precio, prod.moneda));
      setText($('receipt-acceso'), accessText(d.acceso));
      show(receipt, true);
    } else {
      show(receipt, false);
    }

    var hs = $('result-status');
    if (pending) statusLine(hs, 'Confirmando tu pago\u2026', 'wait');
    else if (!paid) statusLine(hs, '', '');
    else if (d.estado_hotspot === 'active') statusLine(hs, 'Tu acceso est\u00e1 activo.', 'ok');
    else if (d.estado_hotspot === 'pending' || d.estado_hotspot === 'provisioning') statusLine(hs, 'Activando tu acceso en el router\u2026', 'wait');
    else if (d.estado_hotspot === 'failed') statusLine(hs, 'El router no pudo activar tu acceso todav\u00eda. Lo seguiremos intentando; si en unos minutos no puedes conectarte, muestra tu n\u00famero de transacci\u00f3n al encargado.', 'err');
    else if (d.estado_hotspot === 'expired') statusLine(hs, 'Este acceso ya expir\u00f3.', 'err');
    else if (d.estado_hotspot === 'disabled') statusLine(hs, 'Este acceso fue deshabilitado.', 'err');
    else statusLine(hs, '', '');

    var auto = d.auto_conexion;
    var autoNode = $('auto-status');
    var connected = false;
    if (paid && auto && auto.solicitada) {
      if (auto.estado === 'conectado') {
        connected = true;
        statusLine(autoNode, 'Conexi\u00f3n autom\u00e1tica: este dispositivo ya est\u00e1 conectado. \u00a1Listo para navegar!', 'ok');
      } else if ((auto.fase || auto.estado) === 'pendiente') {
        statusLine(autoNode, 'Conexi\u00f3n autom\u00e1tica: ' + (auto.mensaje || 'te conectaremos en cuanto se active tu acceso.'), 'wait');
      } else {
        statusLine(autoNode, 'Conexi\u00f3n autom\u00e1tica: ' + (auto.mensaje || 'no se pudo.') + ' Toca \u00abConectarme ahora\u00bb.', 'err');
      }
    } else {
      statusLine(autoNode, '', '');
    }

    show($('connect-button'), Boolean(paid && creds && d.estado_hotspot === 'active' && !connected));
    var cont = $('continue-link');
    show(cont, Boolean(connected && HS.linkOrig));
    if (HS.linkOrig) cont.href = HS.linkOrig;
    show($('check-button'), false);
    setText($('result-trx'), d.transaccion_id ? 'N\u00famero de transacci\u00f3n: ' + d.transaccion_id : '');
  }

  function dateText(iso) {
    var when = new Date(iso);
    if (isNaN(when)) return '';
    return when.toLocaleString('es-MX', { day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' });
  }
  /** When the access ends, in words: a date, a validity from activation, or the plan's browsing time. */
  function accessText(acceso) {
    var a = acceso || {};
    var uptime = rosDuration(a.limit_uptime);
    if (a.expira_en) return 'Hasta el ' + dateText(a.expira_en) + (uptime ? ' (' + uptime + ' de navegaci\u00f3n)' : '');
    if (a.vigencia_minutos) return 'V\u00e1lido por ' + secondsText(Number(a.vigencia_minutos) * 60) + ' desde que se activa';
    if (uptime) return uptime + ' de navegaci\u00f3n';
    return 'Sin l\u00edmite de tiempo';
  }

  function stopPolling() {
    state.pollToken += 1;
    clearTimeout(state.pollTimer);
  }
  function startPolling(id) {
    stopPolling();
    var token = state.pollToken;
    var started = Date.now();
    var delay = 1000;
    function schedule(ms) {
      if (Date.now() - started > POLL_LIMIT_MS) { giveUp(); return; }
      state.pollTimer = setTimeout(tick, ms);
    }
    function giveUp() {
      var d = state.lastResult || {};
      var pendingPay = d.estado_pago !== 'paid';
      notice($('result-error'), pendingPay
        ? 'Tu pago sigue en verificaci\u00f3n. Guarda tu n\u00famero de transacci\u00f3n y toca \u00abConsultar de nuevo\u00bb en unos minutos; no vuelvas a pagar.'
        : 'Tu acceso sigue activ\u00e1ndose. Toca \u00abConsultar de nuevo\u00bb en unos momentos.', 'warn');
      show($('check-button'), true);
    }
    function tick() {
      if (token !== state.pollToken) return;
      purchaseStatus(id).then(function (res) {
        if (token !== state.pollToken) return;
        var d = res.data;
        if (d.estado_pago === 'declined' || d.estado_pago === 'expired') {
          rememberTransaction(d);
          forget(d.transaccion_id);
          showDeclined(d.mensaje || 'El pago no fue aprobado.');
          return;
        }
        rememberTransaction(d);
        showResult(d);
        if (needsPolling(d)) {
          delay = Math.min(delay * 1.5, 5000);
          schedule(delay);
        }
      }, function (err) {
        if (token !== state.pollToken) return;
        if (err.kind === 'http' && (err.status === 404 || err.status === 401)) {
          notice($('result-error'), explain(err, 'poll'), 'error');
          return;
        }
        notice($('result-error'), explain(err, 'poll') + ' Seguimos consultando\u2026', 'warn');
        delay = Math.min(Math.max(delay * 1.5, (err.retryAfter || 0) * 1000), 10000);
        schedule(delay);
      });
    }
    schedule(delay);
  }

  function showDeclined(message) {
    show($('result'), false);
    show($('plans'), true);
    show($('manual-login'), true);
    renderSaved();
    show($('checkout'), Boolean(state.product));
    show($('pay-button'), true);
    show($('retry-button'), false);
    notice($('form-error'), message, 'error');
    if (state.product) $('checkout').scrollIntoView({ block: 'start' });
  }

  function copyCredentials() {
    var d = state.lastResult;
    if (!d || !d.usuario_hotspot) return;
    var textValue = 'Usuario: ' + d.usuario_hotspot.usuario + '\nContrase\u00f1a: ' + d.usuario_hotspot.contrasena;
    var done = function () { setText($('copy-button'), 'Copiado'); setTimeout(function () { setText($('copy-button'), 'Copiar'); }, 1500); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(textValue).then(done, function () { legacyCopy(textValue); done(); });
    } else {
      legacyCopy(textValue);
      done();
    }
  }
  function legacyCopy(value) {
    var ta = document.createElement('textarea');
    ta.value = value;
    ta.setAttribute('readonly', '');
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.appendChild(ta);
    ta.select();
    try { document.execCommand('copy'); } catch (e) { /* nothing else to try */ }
    document.body.removeChild(ta);
  }

  // ---------------------------------------------------------------------------
  // Sandbox: aviso y tarjetas de prueba
  // ---------------------------------------------------------------------------
  function setupSandbox() {
    show($('sandbox-banner'), true);
    loadSandbox().then(function (t) {
      var ul = $('sandbox-card-list');
      ul.textContent = '';
      var year = (new Date().getFullYear() + 3) % 100;
      t.cards.forEach(function (c) {
        var li = el('li');
        var label = el('span');
        label.appendChild(el('code', '', c.number.replace(/(\d{4})(?=\d)/g, '$1 ')));
        label.appendChild(document.createTextNode(' ' + c.resultado));
        li.appendChild(label);
        var use = el('button', 'btn btn--ghost btn--small', 'Usar');
        use.type = 'button';
        use.addEventListener('click', function () {
          $('card-number').value = c.number.replace(/(\d{4})(?=\d)/g, '$1 ');
          $('card-exp').value = '12/' + ('0' + year).slice(-2);
          $('card-cvc').value = '123';
        });
        li.appendChild(use);
        ul.appendChild(li);
      });
      setText($('sandbox-mp-hint'), 'Mercado Pago (sandbox): el resultado depende del nombre del titular: ' +
        t.mercadoPagoNames.map(function (n) { return n.nombre + ' = ' + n.resultado.toLowerCase(); }).join(', ') + '.');
      show($('sandbox-cards'), true);
    }, function (e) {
      notice($('page-notice'), e.message, 'error');
    });
  }

  // ---------------------------------------------------------------------------
  // Efectivo en OXXO y fichas impresas (issue 15)
  // ---------------------------------------------------------------------------
  // Namespaced and expiring like the other stored data; a pending reference holds no password.
  var CASH_KEY = 'pagosHotspot.' + STORE_SCOPE + '.efectivo';
  var CASH_POLL_MS = CFG.cashPollMs || 8000;
  var cashState = { token: 0, timer: null, attempt: null, connectTried: false };

  function cashStored() {
    var d = storage.get(CASH_KEY, null);
    return d && typeof d === 'object' && typeof d.transaccion_id === 'string' ? d : null;
  }
  function cashForget() {
    storage.remove(CASH_KEY);
  }
  /** Kept until the reference expires (plus a day to show what became of it), at most 31 days. */
  function cashKeep(d) {
    var until = Date.parse(d.expira_en || '');
    var ttl = isFinite(until) ? Math.min(until - Date.now() + DAY_MS, 31 * DAY_MS) : 3 * DAY_MS;
    var kept = {
      transaccion_id: d.transaccion_id, clave: purchaseKeys[d.transaccion_id] || null, referencia: d.referencia || null, monto: d.monto, moneda: d.moneda, expira_en: d.expira_en || null,
      clabe: d.clabe || null, banco: d.banco || null,
      metodo_pago: d.metodo_pago, url_ficha_pago: d.url_ficha_pago || null, instrucciones: d.instrucciones || [],
      producto: d.producto ? { nombre: d.producto.nombre, precio: d.producto.precio } : null
    };
    storage.set(CASH_KEY, kept, Math.max(ttl, 60 * 1000));
  }
  function cashStop() {
    cashState.token += 1;
    clearTimeout(cashState.timer);
  }
  function cashExpiryText(iso) {
    var d = new Date(iso);
    if (!iso || isNaN(d)) return '';
    try {
      return d.toLocaleString('es-MX', { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' });
    } catch (e) { return d.toISOString(); }
  }
  function showCash(d) {
    stopPolling();
    show($('checkout'), false);
    show($('plans'), false);
    show($('saved'), false);
    show($('manual-login'), false);
    show($('ficha-login'), false);
    show($('result'), false);
    show($('cash-result'), true);
    var spei = d.metodo_pago === 'spei';
    setText($('cash-title'), spei ? 'Paga por transferencia SPEI' : d.metodo_pago === 'paycash' ? 'Paga en efectivo (Paycash)' : 'Paga en efectivo en OXXO');
    setText($('cash-lead'), spei ? 'Transfiere desde la app de tu banco a esta CLABE:' : 'Muestra o dicta esta referencia en la caja:');
    // A CLABE reads in its groups (bank, branch, account, check digit); Copiar copies the digits only.
    if (spei) setText($('cash-referencia'), d.clabe ? d.clabe.replace(/^(\d{3})(\d{3})(\d{11})(\d)$/, '$1 $2 $3 $4') : (d.url_ficha_pago ? 'Consulta la CLABE en las instrucciones de pago' : 'Generando tu CLABE\u2026'));
    else setText($('cash-referencia'), d.referencia || 'Generando tu referencia\u2026');
    $('cash-referencia').className = 'cash-ref__value' + (spei && d.clabe ? ' cash-ref__value--clabe' : '');
    show($('trial-box'), false);
    show($('cash-copy'), !spei || Boolean(d.clabe));
    show($('spei-banco'), spei && Boolean(d.banco || d.referencia));
    setText($('spei-banco'), spei ? [d.banco ? 'Banco: ' + d.banco : '', d.referencia && d.referencia !== d.clabe ? 'Referencia: ' + d.referencia : ''].filter(Boolean).join(' \u00b7 ') : '');
    setText($('cash-ticket'), spei ? 'Ver CLABE e instrucciones de pago' : 'Ver ficha de pago');
    renderSpeiTrial(spei);
    setText($('cash-monto'), formatMoney(d.monto || (d.producto && d.producto.precio), d.moneda || 'MXN'));
    setText($('cash-expira'), cashExpiryText(d.expira_en));
    var ol = $('cash-instrucciones');
    ol.textContent = '';
    (Array.isArray(d.instrucciones) ? d.instrucciones : []).forEach(function (step) { ol.appendChild(el('li', '', step)); });
    var ticket = $('cash-ticket');
    show(ticket, Boolean(d.url_ficha_pago));
    if (d.url_ficha_pago) ticket.href = d.url_ficha_pago;
    statusLine($('cash-status'), spei
      ? 'Esperando tu transferencia\u2026 Cuando la hagas, vuelve a esta p\u00e1gina: aqu\u00ed aparecer\u00e1n tu usuario y contrase\u00f1a.'
      : 'Esperando tu pago\u2026 Cuando pagues, vuelve a esta p\u00e1gina: aqu\u00ed aparecer\u00e1n tu usuario y contrase\u00f1a.', 'wait');
    setText($('cash-trx'), 'N\u00famero de transacci\u00f3n: ' + d.transaccion_id);
    window.scrollTo(0, 0);
  }
  /** Paid: the card path from here (credentials, activation, connection). */
  function cashPaid(d) {
    var key = keyFor(d.transaccion_id); // kept with the purchase once the reference is forgotten
    if (key) purchaseKeys[d.transaccion_id] = key;
    cashForget();
    show($('cash-result'), false);
    show($('ficha-login'), false);
    rememberTransaction(d);
    showResult(d);
    var creds = d.usuario_hotspot;
    var auto = d.auto_conexion;
    // Without the router's automatic login (MAC/IP unknown) the hotspot form connects it; after a failed
    // automatic login the result keeps the "Conectarme ahora" button instead of leaving the page.
    var needsLogin = !auto || !auto.solicitada;
    // On the router's trial (SPEI paid from this phone): the automatic login finds the trial session, so the
    // portal ends the trial first, then logs in with the credentials.
    var onTrial = HS.loggedIn && HS.linkLogout && !(auto && auto.estado === 'conectado');
    if (d.estado_hotspot === 'active' && creds && (needsLogin || onTrial) && !cashState.connectTried) {
      cashState.connectTried = true;
      if (onTrial) {
        statusLine($('result-status'), 'Cerrando tu prueba gratuita y conect\u00e1ndote con tu plan\u2026', 'wait');
        trialLogout().then(function () { hotspotLogin(creds.usuario, creds.contrasena, $('result-error')); });
      } else {
        hotspotLogin(creds.usuario, creds.contrasena, $('result-error'));
      }
    }
  }
  function cashPoll(id, immediate) {
    cashStop();
    var token = cashState.token;
    function tick() {
      if (token !== cashState.token) return;
      purchaseStatus(id).then(function (res) {
        if (token !== cashState.token) return;
        var d = res.data || {};
        if (d.estado_pago === 'paid') {
          cashPaid(d);
          if (d.estado_hotspot === 'active' && !(d.auto_conexion && d.auto_conexion.estado === 'pendiente')) return;
          cashState.timer = setTimeout(tick, 1500);
          return;
        }
        if (d.estado_pago === 'expired' || d.estado_pago === 'declined') {
          cashForget();
          forget(id);
          show($('cash-result'), false);
          show($('plans'), true);
          show($('ficha-login'), true);
          show($('manual-login'), true);
          notice($('page-notice'), d.mensaje || 'Tu referencia de pago venci\u00f3 sin pagarse. Genera una nueva para comprar.', 'warn');
          return;
        }
        var stored = cashStored();
        if (stored && d.referencia && !stored.referencia) cashKeep(d);
        cashState.timer = setTimeout(tick, CASH_POLL_MS);
      }, function (err) {
        if (token !== cashState.token) return;
        if (err.kind === 'http' && (err.status === 404 || err.status === 401)) {
          statusLine($('cash-status'), explain(err, 'poll'), 'err');
          return;
        }
        cashState.timer = setTimeout(tick, CASH_POLL_MS * 2);
      });
    }
    cashState.timer = setTimeout(tick, immediate ? 0 : CASH_POLL_MS);
  }
  function payCash(method) {
    var spei = method === 'spei';
    var errorNode = $('cash-error');
    notice(errorNode, '');
    if (!state.product) { notice(errorNode, 'Elige un plan primero.', 'error'); return; }
    var gateway = state.gateway || state.gateways[0];
    if (!gateway) { notice(errorNode, 'Los pagos en efectivo no est\u00e1n disponibles en este punto de acceso.', 'error'); return; }
    var nombre = $('nombre').value.trim();
    var email = $('email').value.trim();
    var telefono = $('telefono').value.replace(/[^0-9+]/g, '');
    var phoneNeeded = phoneRequired(gateway, 'oxxo');
    var digits = telefono.replace(/\D/g, '').length;
    if (!nombre || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
      notice(errorNode, 'Escribe tu nombre y un correo v\u00e1lido arriba para generar la referencia.', 'error');
      return;
    }
    if (phoneNeeded ? digits < 10 : (telefono && digits < 7)) {
      $('telefono').setAttribute('aria-invalid', 'true');
      $('telefono').focus();
      notice(errorNode, phoneNeeded ? 'Escribe tu tel\u00e9fono (10 d\u00edgitos) arriba: lo pide OXXO para generar la referencia.' : 'Escribe un tel\u00e9fono v\u00e1lido arriba o d\u00e9jalo vac\u00edo.', 'error');
      return;
    }
    $('telefono').setAttribute('aria-invalid', 'false');
    var body = {
      producto_id: state.product.id, nombre_cliente: nombre, email_cliente: email,
      pasarela: gateway, conexion_automatica: DEVICE_KNOWN
    };
    if (!spei) body.metodo = 'oxxo';
    if (telefono) body.telefono_cliente = telefono;
    if (DEVICE_KNOWN) { body.mac_cliente = HS.mac; body.ip_cliente = HS.ip; }
    var sig = JSON.stringify(body);
    if (!cashState.attempt || cashState.attempt.sig !== sig) cashState.attempt = { sig: sig, key: uuid() };
    storage.set(CUSTOMER_KEY, { nombre: nombre, email: email, telefono: $('telefono').value.trim() }, CUSTOMER_TTL_MS);
    var button = $(spei ? 'spei-button' : 'cash-button');
    var label = spei ? 'Pagar por transferencia SPEI' : 'Pagar en efectivo (OXXO)';
    button.disabled = true;
    setText(button, spei ? 'Generando tu CLABE\u2026' : 'Generando referencia\u2026');
    api('POST', spei ? '/api/v1/payments/pagar-spei' : '/api/v1/payments/pagar-efectivo', body, { idempotencyKey: cashState.attempt.key, timeoutMs: PAY_TIMEOUT_MS }).then(function (res) {
      button.disabled = false;
      setText(button, label);
      var d = res.data || {};
      if (d.transaccion_id && cashState.attempt) purchaseKeys[d.transaccion_id] = cashState.attempt.key;
      cashState.attempt = null;
      if (d.estado_pago === 'paid') { cashPaid(d); return; }
      cashKeep(d);
      rememberTransaction(d);
      showCash(d);
      cashPoll(d.transaccion_id, false);
    }, function (err) {
      button.disabled = false;
      setText(button, label);
      notice(errorNode, explain(err, 'pay'), 'error');
    });
  }

  // ---------------------------------------------------------------------------
  // Prueba gratuita del router y SPEI (issue 24)
  // ---------------------------------------------------------------------------
  /** The router's trial login link (RouterOS: $(link-login-only)?dst=$(link-orig-esc)&username=T-$(mac-esc)). */
  function trialUrl() {
    if (!HS.loginAction || !HS.mac || !/^https?:\/\//.test(HS.loginAction)) return '';
    return HS.loginAction + '?dst=' + (HS.linkOrigEsc || '') + '&username=T-' + (HS.macEsc || encodeURIComponent(HS.mac));
  }
  /** The trial is on, this device can take it (not connected now, not used up per the router's last answer). */
  function trialAvailable() {
    var usedUp = /trial/i.test(HS.error || '');
    return Boolean(state.prueba && state.prueba.minutos > 0 && HS.trial && !HS.loggedIn && !usedUp && trialUrl());
  }
  function renderTrial() {
    var box = $('trial-box');
    var on = trialAvailable() && !cashStored();
    show(box, on);
    if (on) {
      setText($('trial-button'), 'Probar gratis ' + plural(state.prueba.minutos, 'minuto', 'minutos'));
      $('trial-button').href = trialUrl();
    }
    var pending = cashStored();
    if (pending && pending.metodo_pago === 'spei' && !$('cash-result').hidden) renderSpeiTrial(true);
  }
  /** After a SPEI CLABE: a few minutes of internet to open the bank app, or what to do without them. */
  function renderSpeiTrial(spei) {
    var box = $('spei-trial');
    var none = $('spei-sin-prueba');
    show(box, false);
    show(none, false);
    if (!spei) return;
    if (HS.loggedIn) {
      notice(none, 'Ya tienes internet en este dispositivo: abre la app de tu banco, transfiere y vuelve a esta p\u00e1gina.', 'ok');
      return;
    }
    if (trialAvailable()) {
      setText($('spei-trial-button'), 'Conectarme ' + plural(state.prueba.minutos, 'minuto', 'minutos') + ' para pagar desde mi banco');
      $('spei-trial-button').href = trialUrl();
      var back = HS.loginAction ? HS.loginAction.replace(/\/login$/, '') : '';
      setText($('spei-volver'), 'Copia la CLABE, con\u00e9ctate, transfiere desde tu banco y vuelve a ' + (back || 'esta p\u00e1gina') +
        ' (o abre cualquier p\u00e1gina): aqu\u00ed ver\u00e1s el estado de tu pago y, al confirmarse, tu usuario y contrase\u00f1a.');
      show(box, true);
      return;
    }
    if (state.pub) {
      notice(none, 'Este punto de acceso no te da internet para pagar' + (/trial/i.test(HS.error || '') ? ' (ya usaste la prueba gratuita en este dispositivo)' : '') +
        ': transfiere desde otro dispositivo o con tus datos m\u00f3viles, y vuelve a esta p\u00e1gina.', 'warn');
    }
  }
  /** Ends this device's hotspot session (the trial) before logging in with the plan's credentials. */
  function trialLogout() {
    if (!HS.linkLogout || typeof fetch !== 'function') return Promise.resolve();
    return fetch(HS.linkLogout, { credentials: 'include', cache: 'no-store' }).then(function () { HS.loggedIn = false; }, function () { HS.loggedIn = false; });
  }
  function copyReference() {
    var value = ($('cash-referencia').textContent || '').replace(/\s+/g, '');
    if (!/\d/.test(value)) return;
    var done = function () { setText($('cash-copy'), 'Copiado'); setTimeout(function () { setText($('cash-copy'), 'Copiar'); }, 1500); };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(value).then(done, function () { legacyCopy(value); done(); });
    else { legacyCopy(value); done(); }
  }
  function loginWithFicha(ev) {
    ev.preventDefault();
    var codigo = $('ficha-codigo').value.replace(/\s+/g, '').toUpperCase();
    var contrasena = $('ficha-contrasena').value.replace(/\s+/g, '').toUpperCase();
    if (!/^[A-Z0-9]{4,32}$/.test(codigo)) { notice($('ficha-error'), 'Escribe el c\u00f3digo tal como aparece en tu ficha.', 'error'); return; }
    notice($('ficha-error'), '');
    // A voucher without a password uses its code as the password.
    hotspotLogin(codigo, contrasena || codigo, $('ficha-error'));
  }
  function initCash() {
    show($('cash-box'), true);
    $('cash-button').addEventListener('click', function () { payCash('oxxo'); });
    $('spei-button').addEventListener('click', function () { payCash('spei'); });
    $('cash-copy').addEventListener('click', copyReference);
    $('cash-check').addEventListener('click', function () {
      var d = cashStored();
      if (d) { statusLine($('cash-status'), 'Consultando tu pago\u2026', 'wait'); cashPoll(d.transaccion_id, true); }
    });
    $('cash-back').addEventListener('click', function () {
      cashStop();
      show($('cash-result'), false);
      renderTrial();
      show($('plans'), true);
      show($('ficha-login'), true);
      show($('manual-login'), true);
      renderSaved();
      window.scrollTo(0, 0);
    });
    $('ficha-form').addEventListener('submit', loginWithFicha);
    // The phone kept a cash reference: back after paying, show where it stands.
    var pending = cashStored();
    if (pending && API_BASE && API_KEY) {
      showCash(pending);
      cashPoll(pending.transaccion_id, true);
    }
  }

  // ---------------------------------------------------------------------------
  // Inicio
  // ---------------------------------------------------------------------------
  function formatCardInput(ev) {
    var input = ev.target;
    var digits = input.value.replace(/\D/g, '').slice(0, 19);
    input.value = digits.replace(/(\d{4})(?=\d)/g, '$1 ');
  }
  function formatExpInput(ev) {
    var input = ev.target;
    var digits = input.value.replace(/\D/g, '').slice(0, 4);
    input.value = digits.length > 2 ? digits.slice(0, 2) + '/' + digits.slice(2) : digits;
  }

  function init() {
    if (HS.error) notice($('hotspot-error'), hotspotErrorText(HS.error), 'error');
    // The hotspot says this device is already logged in: tell it before it buys.
    if (HS.loggedIn) notice($('already-connected'), alreadyConnectedText(), 'ok');
    if (SANDBOX) setupSandbox();
    show($('auto-connect-row'), DEVICE_KNOWN);

    var customer = storage.get(CUSTOMER_KEY, null);
    if (customer && typeof customer === 'object') {
      if (customer.nombre) $('nombre').value = customer.nombre;
      if (customer.email) $('email').value = customer.email;
      if (customer.telefono) $('telefono').value = customer.telefono;
    }
    if (HS.username) $('manual-usuario').value = HS.username;

    $('pay-form').addEventListener('submit', onPay);
    $('retry-button').addEventListener('click', function () { sendAttempt(); });
    $('back-button').addEventListener('click', function () {
      state.attempt = null;
      show($('retry-button'), false);
      show($('pay-button'), true);
      notice($('form-error'), '');
      $('plans').scrollIntoView({ behavior: 'smooth', block: 'start' });
    });
    $('plans-retry').addEventListener('click', loadPortal);
    $('card-number').addEventListener('input', formatCardInput);
    $('card-exp').addEventListener('input', formatExpInput);
    Array.prototype.forEach.call(document.querySelectorAll('input[name="gateway"]'), function (input) {
      input.addEventListener('change', function () {
        state.gateway = input.value;
        state.attempt = null;
        applyGateway();
      });
    });
    $('connect-button').addEventListener('click', function () {
      var d = state.lastResult;
      if (d && d.usuario_hotspot) hotspotLogin(d.usuario_hotspot.usuario, d.usuario_hotspot.contrasena, $('result-error'));
    });
    $('check-button').addEventListener('click', function () {
      if (state.lastResult && state.lastResult.transaccion_id) {
        show($('check-button'), false);
        notice($('result-error'), '');
        startPolling(state.lastResult.transaccion_id);
      }
    });
    $('new-button').addEventListener('click', function () {
      stopPolling();
      state.product = null;
      state.attempt = null;
      show($('result'), false);
      show($('checkout'), false);
      show($('plans'), true);
      show($('manual-login'), true);
      renderPlans();
      renderSaved();
      window.scrollTo(0, 0);
    });
    $('copy-button').addEventListener('click', copyCredentials);
    $('manual-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      var u = $('manual-usuario').value.trim();
      var p = $('manual-contrasena').value;
      if (!u || !p) { notice($('manual-error'), 'Escribe tu usuario y tu contrase\u00f1a.', 'error'); return; }
      notice($('manual-error'), '');
      hotspotLogin(u, p, $('manual-error'));
    });

    renderSaved();
    initCash();

    if (!API_BASE || !API_KEY || /REEMPLAZAR/.test(API_KEY)) {
      var status = $('plans-status');
      status.className = 'notice notice--error';
      setText(status, 'Este portal a\u00fan no est\u00e1 configurado (falta la URL de la API o la API Key en config.js). Avisa al encargado del lugar.');
      return;
    }
    loadPortal();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
