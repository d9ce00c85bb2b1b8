/**
 * A sale's history as a receipt reads (issue 23): each event a Spanish title and
 * plain sentences, never raw JSON nor the router's or gateway's English words.
 */
import { formatCents } from '../format';
import { ESTADO_HOTSPOT, ESTADO_PAGO } from '../i18n';

export interface Evento { tipo: string; de?: string | null; a?: string | null; detalle?: unknown; creado_en?: string }

const TITULOS: Record<string, string> = {
  creada: 'Venta iniciada',
  pago_aprobado: 'Pago aprobado',
  pago_declinado: 'Pago rechazado',
  pago_rechazado_por_configuracion: 'Pago rechazado por la configuración de la pasarela',
  respuesta_ambigua: 'La pasarela no confirmó el cobro todavía',
  pago_expirado: 'Pago vencido',
  pago_reembolsado: 'Pago reembolsado',
  contracargo: 'Contracargo',
  aprovisionando: 'Creando el usuario en el router',
  usuario_activo: 'Acceso activado',
  aprovisionamiento_fallido: 'No se pudo crear el usuario',
  usuario_deshabilitado: 'Acceso deshabilitado',
  usuario_expirado: 'Acceso vencido',
  pago_en_revision: 'Pago en revisión',
  gateway_referencia_distinta: 'La pasarela informó otra referencia',
  monto_no_coincide: 'El monto cobrado no coincide',
  confirmacion: 'Confirmación con la pasarela',
  confirmacion_sin_respuesta: 'La pasarela no respondió a la confirmación',
  reembolso_solicitado: 'Reembolso solicitado',
  reintento_manual: 'Reintento manual desde el panel',
  referencia_emitida: 'Referencia de pago emitida',
  auto_conexion_fallida: 'Auto conexión fallida',
  usuario_renombrado: 'Usuario renombrado',
  usuario_ya_existia: 'El usuario ya existía en el router',
  router_no_disponible: 'Router no disponible',
  telegram_venta_enviado: 'Aviso de venta enviado por Telegram',
  telegram_rechazo_enviado: 'Aviso de rechazo enviado por Telegram',
  telegram_venta_rechazado: 'Telegram no aceptó el aviso de venta',
  telegram_rechazo_rechazado: 'Telegram no aceptó el aviso de rechazo',
};

/** What routers, gateways and our own jobs say in English or in codes, as a person reads it. */
const FRASES: Array<[RegExp, string]> = [
  [/host already logged in|already logged/i, 'el dispositivo ya tenía una sesión abierta'],
  [/no more sessions/i, 'el usuario ya se está usando en otro dispositivo'],
  [/invalid username or password|invalid password|no such user/i, 'usuario o contraseña incorrectos'],
  [/already have user with this name/i, 'ya existía un usuario con ese nombre'],
  [/input does not match any value of profile/i, 'el perfil del plan no existe en el router'],
  [/timed? ?out|tiempo de espera/i, 'el router tardó demasiado en responder'],
  [/ECONNREFUSED|connection refused/i, 'el router rechazó la conexión'],
  [/EHOSTUNREACH|ENETUNREACH|ENOTFOUND/i, 'no se encontró el router en la red'],
  [/insufficient[_ ]funds|cc_rejected_insufficient_amount/i, 'fondos insuficientes'],
  [/stolen|lost card/i, 'tarjeta reportada'],
  [/cc_rejected_bad_filled|invalid card|card_declined/i, 'la tarjeta fue rechazada'],
  [/cc_rejected_call_for_authorize/i, 'el banco pide autorizar el cargo'],
  [/cc_rejected_high_risk|fraud/i, 'rechazado por prevención de fraude'],
];

