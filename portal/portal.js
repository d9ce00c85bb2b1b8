/*
 * Pagos Hotspot: portal cautivo (login.html de un hotspot MikroTik).
 *
 * Muestra los planes del router, tokeniza la tarjeta (Conekta.js / SDK de Mercado
 * Pago en modo live; el tokenizador sandbox de la demo en modo sandbox), envia el
 * pago con Idempotency-Key, muestra las credenciales, informa la conexion
 * automatica, inicia la sesion con el formulario del propio hotspot y guarda las
 * credenciales en este dispositivo para reconectar.
 *
 * Sin framework: ES2017 para navegadores de telefono.
 *
 * GENERADO por `npm run build:portal` desde portal/src/ (TypeScript): no lo edite aqui.
 */
"use strict";
(() => {
  // portal/src/config.ts
  var CFG = window.PAGOS_CONFIG || {};
  var API_BASE = String(CFG.apiBaseUrl || "").replace(/\/+$/, "");
  var API_KEY = String(CFG.apiKey || "");
  var SANDBOX = CFG.mode === "sandbox";
  var URLS = {
    conekta: CFG.conektaJsUrl || "https://cdn.conekta.io/js/latest/conekta.js",
    mercadopago: CFG.mercadoPagoJsUrl || "https://sdk.mercadopago.com/js/v2",
    sandbox: CFG.sandboxTokenizerUrl || "sandbox-tokenizer.js"
  };
  function storageScope(apiKey) {
    try {
      const part = String(apiKey).replace(/^jwt_/, "").split(".")[1] || "";
      const claims = JSON.parse(window.atob(part.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((part.length + 3) % 4)));
      const scope = String(claims.empresa || "") + "." + String(claims.sub || "");
      return /^[A-Za-z0-9_]{1,40}\.[A-Za-z0-9_]{1,40}$/.test(scope) ? scope : "sin-router";
    } catch (e) {
      return "sin-router";
    }
  }
  var STORE_SCOPE = storageScope(API_KEY);
  var STORE_KEY = "pagosHotspot." + STORE_SCOPE + ".compras";
  var CUSTOMER_KEY = "pagosHotspot." + STORE_SCOPE + ".cliente";
  var DEVICE_KEY = "pagosHotspot." + STORE_SCOPE + ".dispositivo";
  var CASH_KEY = "pagosHotspot." + STORE_SCOPE + ".efectivo";
  var LEGACY_KEYS = ["pagosHotspot.credenciales", "pagosHotspot.cliente"];
  var DAY_MS = 24 * 3600 * 1e3;
  var SAVED_TTL_MS = 7 * DAY_MS;
  var CUSTOMER_TTL_MS = 30 * DAY_MS;
  var DEVICE_TTL_MS = 90 * DAY_MS;
  var PAY_TIMEOUT_MS = CFG.payTimeoutMs || 6e4;
  var API_TIMEOUT_MS = CFG.apiTimeoutMs || 15e3;
  var POLL_LIMIT_MS = CFG.pollLimitMs || 18e4;
  var CASH_POLL_MS = CFG.cashPollMs || 8e3;
  var PAY_RETRY_DELAYS_MS = CFG.payRetryDelaysMs || [1e3, 2e3, 4e3, 8e3];
  var PAY_RETRY_LIMIT_MS = CFG.payRetryLimitMs || 6e4;
  var GATEWAY_NAMES = { conekta: "Conekta", mercadopago: "Mercado Pago" };

  // shared/routeros-duration.ts
  var UNIT_SECONDS = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };
  function parseRouterDuration(value) {
    if (!value) return null;
    const text = value.trim();
    if (/^\d+$/.test(text)) return Number(text);
    const clock = /^(?:(\d+)w)?(?:(\d+)d)?\s*(\d{1,2}):(\d{2}):(\d{2})$/.exec(text);
    if (clock) {
      return Number(clock[1] || 0) * UNIT_SECONDS.w + Number(clock[2] || 0) * UNIT_SECONDS.d + Number(clock[3]) * 3600 + Number(clock[4]) * 60 + Number(clock[5]);
    }
    if (!/^(\d+[wdhms])+$/.test(text)) return null;
    const part = /(\d+)([wdhms])/g;
    let total = 0;
    for (let m = part.exec(text); m; m = part.exec(text)) total += Number(m[1]) * UNIT_SECONDS[m[2]];
    return total;
  }

  // portal/src/format.ts
  function formatMoney(precio, moneda) {
    const n = Number(precio);
    const options = { style: "currency", currency: moneda || "MXN", currencyDisplay: "narrowSymbol" };
    try {
      return new Intl.NumberFormat("es-MX", options).format(n) + " " + (moneda || "MXN");
    } catch (e) {
      return "$" + precio + " " + (moneda || "");
    }
  }
  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }
  function durationText(value) {
    const v = String(value || "").trim();
    if (!v || v === "none") return "";
    const secs = parseRouterDuration(v);
    if (secs === null) return v;
    return secs > 0 ? secondsText(secs) : "";
  }
  function secondsText(total) {
    let secs = total;
    const parts = [];
    const units = [[604800, "semana", "semanas"], [86400, "d\xEDa", "d\xEDas"], [3600, "hora", "horas"], [60, "minuto", "minutos"]];
    for (const [size, one, many] of units) {
      const q = Math.floor(secs / size);
      if (q > 0) {
        parts.push(plural(q, one, many));
        secs -= q * size;
      }
    }
    if (!parts.length) parts.push(plural(secs, "segundo", "segundos"));
    return parts.slice(0, 2).join(" ");
  }
  function bytesText(n) {
    let v = Number(n);
    if (!v) return "";
    const units = ["B", "KB", "MB", "GB", "TB"];
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return Math.round(v * 10) / 10 + " " + units[i];
  }
  function dateText(iso) {
    const when = new Date(iso);
    if (isNaN(when.getTime())) return "";
    return when.toLocaleString("es-MX", { day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" });
  }
  function waitText(secs) {
    if (secs >= 120) return Math.ceil(secs / 60) + " minutos";
    return plural(secs, "segundo", "segundos");
  }

  // portal/src/api.ts
  var ApiError = class {
    constructor(kind, status, detail, retryAfter, body) {
      this.kind = kind;
      this.status = status || 0;
      this.detail = detail || "";
      this.retryAfter = retryAfter || 0;
      this.body = body || null;
      this.code = body && typeof body.code === "string" ? body.code : "";
      this.field = body && typeof body.field === "string" ? body.field : "";
    }
  };
  function parseRetryAfter(value) {
    if (!value) return 0;
    const n = Number(value);
    if (isFinite(n)) return Math.max(1, Math.ceil(n));
    const at = Date.parse(value);
    return isFinite(at) ? Math.max(1, Math.ceil((at - Date.now()) / 1e3)) : 0;
  }
  function api(method, path, body, opts) {
    const o = opts || {};
    const ctrl = typeof AbortController === "function" ? new AbortController() : null;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (ctrl) ctrl.abort();
    }, o.timeoutMs || API_TIMEOUT_MS);
    const headers = { Accept: "application/json", Authorization: "Bearer " + API_KEY };
    if (body !== void 0) headers["Content-Type"] = "application/json";
    if (o.idempotencyKey) headers["Idempotency-Key"] = o.idempotencyKey;
    return fetch(API_BASE + path, {
      method,
      headers,
      body: body === void 0 ? void 0 : JSON.stringify(body),
      signal: ctrl ? ctrl.signal : void 0,
      cache: "no-store",
      credentials: "omit",
      mode: "cors"
    }).then((res) => res.text().then((raw) => {
      let data = null;
      try {
        data = raw ? JSON.parse(raw) : null;
      } catch (e) {
        data = null;
      }
      if (res.ok) return { status: res.status, data: data || {} };
      const detail = data && typeof data.detail === "string" ? data.detail : "";
      throw new ApiError("http", res.status, detail, parseRetryAfter(res.headers.get("Retry-After")), data);
    })).catch((err) => {
      if (err instanceof ApiError) throw err;
      throw new ApiError(timedOut ? "timeout" : "network");
    }).then((value) => {
      clearTimeout(timer);
      return value;
    }, (err) => {
      clearTimeout(timer);
      throw err;
    });
  }
  var FIELD_NAMES = {
    email_cliente: "correo electr\xF3nico",
    telefono_cliente: "tel\xE9fono",
    nombre_cliente: "nombre",
    mac_cliente: "MAC del dispositivo",
    ip_cliente: "IP del dispositivo",
    producto_id: "plan",
    token_tarjeta: "tarjeta",
    token: "tarjeta",
    monto: "monto",
    payment_method_id: "tipo de tarjeta"
  };
  function friendlyDetail(detail, field2) {
    const text = String(detail);
    if (!field2 || !FIELD_NAMES[field2]) return text;
    return text.split("'" + field2 + "'").join("\xAB" + FIELD_NAMES[field2] + "\xBB");
  }
  var CODE_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    402: "payment_declined",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    422: "validation_error",
    429: "rate_limited",
    502: "upstream_error",
    503: "service_unavailable",
    504: "upstream_timeout"
  };
  function explain(err, where) {
    if (!(err instanceof ApiError)) {
      const message = err && typeof err === "object" ? err.message : "";
      return message || "Ocurri\xF3 un error inesperado. Intenta de nuevo.";
    }
    if (err.kind === "timeout") {
      return where === "pay" ? "El pago tard\xF3 demasiado en responder y no sabemos si se complet\xF3. Toca \xABReintentar\xBB para consultarlo: no se te cobrar\xE1 dos veces." : "El servidor tard\xF3 demasiado en responder. Intenta de nuevo en unos momentos.";
    }
    if (err.kind === "network") {
      return where === "pay" ? "Se perdi\xF3 la conexi\xF3n con el servidor de pagos. Toca \xABReintentar\xBB: si el pago ya se hizo, no se te cobrar\xE1 dos veces." : "No hay conexi\xF3n con el servidor de pagos. Revisa que sigas conectado a la red WiFi e intenta de nuevo.";
    }
    const d = err.detail ? friendlyDetail(err.detail, err.field) : "";
    switch (err.code || CODE_BY_STATUS[err.status] || "") {
      case "bad_request":
      case "invalid_json":
        return d || "La solicitud no es v\xE1lida.";
      case "unauthorized":
        if (where === "reconnect") return "Usuario o contrase\xF1a incorrectos para este punto de acceso.";
        return "Este punto de acceso no est\xE1 bien configurado (la API Key no es v\xE1lida, venci\xF3 o fue revocada). Avisa al encargado del lugar.";
      case "payment_declined":
        return d || "El pago fue rechazado. Intenta con otra tarjeta.";
      case "forbidden":
        return d || "No tienes permiso para hacer esto.";
      case "not_found":
      case "route_not_found":
        if (where === "pay") return "El plan que elegiste ya no est\xE1 disponible. Elige otro plan.";
        if (where === "poll") return "No encontramos tu transacci\xF3n en este punto de acceso.";
        return d || "No encontrado.";
      case "conflict":
      case "router_duplicate_user":
        return d || "La operaci\xF3n sigue en curso; intenta de nuevo en unos segundos.";
      case "validation_error":
      case "idempotency_key_reused":
        return d ? "Revisa tus datos: " + d : "Algunos datos no son v\xE1lidos. Rev\xEDsalos e intenta de nuevo.";
      case "rate_limited":
        if (d && err.code) return d;
        return (d || "Demasiados intentos.") + (err.retryAfter ? " Espera " + waitText(err.retryAfter) + " e intenta de nuevo." : "");
      case "upstream_error":
      case "upstream_timeout":
      case "gateway_rejected":
      case "gateway_auth_failed":
      case "router_unreachable":
      case "router_timeout":
      case "router_auth_failed":
      case "router_rejected":
        return "El procesador de pago o el router no respondi\xF3 a tiempo. Intenta de nuevo en unos momentos.";
      case "service_unavailable":
      case "gateway_unavailable":
      case "router_unavailable":
        return "El servicio no est\xE1 disponible por el momento. Intenta de nuevo en unos minutos.";
      default:
        if (err.status >= 500) return "Ocurri\xF3 un error en el servidor (c\xF3digo " + err.status + "). Intenta de nuevo en unos minutos.";
        return d || "No se pudo completar la solicitud (c\xF3digo " + err.status + ").";
    }
  }
  function httpStatus(err) {
    return err instanceof ApiError && err.kind === "http" ? err.status : 0;
  }
  function isFinalPollError(err) {
    const status = httpStatus(err);
    return status === 404 || status === 401;
  }

  // portal/src/dom.ts
  function $(id) {
    return document.getElementById(id);
  }
  function show(node, on) {
    if (node) node.hidden = !on;
  }
  function setText(node, value) {
    if (node) node.textContent = value == null ? "" : String(value);
  }
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = String(text);
    return node;
  }
  function sentence(message) {
    const m = String(message || "").trim();
    return m && !/[.!?\u2026\u00bb:)]$/.test(m) ? m + "." : m;
  }
  function notice(node, message, kind) {
    if (!node) return;
    node.className = "notice" + (kind ? " notice--" + kind : "");
    setText(node, sentence(message));
    show(node, Boolean(message));
  }
  function statusLine(node, message, kind) {
    node.className = "status" + (kind ? " status--" + kind : "");
    setText(node, message);
    show(node, Boolean(message));
  }
  function legacyCopy(value) {
    const ta = document.createElement("textarea");
    ta.value = value;
    ta.setAttribute("readonly", "");
    ta.style.position = "fixed";
    ta.style.opacity = "0";
    document.body.appendChild(ta);
    ta.select();
    try {
      document.execCommand("copy");
    } catch (e) {
    }
    document.body.removeChild(ta);
  }
  function copyText(value, button) {
    const done = () => {
      setText(button, "Copiado");
      setTimeout(() => {
        setText(button, "Copiar");
      }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(value).then(done, () => {
        legacyCopy(value);
        done();
      });
    } else {
      legacyCopy(value);
      done();
    }
  }

  // portal/src/state.ts
  var state = {
    pub: null,
    products: [],
    product: null,
    gateways: [],
    gateway: null,
    attempt: null,
    busy: false,
    lastResult: null,
    /** The router's trial as config/public offers it. */
    prueba: null,
    cooldownTimer: void 0
  };

  // portal/src/tokenize.ts
  var scripts = {};
  var mercadoPago = null;
  function loadScript(url, what) {
    if (scripts[url]) return scripts[url];
    scripts[url] = new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = url;
      s.async = true;
      s.onload = () => {
        resolve();
      };
      s.onerror = () => {
        delete scripts[url];
        const host = url.replace(/^https?:\/\//, "").split("/")[0];
        reject({ message: "No se pudo cargar " + what + " (" + host + "). Revisa tu conexi\xF3n; si el problema sigue, el operador debe permitir ese dominio en el walled garden del hotspot." });
      };
      document.head.appendChild(s);
    });
    return scripts[url];
  }
  function loadSandbox() {
    return loadScript(URLS.sandbox, "el tokenizador sandbox").then(() => {
      if (!window.PagosSandboxTokenizer) throw { message: "El tokenizador sandbox no est\xE1 disponible." };
      return window.PagosSandboxTokenizer;
    });
  }
  function publicKey(gateway) {
    const pub = state.pub || {};
    if (gateway === "conekta") return CFG.conektaPublicKey || pub.conekta && pub.conekta.public_key || "";
    return CFG.mercadoPagoPublicKey || pub.mercado_pago && pub.mercado_pago.public_key || "";
  }
  function conektaTokenize(card) {
    const key = publicKey("conekta");
    if (!key) return Promise.reject({ message: "Conekta no est\xE1 configurado para este punto de acceso." });
    return loadScript(URLS.conekta, "Conekta").then(() => new Promise((resolve, reject) => {
      const C = window.Conekta;
      if (!C || !C.Token) {
        reject({ message: "No se pudo iniciar Conekta." });
        return;
      }
      C.setPublicKey(key);
      if (typeof C.setLanguage === "function") C.setLanguage("es");
      C.Token.create({
        card: { number: card.number, name: card.name, exp_month: ("0" + card.expMonth).slice(-2), exp_year: String(card.expYear), cvc: card.cvc }
      }, (token) => {
        resolve({ token: token.id });
      }, (e) => {
        reject({ message: e && (e.message_to_purchaser || e.message) || "Conekta no pudo validar la tarjeta. Revisa los datos." });
      });
    }));
  }
  function initMercadoPago() {
    if (mercadoPago) return Promise.resolve(mercadoPago);
    const key = publicKey("mercadopago");
    if (!key) return Promise.reject({ message: "Mercado Pago no est\xE1 configurado para este punto de acceso." });
    return loadScript(URLS.mercadopago, "Mercado Pago").then(() => {
      if (mercadoPago) return mercadoPago;
      const mp = new window.MercadoPago(key, { locale: "es-MX" });
      const holder = { mp, method: null };
      const number = mp.fields.create("cardNumber", { placeholder: "1234 5678 9012 3456" }).mount("mp-card-number");
      mp.fields.create("expirationDate", { placeholder: "MM/AA" }).mount("mp-card-exp");
      mp.fields.create("securityCode", { placeholder: "123" }).mount("mp-card-cvc");
      number.on("binChange", (data) => {
        if (!data || !data.bin) {
          holder.method = null;
          return;
        }
        mp.getPaymentMethods({ bin: data.bin }).then((r) => {
          holder.method = r && r.results && r.results[0] || null;
        }, () => {
          holder.method = null;
        });
      });
      mercadoPago = holder;
      return holder;
    });
  }
  function mercadoPagoTokenize(card) {
    return initMercadoPago().then((holder) => holder.mp.fields.createCardToken({ cardholderName: card.name }).then((t) => {
      if (!holder.method) throw { message: "No reconocimos el tipo de tarjeta. Revisa el n\xFAmero." };
      return { token: t.id, paymentMethodId: holder.method.id, issuerId: holder.method.issuer ? holder.method.issuer.id : void 0 };
    }, () => {
      throw { message: "Revisa los datos de la tarjeta (n\xFAmero, vencimiento y CVV)." };
    }));
  }
  function tokenize(gateway, card) {
    if (SANDBOX) return loadSandbox().then((t) => t.tokenize(gateway, card));
    return gateway === "conekta" ? conektaTokenize(card) : mercadoPagoTokenize(card);
  }

  // portal/src/gateways.ts
  function computeGateways() {
    const pub = state.pub;
    let list = [];
    if (pub) {
      if (pub.conekta && pub.conekta.habilitado) list.push("conekta");
      if (pub.mercado_pago && pub.mercado_pago.habilitado) list.push("mercadopago");
    } else {
      if (CFG.conektaPublicKey || SANDBOX) list.push("conekta");
      if (CFG.mercadoPagoPublicKey) list.push("mercadopago");
    }
    if (Array.isArray(CFG.gateways)) list = CFG.gateways.filter((g) => list.indexOf(g) >= 0);
    state.gateways = list;
    setText($("foot-gateways"), list.length ? list.map((g) => GATEWAY_NAMES[g]).join(" / ") : "Conekta / Mercado Pago");
    return list;
  }
  function setupGatewayChoice() {
    const gws = state.gateways;
    const box = $("gateway-choice");
    show(box, gws.length > 1);
    Array.prototype.forEach.call(box.querySelectorAll('input[name="gateway"]'), (input4) => {
      input4.parentNode.hidden = gws.indexOf(input4.value) < 0;
    });
    if (!state.gateway || gws.indexOf(state.gateway) < 0) state.gateway = gws[0] || null;
    const checked = box.querySelector('input[value="' + state.gateway + '"]');
    if (checked) checked.checked = true;
    applyGateway();
  }
  function phoneRequired(gateway, metodo) {
    const list = state.pub && Array.isArray(state.pub.metodos_pago) ? state.pub.metodos_pago : null;
    if (list) return list.some((m) => m && m.pasarela === gateway && m.metodo === metodo && m.telefono_requerido === true);
    return gateway === "conekta" && metodo !== "tarjeta";
  }
  function cashGateway() {
    return state.gateway || state.gateways[0] || null;
  }
  function updatePhoneLabel() {
    const card = phoneRequired(state.gateway, "tarjeta");
    const cash = phoneRequired(cashGateway(), "oxxo");
    setText($("telefono-label"), card ? "Tel\xE9fono" : cash ? "Tel\xE9fono (opcional con tarjeta; obligatorio para pagar en OXXO)" : "Tel\xE9fono (opcional)");
    $("telefono").required = card;
    show($("cash-phone-hint"), cash);
  }
  function applyGateway() {
    updatePhoneLabel();
    const liveMp = !SANDBOX && state.gateway === "mercadopago";
    show($("card-fields"), !liveMp);
    show($("mp-fields"), liveMp);
    show($("sandbox-mp-hint"), SANDBOX && state.gateway === "mercadopago");
    if (liveMp) initMercadoPago().catch((e) => {
      notice($("form-error"), e.message, "error");
    });
    else if (!SANDBOX && state.gateway === "conekta") loadScript(URLS.conekta, "Conekta").catch(() => {
    });
  }

  // portal/src/hotspot.ts
  function tplValue(value) {
    const v = value == null ? "" : String(value);
    return v.indexOf("$(") !== -1 ? "" : v;
  }
  function normalizeMac(value) {
    const v = String(value || "").trim();
    return /^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$/.test(v) ? v.toUpperCase().replace(/-/g, ":") : "";
  }
  function validIp(value) {
    const v = String(value || "").trim();
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(v)) return "";
    return v.split(".").every((o) => Number(o) <= 255) ? v : "";
  }
  function safeLink(value) {
    const v = String(value || "").trim();
    if (!v) return "";
    try {
      const url = new URL(v, window.location.href);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : "";
    } catch (e) {
      return "";
    }
  }
  var hsNode = $("hotspot");
  var hsData = hsNode ? hsNode.dataset : {};
  var hsForm = document.getElementById("hotspot-login");
  var chap = window.PAGOS_CHAP || {};
  function field(name) {
    return hsForm ? hsForm.elements.namedItem(name) : null;
  }
  var HS = {
    mac: normalizeMac(tplValue(hsData.mac)),
    ip: validIp(tplValue(hsData.ip)),
    error: tplValue(hsData.error).trim(),
    linkOrig: safeLink(tplValue(hsData.linkOrig)),
    username: tplValue(hsData.username).trim(),
    loggedIn: tplValue(hsData.loggedIn).trim() === "yes",
    loginAction: hsForm ? tplValue(hsForm.getAttribute("action")).trim() : "",
    // The router's own trial login (issue 24): offered by the hotspot ("yes"), taken with username T-<MAC>.
    trial: tplValue(hsData.trial).trim() === "yes",
    linkLogout: safeLink(tplValue(hsData.linkLogout)),
    macEsc: tplValue(hsData.macEsc).trim(),
    linkOrigEsc: tplValue(hsData.linkOrigEsc).trim(),
    chapId: tplValue(chap.id),
    chapChallenge: tplValue(chap.challenge)
  };
  var DEVICE_KNOWN = Boolean(HS.mac && HS.ip);
  function sanitizeLoginDestination() {
    const dst = field("dst");
    if (dst && !safeLink(tplValue(dst.value))) dst.value = "";
  }
  function alreadyConnectedText() {
    return "Este dispositivo ya est\xE1 conectado a internet" + (HS.username ? " con el usuario " + HS.username : "") + ". No necesitas comprar otro plan para seguir navegando.";
  }
  function hotspotErrorText(message) {
    const l = String(message).toLowerCase();
    if (l.indexOf("invalid username or password") >= 0 || l.indexOf("invalid password") >= 0 || l.indexOf("no such user") >= 0) return "Usuario o contrase\xF1a incorrectos.";
    if (l.indexOf("trial") >= 0) return "Ya usaste la prueba gratuita en este dispositivo (o no est\xE1 disponible). Para pagar desde tu banco usa otro dispositivo o tus datos m\xF3viles.";
    if (l.indexOf("no more sessions") >= 0) return "Este usuario ya se est\xE1 usando en otro dispositivo.";
    if (l.indexOf("already logged") >= 0) return "Este dispositivo ya tiene una sesi\xF3n activa con otro usuario. Ya puedes navegar, o cierra esa sesi\xF3n para usar otro usuario.";
    if (l.indexOf("uptime limit") >= 0) return "Se termin\xF3 el tiempo de tu plan. Compra un plan nuevo para seguir navegando.";
    if (l.indexOf("traffic limit") >= 0 || l.indexOf("bytes") >= 0) return "Alcanzaste el l\xEDmite de datos de tu plan. Compra un plan nuevo.";
    if (l.indexOf("disabled") >= 0) return "Este usuario est\xE1 deshabilitado. Si crees que es un error, avisa al encargado.";
    if (l.indexOf("mac") >= 0) return "Este usuario no puede usarse desde este dispositivo.";
    if (l.indexOf("radius") >= 0 || l.indexOf("timeout") >= 0) return "El servidor del hotspot no respondi\xF3. Intenta de nuevo en unos momentos.";
    return "El punto de acceso no pudo iniciar tu sesi\xF3n. Revisa tu usuario y contrase\xF1a e intenta de nuevo.";
  }
  function hotspotLogin(usuario, contrasena, errorNode) {
    if (!HS.loginAction || !hsForm) {
      notice(errorNode, "Para conectarte abre esta p\xE1gina desde la red WiFi del hotspot, o escribe tu usuario y contrase\xF1a en la p\xE1gina de inicio de sesi\xF3n del hotspot.", "warn");
      return false;
    }
    let password = contrasena;
    if (HS.chapId) {
      if (typeof window.hexMD5 !== "function") {
        notice(errorNode, "No se pudo preparar el inicio de sesi\xF3n (falta md5.js). Avisa al encargado.", "error");
        return false;
      }
      password = window.hexMD5(HS.chapId + contrasena + HS.chapChallenge);
    }
    field("username").value = usuario;
    field("password").value = password;
    hsForm.submit();
    return true;
  }
  function trialUrl() {
    if (!HS.loginAction || !HS.mac || !/^https?:\/\//.test(HS.loginAction)) return "";
    return HS.loginAction + "?dst=" + (HS.linkOrigEsc || "") + "&username=T-" + (HS.macEsc || encodeURIComponent(HS.mac));
  }
  function trialLogout() {
    if (!HS.linkLogout || typeof fetch !== "function") return Promise.resolve();
    return fetch(HS.linkLogout, { credentials: "include", cache: "no-store" }).then(() => {
      HS.loggedIn = false;
    }, () => {
      HS.loggedIn = false;
    });
  }

  // portal/src/storage.ts
  function uuid() {
    const c = window.crypto;
    if (c && typeof c.randomUUID === "function") {
      try {
        return c.randomUUID();
      } catch (e) {
      }
    }
    const b = new Uint8Array(16);
    if (c && c.getRandomValues) c.getRandomValues(b);
    else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
    b[6] = b[6] & 15 | 64;
    b[8] = b[8] & 63 | 128;
    let h = "";
    for (let j = 0; j < 16; j++) h += (b[j] < 16 ? "0" : "") + b[j].toString(16);
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  var storage = {
    get(key, fallback) {
      try {
        const raw = window.localStorage.getItem(key);
        const box = raw ? JSON.parse(raw) : null;
        if (!box || typeof box !== "object" || typeof box.exp !== "number") return fallback;
        if (box.exp <= Date.now()) {
          window.localStorage.removeItem(key);
          return fallback;
        }
        return box.v === void 0 ? fallback : box.v;
      } catch (e) {
        return fallback;
      }
    },
    set(key, value, ttlMs) {
      try {
        window.localStorage.setItem(key, JSON.stringify({ v: value, exp: Date.now() + ttlMs }));
        return true;
      } catch (e) {
        return false;
      }
    },
    remove(key) {
      try {
        window.localStorage.removeItem(key);
      } catch (e) {
      }
    }
  };
  function forgetLegacyData() {
    LEGACY_KEYS.forEach((key) => {
      storage.remove(key);
    });
  }
  function deviceId() {
    let id = storage.get(DEVICE_KEY, null);
    if (typeof id !== "string" || !/^[A-Za-z0-9-]{8,64}$/.test(id)) {
      id = uuid();
      storage.set(DEVICE_KEY, id, DEVICE_TTL_MS);
    }
    return id;
  }

  // portal/src/purchases.ts
  var listeners = [];
  function onSavedChange(fn) {
    listeners.push(fn);
  }
  function refreshSaved() {
    listeners.forEach((fn) => {
      fn();
    });
  }
  function savedList() {
    const list = storage.get(STORE_KEY, []);
    const now = Date.now();
    return Array.isArray(list) ? list.filter((e) => e && typeof e.transaccion_id === "string" && /^TRX_[0-9A-F]{12}$/.test(e.transaccion_id) && !(e.expira && e.expira <= now)) : [];
  }
  function saveEntry(entry) {
    const list = savedList().filter((e) => e.transaccion_id !== entry.transaccion_id);
    list.unshift(entry);
    storage.set(STORE_KEY, list.slice(0, 5), SAVED_TTL_MS);
    refreshSaved();
  }
  function forget(id) {
    storage.set(STORE_KEY, savedList().filter((e) => e.transaccion_id !== id), SAVED_TTL_MS);
    refreshSaved();
  }
  var purchaseKeys = {};
  function keyFor(id) {
    if (purchaseKeys[id]) return purchaseKeys[id];
    const saved = savedList().filter((e) => e.transaccion_id === id)[0];
    if (saved && saved.clave) return saved.clave;
    const cash = cashStored();
    return cash && cash.transaccion_id === id && cash.clave ? cash.clave : null;
  }
  function purchaseStatus(id) {
    return api("GET", "/api/v1/payments/transacciones/" + encodeURIComponent(id), void 0, { idempotencyKey: keyFor(id) });
  }
  function rememberTransaction(data) {
    if (!data || !data.transaccion_id) return;
    const creds = data.estado_pago === "paid" ? data.usuario_hotspot : null;
    const old = savedList().filter((e) => e.transaccion_id === data.transaccion_id)[0] || {};
    saveEntry({
      transaccion_id: data.transaccion_id,
      clave: purchaseKeys[data.transaccion_id] || old.clave || null,
      usuario: creds ? creds.usuario : old.usuario || null,
      plan: data.producto && data.producto.nombre || old.plan || "",
      estado_pago: data.estado_pago,
      estado_hotspot: data.estado_hotspot,
      guardado_en: old.guardado_en || (/* @__PURE__ */ new Date()).toISOString(),
      expira: old.expira || Date.now() + SAVED_TTL_MS
    });
  }
  function cashStored() {
    const d = storage.get(CASH_KEY, null);
    return d && typeof d === "object" && typeof d.transaccion_id === "string" ? d : null;
  }
  function cashForget() {
    storage.remove(CASH_KEY);
  }
  function cashKeep(d) {
    const until = Date.parse(d.expira_en || "");
    const ttl = isFinite(until) ? Math.min(until - Date.now() + DAY_MS, 31 * DAY_MS) : 3 * DAY_MS;
    const kept = {
      transaccion_id: d.transaccion_id,
      clave: purchaseKeys[d.transaccion_id] || null,
      referencia: d.referencia || null,
      monto: d.monto,
      moneda: d.moneda,
      expira_en: d.expira_en || null,
      clabe: d.clabe || null,
      banco: d.banco || null,
      metodo_pago: d.metodo_pago,
      url_ficha_pago: d.url_ficha_pago || null,
      instrucciones: d.instrucciones || [],
      producto: d.producto ? { nombre: d.producto.nombre, precio: d.producto.precio } : null
    };
    storage.set(CASH_KEY, kept, Math.max(ttl, 60 * 1e3));
  }

  // portal/src/trial.ts
  function trialAvailable() {
    const usedUp = /trial/i.test(HS.error || "");
    return Boolean(state.prueba && state.prueba.minutos > 0 && HS.trial && !HS.loggedIn && !usedUp && trialUrl());
  }
  function renderTrial() {
    const box = $("trial-box");
    const on = trialAvailable() && !cashStored();
    show(box, on);
    if (on) {
      setText($("trial-button"), "Probar gratis " + plural(state.prueba.minutos, "minuto", "minutos"));
      $("trial-button").href = trialUrl();
    }
    const pending = cashStored();
    if (pending && pending.metodo_pago === "spei" && !$("cash-result").hidden) renderSpeiTrial(true);
  }
  function renderSpeiTrial(spei) {
    const box = $("spei-trial");
    const none = $("spei-sin-prueba");
    show(box, false);
    show(none, false);
    if (!spei) return;
    if (HS.loggedIn) {
      notice(none, "Ya tienes internet en este dispositivo: abre la app de tu banco, transfiere y vuelve a esta p\xE1gina.", "ok");
      return;
    }
    if (trialAvailable()) {
      setText($("spei-trial-button"), "Conectarme " + plural(state.prueba.minutos, "minuto", "minutos") + " para pagar desde mi banco");
      $("spei-trial-button").href = trialUrl();
      const back = HS.loginAction ? HS.loginAction.replace(/\/login$/, "") : "";
      setText($("spei-volver"), "Copia la CLABE, con\xE9ctate, transfiere desde tu banco y vuelve a " + (back || "esta p\xE1gina") + " (o abre cualquier p\xE1gina): aqu\xED ver\xE1s el estado de tu pago y, al confirmarse, tu usuario y contrase\xF1a.");
      show(box, true);
      return;
    }
    if (state.pub) {
      notice(none, "Este punto de acceso no te da internet para pagar" + (/trial/i.test(HS.error || "") ? " (ya usaste la prueba gratuita en este dispositivo)" : "") + ": transfiere desde otro dispositivo o con tus datos m\xF3viles, y vuelve a esta p\xE1gina.", "warn");
    }
  }

  // portal/src/plans.ts
  function planMeta(p) {
    const out = [];
    const uptime = durationText(p.limit_uptime);
    if (uptime) out.push(uptime + " de navegaci\xF3n");
    if (p.vigencia_minutos) out.push("V\xE1lido por " + secondsText(Number(p.vigencia_minutos) * 60));
    const bytes = bytesText(p.limit_bytes_total);
    if (bytes) out.push(bytes + " de datos");
    const det = p.detalles;
    if (det && typeof det === "object" && !Array.isArray(det)) {
      const fields = det;
      Object.keys(fields).slice(0, 3).forEach((k) => {
        const v = fields[k];
        if (v == null || typeof v === "object") return;
        out.push(k.charAt(0).toUpperCase() + k.slice(1).replace(/_/g, " ") + ": " + v);
      });
    } else if (Array.isArray(det)) {
      det.slice(0, 3).forEach((v) => {
        if (typeof v === "string") out.push(v);
      });
    }
    return out;
  }
  function renderPlans() {
    const list = $("plan-list");
    list.textContent = "";
    state.products.forEach((p) => {
      const b = el("button", "plan");
      b.type = "button";
      b.setAttribute("role", "radio");
      b.setAttribute("aria-checked", state.product && state.product.id === p.id ? "true" : "false");
      b.dataset.productoId = String(p.id);
      if (p.destacado) b.appendChild(el("span", "badge", "Recomendado"));
      b.appendChild(el("span", "plan__name", p.nombre_venta));
      b.appendChild(el("span", "plan__price", formatMoney(p.precio, p.moneda)));
      if (p.descripcion) b.appendChild(el("span", "plan__desc", p.descripcion));
      const meta = planMeta(p);
      if (meta.length) {
        const m = el("span", "plan__meta");
        meta.forEach((t) => {
          m.appendChild(el("span", "chip", t));
        });
        b.appendChild(m);
      }
      if (p.imagen_url && !SANDBOX && /^https:\/\//.test(p.imagen_url)) {
        const img = el("img", "plan__img");
        img.alt = "";
        img.loading = "lazy";
        img.src = p.imagen_url;
        img.onerror = () => {
          img.remove();
        };
        b.insertBefore(img, b.firstChild);
      }
      b.addEventListener("click", () => {
        selectPlan(p);
      });
      list.appendChild(b);
    });
  }
  function selectPlan(p) {
    if (state.busy) return;
    state.product = p;
    state.attempt = null;
    renderPlans();
    setText($("plan-summary"), "");
    const summary = $("plan-summary");
    summary.appendChild(el("span", "summary__name", p.nombre_venta));
    summary.appendChild(el("span", "summary__price", formatMoney(p.precio, p.moneda)));
    setText($("pay-button"), "Pagar " + formatMoney(p.precio, p.moneda));
    notice($("form-error"), HS.loggedIn ? alreadyConnectedText() : "", HS.loggedIn ? "warn" : "");
    show($("retry-button"), false);
    show($("pay-button"), true);
    show($("result"), false);
    show($("checkout"), true);
    setupGatewayChoice();
    $("checkout").scrollIntoView({ behavior: "smooth", block: "start" });
  }
  function applyPublicConfig(pub) {
    state.pub = pub;
    if (pub && pub.empresa && pub.empresa.nombre) {
      setText($("empresa-nombre"), pub.empresa.nombre);
      document.title = pub.empresa.nombre + " \xB7 Internet WiFi";
    }
    if (pub && pub.router) setText($("router-ubicacion"), pub.router.ubicacion || pub.router.nombre || "");
    const empresa = pub && pub.empresa || {};
    const logo = $("empresa-logo");
    if (logo && empresa.logo_url) {
      logo.onerror = () => {
        show(logo, false);
        show($("brand-icon"), true);
      };
      logo.src = /^https?:/.test(empresa.logo_url) ? empresa.logo_url : API_BASE + empresa.logo_url;
      logo.alt = "Logo de " + (empresa.nombre || "la empresa");
      show(logo, true);
      show($("brand-icon"), false);
    }
    const contacto = empresa.contacto || {};
    const partes = [contacto.texto, contacto.telefono, contacto.email].filter((v) => v);
    setText($("empresa-contacto"), partes.length ? sentence("\xBFDudas con tu pago? Contacto: " + partes.join(" \xB7 ")) : "");
    show($("empresa-contacto"), partes.length > 0);
    setText($("aviso-texto"), empresa.aviso_privacidad || "");
    show($("aviso-privacidad"), Boolean(empresa.aviso_privacidad));
    state.prueba = pub && pub.prueba && pub.prueba.activa ? { minutos: Number(pub.prueba.minutos) || 0 } : null;
    renderTrial();
  }
  function loadPortal() {
    const status = $("plans-status");
    status.className = "loading";
    setText(status, "Cargando planes\u2026");
    show(status, true);
    show($("plans-retry"), false);
    const pubReq = api("GET", "/api/v1/config/public").then((r) => r.data, (err) => {
      if (httpStatus(err) === 401) throw err;
      return null;
    });
    const catReq = api("GET", "/api/v1/catalogo_perfiles_venta").then((r) => r.data);
    return Promise.all([pubReq, catReq]).then(([pub, catalog]) => {
      applyPublicConfig(pub);
      computeGateways();
      updatePhoneLabel();
      const items = Array.isArray(catalog) ? catalog : catalog && (catalog.productos || catalog.items) || [];
      state.products = items.filter((p) => p && p.id != null);
      if (state.product) {
        const chosen = state.product;
        state.product = state.products.filter((p) => p.id === chosen.id)[0] || null;
        if (!state.product) show($("checkout"), false);
      }
      renderPlans();
      if (!state.products.length) {
        status.className = "notice notice--warn";
        setText(status, "Por ahora no hay planes a la venta en este punto de acceso. Pregunta al encargado del lugar.");
      } else if (!state.gateways.length) {
        status.className = "notice notice--warn";
        setText(status, "Los pagos con tarjeta no est\xE1n disponibles en este momento. Pregunta al encargado del lugar.");
      } else {
        show(status, false);
      }
    }, (err) => {
      status.className = "notice notice--error";
      setText(status, "No pudimos cargar los planes. " + explain(err, "catalog"));
      show($("plans-retry"), !(httpStatus(err) === 401));
    });
  }

  // portal/src/poll.ts
  var BACKOFF_FACTOR = 1.5;
  function nextDelay(policy, lastMs, failure) {
    const grown = lastMs > 0 ? lastMs * BACKOFF_FACTOR : policy.startMs;
    if (!failure) return Math.min(grown, policy.maxMs);
    return Math.min(Math.max(grown, failure.retryAfterMs), policy.maxMs * 2);
  }
  function retryAfterMs(err) {
    const seconds = err && typeof err.retryAfter === "number" ? err.retryAfter : 0;
    return seconds > 0 ? seconds * 1e3 : 0;
  }
  var Poller = class {
    constructor(policy) {
      this.policy = policy;
      this.generation = 0;
    }
    start(task, opts) {
      this.stop();
      const generation = this.generation;
      const live = () => generation === this.generation;
      const policy = this.policy;
      const started = Date.now();
      let delay = opts && opts.immediate ? 0 : policy.startMs;
      const schedule = (ms) => {
        if (policy.limitMs != null && Date.now() - started > policy.limitMs) {
          if (task.onGiveUp) task.onGiveUp();
          return;
        }
        this.timer = setTimeout(tick, ms);
      };
      const then = (next, failure) => {
        if (next === "stop" || !live()) return;
        delay = next === "restart" ? policy.startMs : nextDelay(policy, delay, failure);
        schedule(delay);
      };
      const tick = () => {
        if (!live()) return;
        task.check().then((value) => {
          if (live()) then(task.onAnswer(value));
        }, (err) => {
          if (live()) then(task.onFailure(err), { retryAfterMs: retryAfterMs(err) });
        });
      };
      schedule(delay);
    }
    stop() {
      this.generation += 1;
      clearTimeout(this.timer);
      this.timer = void 0;
    }
  };

  // portal/src/result.ts
  function needsPolling(d) {
    if (!d) return false;
    if (d.estado_pago === "pending" || d.estado_pago === "unknown") return true;
    if (d.estado_pago !== "paid") return false;
    if (d.estado_hotspot === "pending" || d.estado_hotspot === "provisioning") return true;
    return Boolean(d.estado_hotspot === "active" && d.auto_conexion && d.auto_conexion.solicitada && (d.auto_conexion.fase || d.auto_conexion.estado) === "pendiente");
  }
  function onPurchase(data) {
    rememberTransaction(data);
    showResult(data);
    if (needsPolling(data)) startPolling(data.transaccion_id);
  }
  function accessText(acceso) {
    const a = acceso || {};
    const uptime = durationText(a.limit_uptime);
    if (a.expira_en) return "Hasta el " + dateText(a.expira_en) + (uptime ? " (" + uptime + " de navegaci\xF3n)" : "");
    if (a.vigencia_minutos) return "V\xE1lido por " + secondsText(Number(a.vigencia_minutos) * 60) + " desde que se activa";
    if (uptime) return uptime + " de navegaci\xF3n";
    return "Sin l\xEDmite de tiempo";
  }
  function showResult(d) {
    const first = !state.lastResult || state.lastResult.transaccion_id !== d.transaccion_id || $("result").hidden;
    state.lastResult = d;
    show($("checkout"), false);
    show($("plans"), false);
    show($("saved"), false);
    show($("manual-login"), false);
    show($("result"), true);
    if (first) window.scrollTo(0, 0);
    notice($("result-error"), "");
    const paid = d.estado_pago === "paid";
    const pending = d.estado_pago === "pending" || d.estado_pago === "unknown";
    const title = paid ? "\xA1Pago aprobado!" : pending ? "Pago en verificaci\xF3n" : d.estado_pago === "refunded" ? "Pago reembolsado" : "Pago no aprobado";
    setText($("result-title"), title);
    let message = d.mensaje || (pending ? "Estamos confirmando tu pago con el banco. No cierres esta p\xE1gina." : "");
    if (paid) message = message.replace(/^Pago aprobado\.\s*/, "");
    setText($("result-message"), message);
    const creds = d.usuario_hotspot;
    show($("credentials"), Boolean(paid && creds));
    if (paid && creds) {
      setText($("cred-usuario"), creds.usuario);
      setText($("cred-contrasena"), creds.contrasena);
    }
    const prod = d.producto || {};
    const receipt = $("receipt");
    if (paid && prod.nombre) {
      setText($("receipt-plan"), prod.nombre);
      setText($("receipt-monto"), formatMoney(prod.precio_decimal || prod.precio, prod.moneda));
      setText($("receipt-acceso"), accessText(d.acceso));
      show(receipt, true);
    } else {
      show(receipt, false);
    }
    const hs = $("result-status");
    if (pending) statusLine(hs, "Confirmando tu pago\u2026", "wait");
    else if (!paid) statusLine(hs, "", "");
    else if (d.estado_hotspot === "active") statusLine(hs, "Tu acceso est\xE1 activo.", "ok");
    else if (d.estado_hotspot === "pending" || d.estado_hotspot === "provisioning") statusLine(hs, "Activando tu acceso en el router\u2026", "wait");
    else if (d.estado_hotspot === "failed") statusLine(hs, "El router no pudo activar tu acceso todav\xEDa. Lo seguiremos intentando; si en unos minutos no puedes conectarte, muestra tu n\xFAmero de transacci\xF3n al encargado.", "err");
    else if (d.estado_hotspot === "expired") statusLine(hs, "Este acceso ya expir\xF3.", "err");
    else if (d.estado_hotspot === "disabled") statusLine(hs, "Este acceso fue deshabilitado.", "err");
    else statusLine(hs, "", "");
    const auto = d.auto_conexion;
    const autoNode = $("auto-status");
    let connected = false;
    if (paid && auto && auto.solicitada) {
      if (auto.estado === "conectado") {
        connected = true;
        statusLine(autoNode, "Conexi\xF3n autom\xE1tica: este dispositivo ya est\xE1 conectado. \xA1Listo para navegar!", "ok");
      } else if ((auto.fase || auto.estado) === "pendiente") {
        statusLine(autoNode, "Conexi\xF3n autom\xE1tica: " + (auto.mensaje || "te conectaremos en cuanto se active tu acceso."), "wait");
      } else {
        statusLine(autoNode, "Conexi\xF3n autom\xE1tica: " + (auto.mensaje || "no se pudo.") + " Toca \xABConectarme ahora\xBB.", "err");
      }
    } else {
      statusLine(autoNode, "", "");
    }
    show($("connect-button"), Boolean(paid && creds && d.estado_hotspot === "active" && !connected));
    const cont = $("continue-link");
    show(cont, Boolean(connected && HS.linkOrig));
    if (HS.linkOrig) cont.href = HS.linkOrig;
    show($("check-button"), false);
    setText($("result-trx"), d.transaccion_id ? "N\xFAmero de transacci\xF3n: " + d.transaccion_id : "");
  }
  function showDeclined(message) {
    show($("result"), false);
    show($("plans"), true);
    show($("manual-login"), true);
    refreshSaved();
    show($("checkout"), Boolean(state.product));
    show($("pay-button"), true);
    show($("retry-button"), false);
    notice($("form-error"), message, "error");
    if (state.product) $("checkout").scrollIntoView({ block: "start" });
  }
  var resultPoll = new Poller({ startMs: 1e3, maxMs: 5e3, limitMs: POLL_LIMIT_MS });
  function stopPolling() {
    resultPoll.stop();
  }
  function startPolling(id) {
    resultPoll.start({
      check: () => purchaseStatus(id),
      onAnswer: (res) => {
        const d = res.data;
        if (d.estado_pago === "declined" || d.estado_pago === "expired") {
          rememberTransaction(d);
          forget(d.transaccion_id);
          showDeclined(d.mensaje || "El pago no fue aprobado.");
          return "stop";
        }
        rememberTransaction(d);
        showResult(d);
        return needsPolling(d) ? "again" : "stop";
      },
      onFailure: (err) => {
        if (isFinalPollError(err)) {
          notice($("result-error"), explain(err, "poll"), "error");
          return "stop";
        }
        notice($("result-error"), explain(err, "poll") + " Seguimos consultando\u2026", "warn");
        return "again";
      },
      onGiveUp: () => {
        const d = state.lastResult || {};
        const pendingPay = d.estado_pago !== "paid";
        notice($("result-error"), pendingPay ? "Tu pago sigue en verificaci\xF3n. Guarda tu n\xFAmero de transacci\xF3n y toca \xABConsultar de nuevo\xBB en unos minutos; no vuelvas a pagar." : "Tu acceso sigue activ\xE1ndose. Toca \xABConsultar de nuevo\xBB en unos momentos.", "warn");
        show($("check-button"), true);
      }
    });
  }
  function copyCredentials() {
    const d = state.lastResult;
    if (!d || !d.usuario_hotspot) return;
    copyText("Usuario: " + d.usuario_hotspot.usuario + "\nContrase\xF1a: " + d.usuario_hotspot.contrasena, $("copy-button"));
  }

  // portal/src/card.ts
  var input = (id) => $(id);
  function parseExpiry(value) {
    const m = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(value || "");
    if (!m) return null;
    const month = Number(m[1]);
    let year = Number(m[2]);
    if (year < 100) year += 2e3;
    if (month < 1 || month > 12) return null;
    return { month, year };
  }
  function fieldError(node, message, errors) {
    node.setAttribute("aria-invalid", message ? "true" : "false");
    if (message) errors.push({ input: node, message });
  }
  function readForm() {
    const errors = [];
    const nombre = input("nombre").value.trim().replace(/\s+/g, " ");
    const email = input("email").value.trim();
    const telefono = input("telefono").value.trim();
    fieldError(input("nombre"), nombre.length < 2 ? "Escribe tu nombre como aparece en la tarjeta." : "", errors);
    fieldError(input("email"), /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(email) ? "" : "Escribe un correo electr\xF3nico v\xE1lido.", errors);
    const phoneNeeded = phoneRequired(state.gateway, "tarjeta");
    const phoneOk = /^\+?[0-9 ()-]{7,20}$/.test(telefono) && telefono.replace(/\D/g, "").length >= 7;
    fieldError(input("telefono"), phoneOk || !telefono && !phoneNeeded ? "" : phoneNeeded ? "Escribe tu tel\xE9fono (al menos 7 d\xEDgitos)." : "Escribe un tel\xE9fono v\xE1lido (al menos 7 d\xEDgitos) o d\xE9jalo vac\xEDo.", errors);
    const card = { name: nombre };
    if (SANDBOX || state.gateway !== "mercadopago") {
      const number = input("card-number").value.replace(/\D/g, "");
      const exp = parseExpiry(input("card-exp").value);
      const cvc = input("card-cvc").value.trim();
      fieldError(input("card-number"), number.length >= 13 && number.length <= 19 ? "" : "Revisa el n\xFAmero de la tarjeta.", errors);
      fieldError(input("card-exp"), exp ? "" : "Escribe el vencimiento como MM/AA.", errors);
      fieldError(input("card-cvc"), /^\d{3,4}$/.test(cvc) ? "" : "Escribe el CVV (3 o 4 d\xEDgitos).", errors);
      card.number = number;
      card.expMonth = exp ? exp.month : 0;
      card.expYear = exp ? exp.year : 0;
      card.cvc = cvc;
    }
    if (errors.length) {
      notice($("form-error"), errors[0].message, "error");
      errors[0].input.focus();
      return null;
    }
    storage.set(CUSTOMER_KEY, { nombre, email, telefono }, CUSTOMER_TTL_MS);
    return { nombre, email, telefono, card };
  }
  function setBusy(on, label) {
    state.busy = on;
    const pay = $("pay-button");
    const retry = $("retry-button");
    [pay, retry].forEach((b) => {
      b.disabled = on;
      b.classList.toggle("is-busy", on);
    });
    if (on) {
      setText(pay, label);
      setText(retry, label);
    } else {
      if (state.product) setText(pay, "Pagar " + formatMoney(state.product.precio, state.product.moneda));
      setText(retry, "Reintentar");
    }
    $("back-button").disabled = on;
  }
  function cooldown(seconds) {
    const retry = $("retry-button");
    let left = seconds;
    clearInterval(state.cooldownTimer);
    retry.disabled = true;
    setText(retry, "Reintentar (" + left + " s)");
    state.cooldownTimer = setInterval(() => {
      left -= 1;
      if (left <= 0) {
        clearInterval(state.cooldownTimer);
        retry.disabled = false;
        setText(retry, "Reintentar");
      } else {
        setText(retry, "Reintentar (" + left + " s)");
      }
    }, 1e3);
  }
  function onPay(ev) {
    ev.preventDefault();
    if (state.busy || !state.product) return;
    notice($("form-error"), "");
    if (!state.gateway) {
      notice($("form-error"), "Los pagos con tarjeta no est\xE1n disponibles en este punto de acceso.", "error");
      return;
    }
    const form = readForm();
    if (!form) return;
    const product = state.product;
    const gateway = state.gateway;
    setBusy(true, "Validando tarjeta\u2026");
    tokenize(gateway, form.card).then((tok) => {
      const body = {
        producto_id: product.id,
        nombre_cliente: form.nombre,
        email_cliente: form.email,
        telefono_cliente: form.telefono || null,
        tipo_usuario: "usuario_contrasena",
        conexion_automatica: DEVICE_KNOWN && input("auto-connect").checked,
        device_id: deviceId()
      };
      if (HS.mac) body.mac_cliente = HS.mac;
      if (HS.ip) body.ip_cliente = HS.ip;
      let path;
      if (gateway === "conekta") {
        path = "/api/v1/payments/pagar-conekta";
        body.token_tarjeta = tok.token;
      } else {
        path = "/api/v1/payments/pagar-mercado-pago";
        body.token = tok.token;
        body.payment_method_id = tok.paymentMethodId;
        if (tok.issuerId != null) body.issuer_id = String(tok.issuerId);
        body.cuotas = 1;
        body.monto = product.precio_decimal || String(product.precio);
      }
      state.attempt = { key: uuid(), path, body };
      input("card-cvc").value = "";
      return sendAttempt();
    }, (e) => {
      setBusy(false);
      notice($("form-error"), e && e.message || "No se pudo validar la tarjeta. Revisa los datos.", "error");
    });
  }
  function payRetryable(err) {
    return err instanceof ApiError && (err.kind === "network" || err.kind === "timeout" || err.status === 503);
  }
  function payWithRetries(attempt, onRetry) {
    const started = Date.now();
    let tries = 0;
    const once = () => api("POST", attempt.path, attempt.body, { idempotencyKey: attempt.key, timeoutMs: PAY_TIMEOUT_MS }).catch((err) => {
      if (!payRetryable(err)) throw err;
      const backoff = PAY_RETRY_DELAYS_MS[Math.min(tries, PAY_RETRY_DELAYS_MS.length - 1)];
      const wait = Math.max(backoff, Math.min(err.retryAfter || 0, 30) * 1e3);
      if (Date.now() - started + wait > PAY_RETRY_LIMIT_MS) throw err;
      tries += 1;
      onRetry(tries, wait);
      return new Promise((resolve) => {
        setTimeout(resolve, wait);
      }).then(once);
    });
    return once();
  }
  function sendAttempt() {
    const attempt = state.attempt;
    if (!attempt) return Promise.resolve();
    setBusy(true, "Procesando pago\u2026");
    notice($("form-error"), "");
    return payWithRetries(attempt, (tries, wait) => {
      setBusy(true, "Reintentando\u2026");
      notice($("form-error"), "El servicio de pagos no respondi\xF3. Reintentando\u2026 (intento " + (tries + 1) + ", en " + plural(Math.ceil(wait / 1e3), "segundo", "segundos") + "). Es el mismo pago: no se te cobrar\xE1 dos veces.", "warn");
    }).then((res) => {
      setBusy(false);
      notice($("form-error"), "");
      state.attempt = null;
      show($("retry-button"), false);
      show($("pay-button"), true);
      if (res.data && res.data.transaccion_id) purchaseKeys[res.data.transaccion_id] = attempt.key;
      onPurchase(res.data);
    }, (err) => {
      setBusy(false);
      const retryable = err.kind !== "http" || err.status >= 500 || err.status === 429 || err.status === 409;
      if (!retryable) state.attempt = null;
      notice($("form-error"), explain(err, "pay"), "error");
      show($("retry-button"), retryable);
      show($("pay-button"), !retryable);
      if (retryable && err.status === 429 && err.retryAfter) cooldown(err.retryAfter);
      if (err.status === 404) loadPortal();
    });
  }

  // portal/src/saved.ts
  function fetchCredentials(entry, statusNode) {
    notice(statusNode, "Consultando tu acceso\u2026", "");
    return purchaseStatus(entry.transaccion_id).then((res) => {
      const creds = res.data && res.data.estado_pago === "paid" && res.data.usuario_hotspot;
      if (!creds || !creds.usuario || !creds.contrasena) {
        notice(statusNode, res.data && res.data.mensaje || "Este pago ya no tiene un acceso disponible.", "warn");
        return null;
      }
      notice(statusNode, "", "");
      return { usuario: creds.usuario, contrasena: creds.contrasena };
    }, (err) => {
      notice(statusNode, explain(err, "poll"), "error");
      return null;
    });
  }
  function reconnect(entry, statusNode, button) {
    button.disabled = true;
    fetchCredentials(entry, statusNode).then((creds) => {
      if (!creds) {
        button.disabled = false;
        return;
      }
      if (!DEVICE_KNOWN) {
        button.disabled = false;
        hotspotLogin(creds.usuario, creds.contrasena, statusNode);
        return;
      }
      reconnectWith(creds, statusNode, button);
    });
  }
  function reconnectWith(creds, statusNode, button) {
    notice(statusNode, "Conectando\u2026", "");
    api("POST", "/api/v1/hotspot/auto-reconnect", { usuario: creds.usuario, contrasena: creds.contrasena, mac_cliente: HS.mac, ip_cliente: HS.ip }).then((res) => {
      button.disabled = false;
      if (res.data && res.data.success) {
        notice(statusNode, "Listo: este dispositivo est\xE1 conectado. Ya puedes navegar.", "ok");
        if (HS.linkOrig) window.setTimeout(() => {
          window.location.href = HS.linkOrig;
        }, 1500);
      } else if (res.data && res.data.resultado === "sin_ip") {
        hotspotLogin(creds.usuario, creds.contrasena, statusNode);
      } else {
        notice(statusNode, res.data && res.data.mensaje || "El punto de acceso no acept\xF3 la conexi\xF3n.", "warn");
      }
    }, (err) => {
      button.disabled = false;
      if (err.kind !== "http" || err.status === 409 || err.status >= 500) hotspotLogin(creds.usuario, creds.contrasena, statusNode);
      else notice(statusNode, explain(err, "reconnect"), "error");
    });
  }
  function showTimeLeft(entry, node) {
    if (!API_BASE || !API_KEY) return;
    purchaseStatus(entry.transaccion_id).then((res) => {
      const creds = res.data && res.data.estado_pago === "paid" && res.data.usuario_hotspot;
      if (!creds || !creds.contrasena) return null;
      return api("POST", "/api/v1/hotspot/user/profile-info", { username: creds.usuario, password: creds.contrasena });
    }).then((res) => {
      if (!res) {
        show(node, false);
        return;
      }
      const d = res.data || {};
      let text = "";
      if (d.estado === "ok") {
        if (d.tiempo_restante_segundos === 0) text = "Ya usaste todo el tiempo de este plan.";
        else if (d.tiempo_restante_segundos != null) text = "Te quedan " + secondsText(d.tiempo_restante_segundos) + " de navegaci\xF3n.";
        if (d.expira_en) text += (text ? " " : "") + "V\xE1lido hasta el " + dateText(d.expira_en) + ".";
        if (!text) text = "Tu plan est\xE1 activo.";
      } else if (d.estado === "expirado" || d.estado === "inactivo") {
        text = sentence(d.mensaje || "Este acceso ya no est\xE1 vigente.");
      }
      setText(node, text);
      show(node, Boolean(text));
    }, () => {
      show(node, false);
    });
  }
  function renderSaved() {
    const list = savedList();
    const ul = $("saved-list");
    ul.textContent = "";
    show($("saved"), list.length > 0 && $("result").hidden);
    list.forEach((entry) => {
      const li = el("li");
      const head = el("div", "saved__head");
      head.appendChild(el("span", "", entry.plan || "Plan"));
      const when = entry.guardado_en ? new Date(entry.guardado_en) : null;
      head.appendChild(el("span", "fineprint", when && !isNaN(when.getTime()) ? when.toLocaleDateString("es-MX", { day: "numeric", month: "short" }) : ""));
      li.appendChild(head);
      const actions = el("div", "saved__actions");
      const status = $("saved-status");
      if (entry.usuario) {
        li.appendChild(el("div", "saved__user", "Usuario: " + entry.usuario));
        const time = el("p", "saved__time fineprint", "");
        time.hidden = true;
        li.appendChild(time);
        showTimeLeft(entry, time);
        const login = el("button", "btn btn--primary", "Conectarme");
        login.type = "button";
        login.addEventListener("click", () => {
          reconnect(entry, status, login);
        });
        actions.appendChild(login);
      } else {
        li.appendChild(el("div", "fineprint", "Pago en verificaci\xF3n (" + entry.transaccion_id + ")"));
        const check = el("button", "btn btn--primary", "Consultar pago");
        check.type = "button";
        check.addEventListener("click", () => {
          showResult({ transaccion_id: entry.transaccion_id, estado_pago: entry.estado_pago || "unknown", estado_hotspot: "pending" });
          startPolling(entry.transaccion_id);
        });
        actions.appendChild(check);
      }
      const drop = el("button", "btn btn--ghost btn--forget", "Olvidar");
      drop.type = "button";
      drop.addEventListener("click", () => {
        forget(entry.transaccion_id);
      });
      actions.appendChild(drop);
      li.appendChild(actions);
      ul.appendChild(li);
    });
  }

  // portal/src/cash.ts
  var input2 = (id) => $(id);
  var cashPoller = new Poller({ startMs: 1500, maxMs: CASH_POLL_MS });
  var cashState = { attempt: null, connectTried: false };
  function cashExpiryText(iso) {
    const d = new Date(iso || "");
    if (!iso || isNaN(d.getTime())) return "";
    try {
      return d.toLocaleString("es-MX", { weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" });
    } catch (e) {
      return d.toISOString();
    }
  }
  function showCash(d) {
    stopPolling();
    show($("checkout"), false);
    show($("plans"), false);
    show($("saved"), false);
    show($("manual-login"), false);
    show($("ficha-login"), false);
    show($("result"), false);
    show($("cash-result"), true);
    const spei = d.metodo_pago === "spei";
    setText($("cash-title"), spei ? "Paga por transferencia SPEI" : d.metodo_pago === "paycash" ? "Paga en efectivo (Paycash)" : "Paga en efectivo en OXXO");
    setText($("cash-lead"), spei ? "Transfiere desde la app de tu banco a esta CLABE:" : "Muestra o dicta esta referencia en la caja:");
    if (spei) setText($("cash-referencia"), d.clabe ? d.clabe.replace(/^(\d{3})(\d{3})(\d{11})(\d)$/, "$1 $2 $3 $4") : d.url_ficha_pago ? "Consulta la CLABE en las instrucciones de pago" : "Generando tu CLABE\u2026");
    else setText($("cash-referencia"), d.referencia || "Generando tu referencia\u2026");
    $("cash-referencia").className = "cash-ref__value" + (spei && d.clabe ? " cash-ref__value--clabe" : "");
    show($("trial-box"), false);
    show($("cash-copy"), !spei || Boolean(d.clabe));
    show($("spei-banco"), spei && Boolean(d.banco || d.referencia));
    setText($("spei-banco"), spei ? [d.banco ? "Banco: " + d.banco : "", d.referencia && d.referencia !== d.clabe ? "Referencia: " + d.referencia : ""].filter(Boolean).join(" \xB7 ") : "");
    setText($("cash-ticket"), spei ? "Ver CLABE e instrucciones de pago" : "Ver ficha de pago");
    renderSpeiTrial(spei);
    setText($("cash-monto"), formatMoney(d.monto || d.producto && d.producto.precio, d.moneda || "MXN"));
    setText($("cash-expira"), cashExpiryText(d.expira_en));
    const ol = $("cash-instrucciones");
    ol.textContent = "";
    (Array.isArray(d.instrucciones) ? d.instrucciones : []).forEach((step) => {
      ol.appendChild(el("li", "", step));
    });
    const ticket = $("cash-ticket");
    show(ticket, Boolean(d.url_ficha_pago));
    if (d.url_ficha_pago) ticket.href = d.url_ficha_pago;
    statusLine($("cash-status"), spei ? "Esperando tu transferencia\u2026 Cuando la hagas, vuelve a esta p\xE1gina: aqu\xED aparecer\xE1n tu usuario y contrase\xF1a." : "Esperando tu pago\u2026 Cuando pagues, vuelve a esta p\xE1gina: aqu\xED aparecer\xE1n tu usuario y contrase\xF1a.", "wait");
    setText($("cash-trx"), "N\xFAmero de transacci\xF3n: " + d.transaccion_id);
    window.scrollTo(0, 0);
  }
  function cashPaid(d) {
    const key = keyFor(d.transaccion_id);
    if (key) purchaseKeys[d.transaccion_id] = key;
    cashForget();
    show($("cash-result"), false);
    show($("ficha-login"), false);
    rememberTransaction(d);
    showResult(d);
    const creds = d.usuario_hotspot;
    const auto = d.auto_conexion;
    const needsLogin = !auto || !auto.solicitada;
    const onTrial = HS.loggedIn && HS.linkLogout && !(auto && auto.estado === "conectado");
    if (d.estado_hotspot === "active" && creds && (needsLogin || onTrial) && !cashState.connectTried) {
      cashState.connectTried = true;
      if (onTrial) {
        statusLine($("result-status"), "Cerrando tu prueba gratuita y conect\xE1ndote con tu plan\u2026", "wait");
        trialLogout().then(() => {
          hotspotLogin(creds.usuario, creds.contrasena, $("result-error"));
        });
      } else {
        hotspotLogin(creds.usuario, creds.contrasena, $("result-error"));
      }
    }
  }
  function cashPoll(id, immediate) {
    let paidSeen = false;
    cashPoller.start({
      check: () => purchaseStatus(id),
      onAnswer: (res) => {
        const d = res.data || {};
        if (d.estado_pago === "paid") {
          cashPaid(d);
          if (d.estado_hotspot === "active" && !(d.auto_conexion && d.auto_conexion.estado === "pendiente")) return "stop";
          if (paidSeen) return "again";
          paidSeen = true;
          return "restart";
        }
        if (d.estado_pago === "expired" || d.estado_pago === "declined") {
          cashForget();
          forget(id);
          show($("cash-result"), false);
          show($("plans"), true);
          show($("ficha-login"), true);
          show($("manual-login"), true);
          notice($("page-notice"), d.mensaje || "Tu referencia de pago venci\xF3 sin pagarse. Genera una nueva para comprar.", "warn");
          return "stop";
        }
        const stored = cashStored();
        if (stored && d.referencia && !stored.referencia) cashKeep(d);
        return "again";
      },
      onFailure: (err) => {
        if (isFinalPollError(err)) {
          statusLine($("cash-status"), explain(err, "poll"), "err");
          return "stop";
        }
        return "again";
      }
    }, { immediate });
  }
  function payCash(method) {
    const spei = method === "spei";
    const errorNode = $("cash-error");
    notice(errorNode, "");
    if (!state.product) {
      notice(errorNode, "Elige un plan primero.", "error");
      return;
    }
    const gateway = state.gateway || state.gateways[0];
    if (!gateway) {
      notice(errorNode, "Los pagos en efectivo no est\xE1n disponibles en este punto de acceso.", "error");
      return;
    }
    const nombre = input2("nombre").value.trim();
    const email = input2("email").value.trim();
    const telefono = input2("telefono").value.replace(/[^0-9+]/g, "");
    const phoneNeeded = phoneRequired(gateway, "oxxo");
    const digits = telefono.replace(/\D/g, "").length;
    if (!nombre || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
      notice(errorNode, "Escribe tu nombre y un correo v\xE1lido arriba para generar la referencia.", "error");
      return;
    }
    if (phoneNeeded ? digits < 10 : telefono && digits < 7) {
      input2("telefono").setAttribute("aria-invalid", "true");
      input2("telefono").focus();
      notice(errorNode, phoneNeeded ? "Escribe tu tel\xE9fono (10 d\xEDgitos) arriba: lo pide OXXO para generar la referencia." : "Escribe un tel\xE9fono v\xE1lido arriba o d\xE9jalo vac\xEDo.", "error");
      return;
    }
    input2("telefono").setAttribute("aria-invalid", "false");
    const body = {
      producto_id: state.product.id,
      nombre_cliente: nombre,
      email_cliente: email,
      pasarela: gateway,
      conexion_automatica: DEVICE_KNOWN
    };
    if (!spei) body.metodo = "oxxo";
    if (telefono) body.telefono_cliente = telefono;
    if (DEVICE_KNOWN) {
      body.mac_cliente = HS.mac;
      body.ip_cliente = HS.ip;
    }
    const sig = JSON.stringify(body);
    if (!cashState.attempt || cashState.attempt.sig !== sig) cashState.attempt = { sig, key: uuid() };
    storage.set(CUSTOMER_KEY, { nombre, email, telefono: input2("telefono").value.trim() }, CUSTOMER_TTL_MS);
    const button = $(spei ? "spei-button" : "cash-button");
    const label = spei ? "Pagar por transferencia SPEI" : "Pagar en efectivo (OXXO)";
    button.disabled = true;
    setText(button, spei ? "Generando tu CLABE\u2026" : "Generando referencia\u2026");
    api("POST", spei ? "/api/v1/payments/pagar-spei" : "/api/v1/payments/pagar-efectivo", body, { idempotencyKey: cashState.attempt.key, timeoutMs: PAY_TIMEOUT_MS }).then((res) => {
      button.disabled = false;
      setText(button, label);
      const d = res.data || {};
      if (d.transaccion_id && cashState.attempt) purchaseKeys[d.transaccion_id] = cashState.attempt.key;
      cashState.attempt = null;
      if (d.estado_pago === "paid") {
        cashPaid(d);
        return;
      }
      cashKeep(d);
      rememberTransaction(d);
      showCash(d);
      cashPoll(d.transaccion_id, false);
    }, (err) => {
      button.disabled = false;
      setText(button, label);
      notice(errorNode, explain(err, "pay"), "error");
    });
  }
  function copyReference() {
    const value = ($("cash-referencia").textContent || "").replace(/\s+/g, "");
    if (!/\d/.test(value)) return;
    copyText(value, $("cash-copy"));
  }
  function loginWithFicha(ev) {
    ev.preventDefault();
    const codigo = input2("ficha-codigo").value.replace(/\s+/g, "").toUpperCase();
    const contrasena = input2("ficha-contrasena").value.replace(/\s+/g, "").toUpperCase();
    if (!/^[A-Z0-9]{4,32}$/.test(codigo)) {
      notice($("ficha-error"), "Escribe el c\xF3digo tal como aparece en tu ficha.", "error");
      return;
    }
    notice($("ficha-error"), "");
    hotspotLogin(codigo, contrasena || codigo, $("ficha-error"));
  }
  function initCash() {
    show($("cash-box"), true);
    $("cash-button").addEventListener("click", () => {
      payCash("oxxo");
    });
    $("spei-button").addEventListener("click", () => {
      payCash("spei");
    });
    $("cash-copy").addEventListener("click", copyReference);
    $("cash-check").addEventListener("click", () => {
      const d = cashStored();
      if (d) {
        statusLine($("cash-status"), "Consultando tu pago\u2026", "wait");
        cashPoll(d.transaccion_id, true);
      }
    });
    $("cash-back").addEventListener("click", () => {
      cashPoller.stop();
      show($("cash-result"), false);
      renderTrial();
      show($("plans"), true);
      show($("ficha-login"), true);
      show($("manual-login"), true);
      renderSaved();
      window.scrollTo(0, 0);
    });
    $("ficha-form").addEventListener("submit", loginWithFicha);
    const pending = cashStored();
    if (pending && API_BASE && API_KEY) {
      showCash(pending);
      cashPoll(pending.transaccion_id, true);
    }
  }

  // portal/src/sandbox.ts
  function setupSandbox() {
    show($("sandbox-banner"), true);
    loadSandbox().then((t) => {
      const ul = $("sandbox-card-list");
      ul.textContent = "";
      const year = ((/* @__PURE__ */ new Date()).getFullYear() + 3) % 100;
      t.cards.forEach((c) => {
        const li = el("li");
        const label = el("span");
        label.appendChild(el("code", "", c.number.replace(/(\d{4})(?=\d)/g, "$1 ")));
        label.appendChild(document.createTextNode(" " + c.resultado));
        li.appendChild(label);
        const use = el("button", "btn btn--ghost btn--small", "Usar");
        use.type = "button";
        use.addEventListener("click", () => {
          $("card-number").value = c.number.replace(/(\d{4})(?=\d)/g, "$1 ");
          $("card-exp").value = "12/" + ("0" + year).slice(-2);
          $("card-cvc").value = "123";
        });
        li.appendChild(use);
        ul.appendChild(li);
      });
      setText($("sandbox-mp-hint"), "Mercado Pago (sandbox): el resultado depende del nombre del titular: " + t.mercadoPagoNames.map((n) => n.nombre + " = " + n.resultado.toLowerCase()).join(", ") + ".");
      show($("sandbox-cards"), true);
    }, (e) => {
      notice($("page-notice"), e.message, "error");
    });
  }

  // portal/src/main.ts
  var input3 = (id) => $(id);
  function formatCardInput(ev) {
    const field2 = ev.target;
    const digits = field2.value.replace(/\D/g, "").slice(0, 19);
    field2.value = digits.replace(/(\d{4})(?=\d)/g, "$1 ");
  }
  function formatExpInput(ev) {
    const field2 = ev.target;
    const digits = field2.value.replace(/\D/g, "").slice(0, 4);
    field2.value = digits.length > 2 ? digits.slice(0, 2) + "/" + digits.slice(2) : digits;
  }
  function init() {
    if (HS.error) notice($("hotspot-error"), hotspotErrorText(HS.error), "error");
    if (HS.loggedIn) notice($("already-connected"), alreadyConnectedText(), "ok");
    if (SANDBOX) setupSandbox();
    show($("auto-connect-row"), DEVICE_KNOWN);
    const customer = storage.get(CUSTOMER_KEY, null);
    if (customer && typeof customer === "object") {
      if (customer.nombre) input3("nombre").value = customer.nombre;
      if (customer.email) input3("email").value = customer.email;
      if (customer.telefono) input3("telefono").value = customer.telefono;
    }
    if (HS.username) input3("manual-usuario").value = HS.username;
    $("pay-form").addEventListener("submit", onPay);
    $("retry-button").addEventListener("click", () => {
      sendAttempt();
    });
    $("back-button").addEventListener("click", () => {
      state.attempt = null;
      show($("retry-button"), false);
      show($("pay-button"), true);
      notice($("form-error"), "");
      $("plans").scrollIntoView({ behavior: "smooth", block: "start" });
    });
    $("plans-retry").addEventListener("click", loadPortal);
    $("card-number").addEventListener("input", formatCardInput);
    $("card-exp").addEventListener("input", formatExpInput);
    Array.prototype.forEach.call(document.querySelectorAll('input[name="gateway"]'), (gw) => {
      gw.addEventListener("change", () => {
        state.gateway = gw.value;
        state.attempt = null;
        applyGateway();
      });
    });
    $("connect-button").addEventListener("click", () => {
      const d = state.lastResult;
      if (d && d.usuario_hotspot) hotspotLogin(d.usuario_hotspot.usuario, d.usuario_hotspot.contrasena, $("result-error"));
    });
    $("check-button").addEventListener("click", () => {
      if (state.lastResult && state.lastResult.transaccion_id) {
        show($("check-button"), false);
        notice($("result-error"), "");
        startPolling(state.lastResult.transaccion_id);
      }
    });
    $("new-button").addEventListener("click", () => {
      stopPolling();
      state.product = null;
      state.attempt = null;
      show($("result"), false);
      show($("checkout"), false);
      show($("plans"), true);
      show($("manual-login"), true);
      renderPlans();
      renderSaved();
      window.scrollTo(0, 0);
    });
    $("copy-button").addEventListener("click", copyCredentials);
    $("manual-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const u = input3("manual-usuario").value.trim();
      const p = input3("manual-contrasena").value;
      if (!u || !p) {
        notice($("manual-error"), "Escribe tu usuario y tu contrase\xF1a.", "error");
        return;
      }
      notice($("manual-error"), "");
      hotspotLogin(u, p, $("manual-error"));
    });
    renderSaved();
    initCash();
    if (!API_BASE || !API_KEY || /REEMPLAZAR/.test(API_KEY)) {
      const status = $("plans-status");
      status.className = "notice notice--error";
      setText(status, "Este portal a\xFAn no est\xE1 configurado (falta la URL de la API o la API Key en config.js). Avisa al encargado del lugar.");
      return;
    }
    loadPortal();
  }
  forgetLegacyData();
  sanitizeLoginDestination();
  onSavedChange(renderSaved);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
