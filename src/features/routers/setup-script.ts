/**
 * The one-paste router setup (issue 22, item 6): a RouterOS 7 script, with the
 * RouterOS 6 differences said in comments, that an operator pastes in the
 * router's terminal. Pure: everything it needs comes in `SetupScriptInput`.
 *
 * Shape: one `{ … }` block, so the terminal runs it as one unit. It first
 * checks, through `:parse`, that the hotspot menu exists (device-mode or a
 * missing hotspot package removes it) and that a hotspot server is set up, and
 * stops with a Spanish `:error` before changing anything when not. Then:
 * identity = router id; walled garden for our API, Conekta and Mercado Pago;
 * the portal files downloaded one by one with `/tool fetch` (RouterOS cannot
 * unzip) from short-lived per-file URLs; and either the RADIUS client with a
 * heartbeat scheduler (radius mode) or a least-privilege API user group (api
 * mode). Running it again replaces what a previous run added (everything it
 * adds carries the comment "Pagos Hotspot").
 */
import { renderTrialRouterOsLines, type TrialSettings } from '../../integrations/mikrotik';

export type SetupModo = 'api' | 'radius';

export interface SetupScriptInput {
  router: { id: string; nombre: string };
  modo: SetupModo;
  /** Public base URL of our API (its host goes into the walled garden). */
  apiBaseUrl: string;
  /** The portal's files, each at its own short-lived URL (config.js included). */
  portalFiles: Array<{ name: string; url: string }>;
  /** When the per-file URLs stop working. */
  portalUrlsExpireAt: Date;
  /** Whether config.js carries a freshly issued API key (else a placeholder to replace). */
  apiKeyIncluded: boolean;
  generatedAt: Date;
  /** Radius mode: where the router sends RADIUS, its secret, and its heartbeat. */
  radius?: {
    address: string;
    authPort: number;
    acctPort: number;
    secret: string;
    /** `radius-interim-update` of the hotspot profile (RouterOS time, e.g. "1m"). */
    interimUpdate: string;
    /** IPv4-only base URL of our heartbeat endpoint host. */
    heartbeatBaseUrl: string;
    routerToken: string;
  };
  /** Radius mode: the router's trial login (issue 24), which nothing can apply on a router behind NAT but this script. */
  trial?: TrialSettings | null;
  /** Api mode: the RouterOS user the service logs in with (a group of least privilege is made for it). */
  api?: { usuario: string | null; puerto: number; tls: boolean };
}

/** Hosts the phone must reach before paying (RADIUS.md: walled garden). */
export const PAYMENT_HOSTS = ['api.conekta.io', 'cdn.conekta.io', 'api.mercadopago.com', 'sdk.mercadopago.com'] as const;
export const PAYMENT_WILDCARDS = ['*.mercadopago.com', '*.mlstatic.com'] as const;

/** The group the api-mode user goes into: the API and nothing else it does not need. */
export const API_GROUP = 'pagos-api';
export const API_GROUP_POLICY = 'api,read,write,!local,!telnet,!ssh,!ftp,!reboot,!policy,!test,!winbox,!password,!web,!sniff,!sensitive,!romon';
export const HEARTBEAT_SCHEDULER = 'pagos-latido';
export const MARK = 'Pagos Hotspot';

/** A RouterOS string literal: `"`, `\` and `$` escaped, `?` too (the terminal would open its help). */
export function rosString(value: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, '');
  return `"${clean.replace(/[\\"$?]/g, (c) => `\\${c}`)}"`;
}

/** A comment line's text: no line breaks can leave the comment. */
function commentText(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f]/g, ' ');
}

function hostOf(url: string): string {
  return new URL(url).hostname;
}

function fetchArgs(url: string): string {
  const https = url.startsWith('https:');
  return `url=${rosString(url)}${https ? ' check-certificate=yes-without-crl' : ''}`;
}