const PALABRAS: Record<string, string> = {
  paid: 'pagado', approved: 'aprobado', accredited: 'acreditado', declined: 'rechazado', rejected: 'rechazado',
  pending: 'pendiente', pending_payment: 'pendiente de pago', in_process: 'en proceso', in_mediation: 'en disputa',
  expired: 'vencido', canceled: 'cancelado', cancelled: 'cancelado', refunded: 'reembolsado', partially_refunded: 'reembolsado en parte',
  charged_back: 'contracargo', pre_authorized: 'preautorizado', unknown: 'sin confirmar', voided: 'anulado',
  admin: 'el panel', reconciliacion: 'la conciliación automática', webhook: 'aviso de la pasarela',
  oxxo: 'OXXO', paycash: 'Paycash', spei: 'SPEI', tarjeta: 'tarjeta',
  conekta: 'Conekta', mercadopago: 'Mercado Pago',
};

/** A value from a router or a gateway, in Spanish. */
export function enEspanol(value: unknown): string {
  const text = String(value ?? '').trim();
  if (!text) return '';
  const known = PALABRAS[text.toLowerCase()];
  if (known) return known;
  for (const [pattern, frase] of FRASES) if (pattern.test(text)) return frase;
  // A code (snake_case, no spaces) is not a sentence: spaced out rather than shown raw.
  if (/^[a-z0-9]+(_[a-z0-9]+)+$/i.test(text)) return text.replace(/_/g, ' ').toLowerCase();
  return text;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const sentence = (s: string) => (s ? s.charAt(0).toUpperCase() + s.slice(1) : s);

/** The lines of an event's detail, each a short Spanish sentence. */
export function detalleEnLineas(tipo: string, detalle: unknown): string[] {
  if (!isRecord(detalle)) return [];
  const lines: string[] = [];
  const d = detalle;
  if (isRecord(d.card) && (d.card.brand || d.card.last4)) {
    lines.push(`Tarjeta ${d.card.brand ? String(d.card.brand).toUpperCase() : ''}${d.card.last4 ? ` terminación ${d.card.last4}` : ''}`.replace(/\s+/g, ' ').trim());
  }
  if (d.metodo) lines.push(`Método: ${enEspanol(d.metodo)}`);
  if (d.referencia) lines.push(`Referencia: ${String(d.referencia)}`);
  const estado = d.gateway_status ?? d.estado_gateway ?? d.estado;
  if (estado) lines.push(`Estado en la pasarela: ${enEspanol(estado)}`);
  if (d.gateway_status_detail && enEspanol(d.gateway_status_detail) !== enEspanol(estado)) lines.push(`Detalle: ${enEspanol(d.gateway_status_detail)}`);
  if (typeof d.cobrado === 'number' && typeof d.esperado === 'number') lines.push(`Cobrado ${formatCents(d.cobrado)}; esperado ${formatCents(d.esperado)}`);
  if (d.motivo) {
    const motivo = tipo === 'usuario_deshabilitado' && ESTADO_PAGO[String(d.motivo)] ? `venta ${ESTADO_PAGO[String(d.motivo)]!.toLowerCase()}` : enEspanol(d.motivo);
    lines.push(`Motivo: ${motivo}`);
  }
  if (d.error) lines.push(`Motivo: ${enEspanol(d.error)}`);
  if (d.fuente) lines.push(`Desde ${enEspanol(d.fuente)}`);
  return lines.map(sentence);
}

/** The event's title and, for a state change, the change in the panel's own words. */
export function describirEvento(e: Evento): { titulo: string; cambio: string | null; lineas: string[] } {
  const titulo = TITULOS[e.tipo] ?? sentence(enEspanol(e.tipo));
  const labels = e.tipo in { aprovisionando: 1, usuario_activo: 1, aprovisionamiento_fallido: 1, usuario_deshabilitado: 1, usuario_expirado: 1 } ? ESTADO_HOTSPOT : ESTADO_PAGO;
  const name = (s: string | null | undefined) => (s ? labels[s] ?? enEspanol(s) : '—');
  const cambio = e.de || e.a ? `${name(e.de)} → ${name(e.a)}` : null;
  return { titulo, cambio, lineas: detalleEnLineas(e.tipo, e.detalle) };
}
