/**
 * The one-paste setup script (issue 22, item 6), as text: both modes pass the
 * RouterOS-command checker (test/support/routeros-script.ts), and the checker
 * catches a deliberate typo of each kind a hand edit could make.
 */
import { expect } from 'chai';
import { renderSetupScript, rosString, type SetupScriptInput } from '../../src/features/routers';
import { checkRouterOsScript } from '../support/routeros-script';

const base: SetupScriptInput = {
  router: { id: 'RTR_0A1B2C3D', nombre: 'Café "La Esquina" $1 ?' },
  modo: 'radius',
  apiBaseUrl: 'https://api.pagos.example.com',
  portalFiles: ['login.html', 'portal.js', 'portal.css', 'md5.js', 'config.js'].map((name) => ({
    name, url: `https://api.pagos.example.com/api/v1/routers/portal/TOKEN123/${name}`,
  })),
  portalUrlsExpireAt: new Date('2026-12-07T05:00:00Z'),
  apiKeyIncluded: true,
  generatedAt: new Date('2026-12-07T04:30:00Z'),
  radius: {
    address: '203.0.113.10', authPort: 1812, acctPort: 1813, secret: 'S3cr3t-radius', interimUpdate: '1m',
    heartbeatBaseUrl: 'https://ipv4.pagos.example.com', routerToken: 'rtk_0123456789abcdef',
  },
};
const apiMode: SetupScriptInput = { ...base, modo: 'api', radius: undefined, api: { usuario: 'pagos', puerto: 8728, tls: false } };

/** The lines between the outer braces that are commands (no comments). */
const commands = (script: string) => script.split('\r\n').filter((l) => l && !l.startsWith('#'));