export function renderSetupScript(input: SetupScriptInput): string {
  const { router } = input;
  const lines: string[] = [];
  const c = (text = '') => lines.push(text ? `# ${commentText(text)}` : '#');
  const l = (text: string) => lines.push(text);
  const radius = input.modo === 'radius' ? input.radius : undefined;
  if (input.modo === 'radius' && !radius) throw new Error('radius mode needs its RADIUS settings');
  const apiHost = hostOf(input.apiBaseUrl);

  c(`Pagos Hotspot: configuracion del router ${router.id} (${router.nombre})`);
  c(`Modo: ${input.modo === 'radius' ? 'RADIUS (el router pregunta a nuestro servidor; sirve detras de NAT)' : 'API (el servicio entra al router por la API de RouterOS)'}`);
  c(`Generado: ${input.generatedAt.toISOString()}. Los enlaces de descarga del portal vencen: ${input.portalUrlsExpireAt.toISOString()}.`);
  c('Pegue TODO este texto en la terminal del router (WinBox > New Terminal, o SSH) como administrador.');
  c('Corre como una sola unidad: si algo falla antes de empezar, no cambia nada y dice por que.');
  if (radius) c('Contiene el secreto RADIUS y el token de este router: no lo comparta. Si se filtran, pida rotarlos (POST .../radius/rotar).');
  c();
  c('RouterOS 7 (recomendado). Diferencias en RouterOS 6:');
  c(' - El menu /ip hotspot viene en el paquete "hotspot": /system package print; si esta desactivado,');
  c('   /system package enable hotspot y reinicie. En RouterOS 7.13+ el device-mode puede quitarlo:');
  c('   /system device-mode update hotspot=yes (pide confirmar con el boton o un reinicio).');
  c(' - /tool fetch: check-certificate=yes-without-crl y http-header-field existen desde RouterOS 6.45;');
  c('   en versiones anteriores actualice a 6.49 (long-term) o a RouterOS 7.');
  if (radius) {
    c(' - RADIUS: nuestro servidor exige Message-Authenticator (BlastRADIUS). Lo envian RouterOS 7.15+');
    c('   y 6.49.15+; con versiones anteriores el servidor no responde y nadie puede entrar: actualice.');
    c(' - RadSec (RADIUS sobre TLS) y WireGuard solo existen en RouterOS 7.');
  }
  l('{');
  c('1. Comprobar que existe el menu hotspot (con :parse, para poder avisar en vez de fallar a medias)');
  l(':local pagosHotspot true');
  l(':do { :local check [:parse "/ip hotspot print count-only"]; $check } on-error={ :set pagosHotspot false }');
  l(':if (!$pagosHotspot) do={ :error "Pagos Hotspot: este router no tiene el menu /ip hotspot (paquete hotspot o device-mode). No se cambio nada." }');
  l(':if ([/ip hotspot print count-only] = 0) do={ :error "Pagos Hotspot: no hay servidor hotspot. Ejecute /ip hotspot setup y vuelva a pegar este texto. No se cambio nada." }');
  l(':local pagosPerfil [/ip hotspot get [:pick [/ip hotspot find] 0] profile]');
  l(':local pagosDir [/ip hotspot profile get [find where name=$pagosPerfil] html-directory]');
  l(':if ([:len $pagosDir] = 0) do={ :set pagosDir "hotspot" }');
  c('2. Identidad = id del router (asi lo reconoce el panel)');
  l(`/system identity set name=${rosString(router.id)}`);
  c('3. Walled garden: la API y las pasarelas de pago, antes de iniciar sesion');
  l(`/ip hotspot walled-garden ip remove [find where comment~${rosString(`^${MARK}`)}]`);
  l(`/ip hotspot walled-garden remove [find where comment~${rosString(`^${MARK}`)}]`);
  l(`/ip hotspot walled-garden ip add action=accept dst-host=${rosString(apiHost)} comment=${rosString(`${MARK}: API`)}`);
  for (const host of PAYMENT_HOSTS) l(`/ip hotspot walled-garden ip add action=accept dst-host=${rosString(host)} comment=${rosString(`${MARK}: pagos`)}`);
  for (const host of PAYMENT_WILDCARDS) l(`/ip hotspot walled-garden add action=allow dst-host=${rosString(host)} comment=${rosString(`${MARK}: pagos`)}`);
  c('4. Portal cautivo: cada archivo por separado (RouterOS no descomprime zip)');
  if (!input.apiKeyIncluded) c('   config.js trae un marcador en lugar de la API Key: edite config.js con la API Key del router.');
  for (const file of input.portalFiles) {
    // File names are ours ([a-z0-9.-]); "$pagosDir" is the profile's html-directory, read above.
    l(`/tool fetch ${fetchArgs(file.url)} dst-path="$pagosDir/${file.name.replace(/[^a-z0-9.-]/gi, '')}" output=file`);
  }
  l('/ip hotspot profile set [find where name=$pagosPerfil] login-by=http-chap,cookie');
  if (radius) {
    c('5. RADIUS: los inicios de sesion los decide nuestro servidor; la contabilidad le dice quien esta en linea');
    l(`/radius remove [find where comment=${rosString(MARK)}]`);
    l(`/radius add service=hotspot address=${radius.address} secret=${rosString(radius.secret)} authentication-port=${radius.authPort} accounting-port=${radius.acctPort} timeout=3s comment=${rosString(MARK)}`);
    l(`/ip hotspot profile set [find where name=$pagosPerfil] use-radius=yes radius-accounting=yes radius-interim-update=${radius.interimUpdate}`);
    c('6. Latido cada minuto: le dice al servidor desde que direccion publica llegan los paquetes RADIUS de este router');
    const heartbeat = `${radius.heartbeatBaseUrl.replace(/\/+$/, '')}/api/v1/routers/latido`;
    // The heartbeat carries the trial sessions online (issue 24): RouterOS puts $pagosPruebas into the URL when it runs.
    const withCount = `${rosString(`${heartbeat}?pruebas_activas=`).slice(0, -1)}$pagosPruebas"`;
    const fetch = ':local pagosPruebas [:len [/ip hotspot active find where login-by="trial"]]; '
      + `/tool fetch url=${withCount}${heartbeat.startsWith('https:') ? ' check-certificate=yes-without-crl' : ''} http-method=post `
      + `http-header-field=${rosString(`Authorization: Bearer ${radius.routerToken}`)} output=none`;
    l(`/system scheduler remove [find where name=${rosString(HEARTBEAT_SCHEDULER)}]`);
    l(`/system scheduler add name=${rosString(HEARTBEAT_SCHEDULER)} interval=1m start-time=startup policy=read,write,test on-event=${rosString(fetch)} comment=${rosString(MARK)}`);
    c('   Primer latido ahora (si falla, revise que el router salga a Internet y la hora del router)');
    l(`:do { ${fetch} } on-error={ :put "Pagos Hotspot: el primer latido fallo; se reintenta cada minuto." }`);
    if (input.trial) {
      c('7. Prueba gratuita del router (la cambia el panel; tras un cambio, pegue el script de nuevo)');
      for (const line of renderTrialRouterOsLines(input.trial)) {
        if (line.startsWith('# ')) c(`   ${line.slice(2)}`);
        else l(line);
      }
    }
  } else {
    const api = input.api;
    c('5. Usuario de la API con lo minimo: API, lectura y escritura; sin WinBox, SSH, web ni reinicio');
    l(`/user group remove [find where name=${rosString(API_GROUP)}]`);
    l(`/user group add name=${rosString(API_GROUP)} policy=${API_GROUP_POLICY} comment=${rosString(MARK)}`);
    // Enabled only: its port stays as it is (the service may reach it through a port forward with another number).
    l(`/ip service set [find where name=${api?.tls ? '"api-ssl"' : '"api"'}] disabled=no`);
    if (api?.usuario) {
      const user = rosString(api.usuario);
      c(`   Si ${api.usuario} no existe, creelo con la contrasena registrada en el panel:`);
      c(`     /user add name=${api.usuario} group=${API_GROUP} password=LA_CONTRASENA_REGISTRADA_EN_EL_PANEL`);
      c(`   Si ya existe y es solo para el servicio: /user set [find where name=${api.usuario}] group=${API_GROUP}`);
      l(`:if ([:len [/user find where name=${user}]] = 0) do={ :put ${rosString(`Pagos Hotspot: cree el usuario ${api.usuario} en el grupo ${API_GROUP} con la contrasena registrada en el panel.`)} }`);
    }
    c('   No mueva al grupo el usuario con el que usted administra el router: perderia WinBox y SSH.');
  }
  l(`:put ${rosString(`Pagos Hotspot: router ${router.id} configurado.`)}`);
  l('}');
  return `${lines.join('\r\n')}\r\n`;
}