describe('Setup script: generator and RouterOS-command checker', () => {
  it('renders radius mode as one block that checks the hotspot menu through :parse before changing anything', () => {
    const script = renderSetupScript(base);
    const lines = commands(script);
    expect(lines[0]).to.equal('{');
    expect(lines.at(-1)).to.equal('}');
    const parseAt = lines.findIndex((l) => l.includes(':parse "/ip hotspot print count-only"'));
    const firstChange = lines.findIndex((l) => /^\/(system identity set|ip hotspot walled-garden|tool fetch|radius)/.test(l));
    expect(parseAt).to.be.greaterThan(0);
    expect(parseAt).to.be.lessThan(firstChange);
    expect(lines[parseAt + 1]).to.match(/^:if \(!\$pagosHotspot\) do=\{ :error /);
    expect(script).to.contain('/system identity set name="RTR_0A1B2C3D"');
    expect(script).to.contain('/radius add service=hotspot address=203.0.113.10 secret="S3cr3t-radius" authentication-port=1812 accounting-port=1813');
    expect(script).to.contain('use-radius=yes radius-accounting=yes radius-interim-update=1m');
    expect(script).to.match(/\/system scheduler add name="pagos-latido" interval=1m start-time=startup .*on-event=":local pagosPruebas \[:len \[\/ip hotspot active find where login-by=\\"trial\\"\]\]; \/tool fetch url=\\"https:\/\/ipv4\.pagos\.example\.com\/api\/v1\/routers\/latido\\\\\\\?pruebas_activas=\\\$pagosPruebas\\" check-certificate=yes-without-crl http-method=post http-header-field=\\"Authorization: Bearer rtk_0123456789abcdef\\"/);
    for (const host of ['api.pagos.example.com', 'api.conekta.io', 'cdn.conekta.io', 'api.mercadopago.com', 'sdk.mercadopago.com', '*.mercadopago.com', '*.mlstatic.com']) {
      expect(script, host).to.contain(`dst-host="${host}"`);
    }
    for (const f of base.portalFiles) {
      expect(script).to.contain(`/tool fetch url="${f.url}" check-certificate=yes-without-crl dst-path="$pagosDir/${f.name}" output=file`);
    }
    expect(script).not.to.contain('/user group');
    // The router's name sits only in a comment; RouterOS 6 differences are said.
    expect(script).to.contain('# Pagos Hotspot: configuracion del router RTR_0A1B2C3D (Café "La Esquina" $1 ?)');
    expect(script).to.contain('RouterOS 6');
    expect(checkRouterOsScript(script)).to.deep.equal([]);
  });

  it('radius mode carries the router\'s trial (issue 24): on, then off, both checker-clean', () => {
    const on = renderSetupScript({ ...base, trial: { activa: true, minutos: 10, reinicio_horas: 24, limite_velocidad: '1M/2M' } });
    expect(on).to.contain('# 7. Prueba gratuita del router');
    expect(on).to.contain('trial-uptime-limit=10m trial-uptime-reset=24h trial-user-profile="pagos-prueba"');
    expect(on).to.contain('rate-limit=1M/2M');
    expect(checkRouterOsScript(on)).to.deep.equal([]);
    const off = renderSetupScript({ ...base, trial: { activa: false, minutos: 10, reinicio_horas: 24, limite_velocidad: null } });
    expect(off).to.contain('Prueba gratuita: desactivada');
    expect(off).not.to.contain('trial-uptime-limit');
    expect(checkRouterOsScript(off)).to.deep.equal([]);
    expect(renderSetupScript(apiMode)).not.to.contain('Prueba gratuita');
  });

  it('renders api mode with a least-privilege API group and no RADIUS, and it passes the checker', () => {
    const script = renderSetupScript(apiMode);
    expect(script).to.contain('/user group add name="pagos-api" policy=api,read,write,!local,!telnet,!ssh,!ftp,!reboot,!policy,!test,!winbox,!password,!web,!sniff,!sensitive,!romon');
    expect(script).not.to.match(/^\/radius/m);
    expect(script).not.to.contain('scheduler');
    expect(script).to.contain('/ip service set [find where name="api"] disabled=no\r\n');
    expect(checkRouterOsScript(script)).to.deep.equal([]);
  });

  it('escapes what RouterOS would read as a variable, a quote end or a help request', () => {
    expect(rosString('a"b$c?d\\e')).to.equal('"a\\"b\\$c\\?d\\\\e"');
    const tricky = renderSetupScript({ ...base, radius: { ...base.radius!, secret: 'x"$y?z' } });
    expect(tricky).to.contain('secret="x\\"\\$y\\?z"');
    expect(checkRouterOsScript(tricky)).to.deep.equal([]);
  });

  it('catches a typo anywhere: a parameter, a menu, a command, a value, an unknown variable, a broken block, an unescaped "?"', () => {
    const script = renderSetupScript(base);
    const typos: Array<[string, string, RegExp]> = [
      ['authentication-port=1812', 'authentification-port=1812', /parámetro desconocido "authentification-port" en \/radius add/],
      ['/ip hotspot walled-garden ip add', '/ip hotspot walled-garden ipp add', /comando desconocido "ipp"|menú desconocido/],
      ['/system identity set', '/system identity sett', /comando desconocido "sett" en \/system identity/],
      ['use-radius=yes', 'use-radius=si', /use-radius=si: debe ser uno de yes, no/],
      ['check-certificate=yes-without-crl dst-path', 'check-certificate=yes-no-crl dst-path', /check-certificate=yes-no-crl: debe ser uno de/],
      ['policy=read,write,test', 'policy=read,wrte,test', /políticas desconocidas: wrte/],
      [':if (!$pagosHotspot)', ':if (!$pagosHotspt)', /variable \$pagosHotspt sin declarar/],
      ['dst-path="$pagosDir/', 'dst-path="$pagosDirr/', /variable \$pagosDirr sin declarar/],
      ['http-method=post', 'http-metod=post', /on-event: .*parámetro desconocido "http-metod"/],
      ['/api/v1/routers/latido', '/api/v1/routers/latido?x=1', /"\?" sin escapar/],
      ['/ip hotspot active find', '/ip hotspot actve find', /on-event: .*(menú|comando) desconocido/],
    ];
    for (const [from, to, expected] of typos) {
      expect(script, from).to.contain(from);
      const errors = checkRouterOsScript(script.replace(from, to));
      expect(errors.join('\n'), `${from} → ${to}`).to.match(expected);
    }
    const unclosed = checkRouterOsScript(script.replace(/\r\n\}\r\n$/, '\r\n'));
    expect(unclosed.join('\n')).to.match(/falta "\}"/);
  });
});
