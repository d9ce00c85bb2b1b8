/**
 * A small RouterOS script checker, so a typo in a generated setup script cannot
 * ship: every command line must be a known menu path and command, with
 * `key=value` arguments that menu knows and values of the right form; blocks
 * (`{ … }`, `do={ … }`, `on-error={ … }`), `:local`/`:set` (a variable must be
 * declared before use, in strings too), `:if`, `:do`, `:parse` (its string is
 * checked as a script), command substitution `[ … ]` and expressions `( … )`
 * are handled, and a scheduler's `on-event` is checked as a script of its own.
 * Strings must escape `"`, `\`, `$` (unless it is a variable) and `?` (the
 * terminal would open its help).
 *
 * It knows only the menus the setup script uses (RouterOS 7 names); anything
 * else is an error, which is the point.
 */

type Validator = (value: string) => string | null;

const ok: Validator = () => null;
const oneOf = (...values: string[]): Validator => (v) => (values.includes(v) ? null : `debe ser uno de ${values.join(', ')}`);
const yesNo = oneOf('yes', 'no');
const port: Validator = (v) => (/^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 65535 ? null : 'debe ser un puerto');
const ipv4: Validator = (v) => (/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(v) ? null : 'debe ser una dirección IPv4');
const time: Validator = (v) => (/^(\d+(ms|[wdhms]))+$/.test(v) || /^\d{1,2}:\d{2}(:\d{2})?$/.test(v) || /^\d+$/.test(v) ? null : 'debe ser un intervalo de tiempo');
const listOf = (...values: string[]): Validator => (v) => {
  const bad = v.split(',').filter((x) => !values.includes(x));
  return bad.length === 0 ? null : `valores desconocidos: ${bad.join(', ')}`;
};
const POLICIES = ['local', 'telnet', 'ssh', 'ftp', 'reboot', 'read', 'write', 'policy', 'test', 'winbox', 'password', 'web', 'sniff', 'sensitive', 'api', 'romon', 'rest-api', 'dude'];
const policy: Validator = (v) => {
  const bad = v.split(',').filter((x) => !POLICIES.includes(x.replace(/^!/, '')));
  return bad.length === 0 ? null : `políticas desconocidas: ${bad.join(', ')}`;
};
const url: Validator = (v) => {
  try {
    const u = new URL(v);
    return ['http:', 'https:'].includes(u.protocol) ? null : 'debe ser http o https';
  } catch {
    return 'debe ser una URL';
  }
};

interface CommandSpec {
  args?: Record<string, Validator>;
  /** Bare words allowed (flags such as count-only). */
  flags?: string[];
  /** Unnamed leading arguments (item numbers, `[find …]`, a property name for get). */
  positional?: number;
  /** `find`: anything after `where`. */
  where?: boolean;
  /** Arguments whose value is a script: checked as one. */
  scripts?: string[];
}

const FIND: CommandSpec = { where: true, args: { name: ok, comment: ok } };

/** The menus the setup script may use, by path (space-separated), then command. */
export const MENUS: Record<string, Record<string, CommandSpec>> = {
  'system identity': { set: { args: { name: ok } }, print: {} },
  'system package': { print: {}, enable: { positional: 1 } },
  'ip hotspot': { print: { flags: ['count-only', 'detail'], where: true }, find: FIND, get: { positional: 2 } },
  'ip hotspot profile': {
    print: { flags: ['count-only', 'detail'], where: true }, find: FIND, get: { positional: 2 },
    set: {
      positional: 1,
      args: {
        'use-radius': yesNo, 'radius-accounting': yesNo, 'radius-interim-update': (v) => (v === 'received' ? null : time(v)),
        'login-by': listOf('cookie', 'http-chap', 'http-pap', 'https', 'mac', 'trial', 'mac-cookie'), 'html-directory': ok,
        'html-directory-override': ok, 'dns-name': ok, 'hotspot-address': ipv4, 'radius-default-domain': ok, 'nas-port-type': ok,
        'trial-uptime-limit': time, 'trial-uptime-reset': time, 'trial-user-profile': ok,
      },
    },
  },
  'ip hotspot user': { find: FIND },
  'ip hotspot active': { find: FIND },
  'ip hotspot user profile': {
    find: FIND, get: { positional: 2 },
    add: { args: { name: ok, 'shared-users': (v) => (/^\d+$|^unlimited$/.test(v) ? null : 'debe ser un número'), 'rate-limit': ok, comment: ok } },
    set: { positional: 1, args: { 'shared-users': ok, 'rate-limit': ok, comment: ok } },
  },
  'ip hotspot walled-garden': {
    find: FIND, remove: { positional: 1 },
    add: { args: { action: oneOf('allow', 'deny'), 'dst-host': ok, 'dst-port': ok, path: ok, method: ok, server: ok, 'src-address': ipv4, comment: ok, disabled: yesNo } },
  },
  'ip hotspot walled-garden ip': {
    find: FIND, remove: { positional: 1 },
    add: {
      args: {
        action: oneOf('accept', 'drop', 'reject'), 'dst-host': ok, 'dst-address': ok, 'dst-port': ok, protocol: ok, server: ok,
        'src-address': ok, comment: ok, disabled: yesNo,
      },
    },
  },
  'tool': {},
  'tool fetch': {
    '': {
      args: {
        url, 'dst-path': ok, 'check-certificate': oneOf('no', 'yes', 'yes-without-crl'), mode: oneOf('http', 'https', 'ftp', 'tftp'),
        'http-method': oneOf('get', 'post', 'put', 'delete', 'patch', 'head'), 'http-header-field': ok, 'http-data': ok,
        output: oneOf('none', 'file', 'user', 'user-with-headers'), 'keep-result': yesNo, user: ok, password: ok, duration: time, 'idle-timeout': time,
      },
      flags: ['as-value'],
    },
  },
  radius: {
    find: FIND, print: { where: true }, remove: { positional: 1 },
    add: {
      args: {
        service: listOf('hotspot', 'login', 'ppp', 'wireless', 'dhcp', 'ipsec', 'dot1x'), address: ipv4, secret: ok,
        'authentication-port': port, 'accounting-port': port, timeout: time, 'src-address': ipv4, comment: ok, disabled: yesNo,
        protocol: oneOf('udp', 'radsec'), 'called-id': ok, domain: ok, realm: ok, 'accounting-backup': yesNo, certificate: ok,
      },
    },
  },
  'radius incoming': { set: { args: { accept: yesNo, port } } },
  'system scheduler': {
    find: FIND, remove: { positional: 1 },
    add: {
      args: {
        name: ok, interval: time, 'start-time': (v) => (v === 'startup' ? null : time(v)), 'start-date': ok, 'on-event': ok,
        policy, comment: ok, disabled: yesNo,
      },
      scripts: ['on-event'],
    },
  },
  user: { find: FIND, add: { args: { name: ok, group: ok, password: ok, address: ok, comment: ok, disabled: yesNo } }, set: { positional: 1, args: { group: ok } } },
  'user group': { find: FIND, remove: { positional: 1 }, add: { args: { name: ok, policy, skin: ok, comment: ok } } },
  'ip service': { find: FIND, set: { positional: 1, args: { disabled: yesNo, port, address: ok, certificate: ok } } },
  ip: {},
  system: {},
};

const BUILTINS = new Set([':local', ':global', ':set', ':if', ':do', ':foreach', ':error', ':put', ':log', ':parse', ':pick', ':len', ':find', ':delay', ':return', ':tostr', ':typeof']);

// ---- tokens

type Token =
  | { t: 'word'; v: string; line: number }
  | { t: 'str'; v: string; raw: string; vars: string[]; line: number }
  | { t: 'open' | 'close'; v: string; line: number }
  | { t: 'sep'; line: number };

export class RosScriptError extends Error {}

function tokenize(text: string, errors: string[]): Token[] {
  const out: Token[] = [];
  let line = 1;
  let i = 0;
  let atStatementStart = true;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n') { out.push({ t: 'sep', line }); line++; i++; atStatementStart = true; continue; }
    if (ch === ';') { out.push({ t: 'sep', line }); i++; atStatementStart = true; continue; }
    if (ch === ' ' || ch === '\t' || ch === '\r') { i++; continue; }
    if (ch === '#' && atStatementStart) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    atStatementStart = false;
    if ('{[('.includes(ch)) { out.push({ t: 'open', v: ch, line }); i++; atStatementStart = ch === '{'; continue; }
    if ('}])'.includes(ch)) { out.push({ t: 'close', v: ch, line }); i++; continue; }
    if (ch === '"') {
      let j = i + 1;
      let value = '';
      const vars: string[] = [];
      let closed = false;
      while (j < text.length) {
        const c = text[j]!;
        if (c === '"') { closed = true; j++; break; }
        if (c === '\n') break;
        if (c === '\\') {
          const n = text[j + 1] ?? '';
          if ('"\\$?_abfnrtv'.includes(n) && n !== '') {
            value += ({ n: '\n', r: '\r', t: '\t', _: ' ' } as Record<string, string>)[n] ?? n;
            j += 2;
          } else if (/^[0-9A-Fa-f]{2}$/.test(text.slice(j + 1, j + 3))) {
            value += String.fromCharCode(parseInt(text.slice(j + 1, j + 3), 16));
            j += 3;
          } else {
            errors.push(`línea ${line}: escape inválido \\${n}`);
            j += 2;
          }
          continue;
        }
        if (c === '?') errors.push(`línea ${line}: "?" sin escapar en una cadena (la terminal abre la ayuda)`);
        if (c === '$') {
          const m = /^\$([A-Za-z][A-Za-z0-9_-]*)/.exec(text.slice(j));
          if (!m) errors.push(`línea ${line}: "$" sin escapar en una cadena`);
          else vars.push(m[1]!);
        }
        value += c;
        j++;
      }
      if (!closed) errors.push(`línea ${line}: cadena sin cerrar`);
      out.push({ t: 'str', v: value, raw: text.slice(i, j), vars, line });
      i = j;
      continue;
    }
    let j = i;
    while (j < text.length && !' \t\r\n;{}[]()"'.includes(text[j]!)) j++;
    out.push({ t: 'word', v: text.slice(i, j), line });
    i = j;
  }
  return out;
}

// ---- tree

type Item =
  | { k: 'word'; v: string; line: number }
  | { k: 'str'; v: string; vars: string[]; line: number }
  | { k: 'cmd'; body: Item[][]; line: number }
  | { k: 'expr'; items: Item[]; line: number }
  | { k: 'block'; body: Item[][]; line: number };

function parseStatements(tokens: Token[], pos: { i: number }, closer: string | null, errors: string[]): Item[][] {
  const statements: Item[][] = [];
  let current: Item[] = [];
  const flush = () => { if (current.length > 0) statements.push(current); current = []; };
  while (pos.i < tokens.length) {
    const tok = tokens[pos.i]!;
    if (tok.t === 'close') {
      if (tok.v === closer) { pos.i++; flush(); return statements; }
      errors.push(`línea ${tok.line}: "${tok.v}" sin abrir`);
      pos.i++;
      continue;
    }
    if (tok.t === 'sep') {
      if (closer === ']' || closer === ')') { pos.i++; continue; }
      flush();
      pos.i++;
      continue;
    }
    current.push(parseItem(tokens, pos, errors));
  }
  if (closer) errors.push(`falta "${closer}" al final`);
  flush();
  return statements;
}

function parseItem(tokens: Token[], pos: { i: number }, errors: string[]): Item {
  const tok = tokens[pos.i++]!;
  if (tok.t === 'word') return { k: 'word', v: tok.v, line: tok.line };
  if (tok.t === 'str') return { k: 'str', v: tok.v, vars: tok.vars, line: tok.line };
  if (tok.t === 'open') {
    if (tok.v === '{') return { k: 'block', body: parseStatements(tokens, pos, '}', errors), line: tok.line };
    if (tok.v === '[') return { k: 'cmd', body: parseStatements(tokens, pos, ']', errors), line: tok.line };
    return { k: 'expr', items: parseStatements(tokens, pos, ')', errors).flat(), line: tok.line };
  }
  return { k: 'word', v: '', line: tok.line };
}

// ---- checks

class Checker {
  readonly errors: string[] = [];
  private scopes: Array<Set<string>> = [new Set()];
  /** The menu a command inside `[ … ]` is relative to (`[find …]` in `/radius remove [find …]`). */
  private menus: string[] = [''];

  private declared(name: string): boolean {
    return this.scopes.some((s) => s.has(name));
  }

  private useVars(vars: string[], line: number): void {
    for (const v of vars) if (!this.declared(v)) this.errors.push(`línea ${line}: variable $${v} sin declarar`);
  }

  private err(line: number, message: string): void {
    this.errors.push(`línea ${line}: ${message}`);
  }

  block(statements: Item[][], newScope = true): void {
    if (newScope) this.scopes.push(new Set());
    for (const s of statements) this.statement(s);
    if (newScope) this.scopes.pop();
  }

  /** Checks nested values: command substitutions, expressions, blocks, variables. */
  value(item: Item): void {
    switch (item.k) {
      case 'str': this.useVars(item.vars, item.line); break;
      case 'word':
        // "$x", "!$x", "name=$x": every variable a word names must exist.
        this.useVars([...item.v.matchAll(/\$([A-Za-z][A-Za-z0-9_-]*)/g)].map((m) => m[1]!), item.line);
        break;
      case 'cmd': for (const s of item.body) this.statement(s); break;
      case 'expr': for (const i of item.items) this.value(i); break;
      case 'block': this.block(item.body); break;
    }
  }

  statement(items: Item[]): void {
    const [first, ...rest] = items;
    if (!first) return;
    if (first.k === 'block') { this.block(first.body); if (rest.length) this.err(first.line, 'texto después de "}"'); return; }
    if (first.k !== 'word') { this.value(first); return; }
    const w = first.v;
    if (w.startsWith(':')) { this.builtin(w, rest, first.line); return; }
    if (w.startsWith('$')) { this.value(first); for (const i of rest) this.value(i); return; }
    this.command(items);
  }

  private builtin(name: string, args: Item[], line: number): void {
    if (!BUILTINS.has(name)) { this.err(line, `comando desconocido ${name}`); return; }
    const word = (i: Item | undefined) => (i?.k === 'word' ? i.v : undefined);
    switch (name) {
      case ':local': case ':global': {
        const v = word(args[0]);
        if (!v || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(v)) { this.err(line, `${name} sin nombre de variable`); return; }
        for (const i of args.slice(1)) this.value(i);
        this.scopes[this.scopes.length - 1]!.add(v);
        return;
      }
      case ':set': {
        const v = word(args[0]);
        if (!v || !this.declared(v)) this.err(line, `:set de una variable sin declarar (${v ?? '?'})`);
        for (const i of args.slice(1)) this.value(i);
        return;
      }
      case ':if': {
        if (args[0]?.k !== 'expr') this.err(line, ':if sin (condición)');
        else this.value(args[0]);
        this.namedBlocks(args.slice(1), ['do=', 'else='], 'do=', line);
        return;
      }
      case ':foreach': {
        const v = word(args[0]);
        if (!v || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(v)) { this.err(line, ':foreach sin variable'); return; }
        // in=[command] (two items) or in=$variable (one word)
        const inWord = word(args[1]);
        let rest = 2;
        if (inWord === 'in=' && args[2]) { this.value(args[2]); rest = 3; }
        else if (inWord?.startsWith('in=$')) { if (!this.declared(inWord.slice(4))) this.err(line, `:foreach sobre una variable sin declarar (${inWord.slice(4)})`); }
        else { this.err(line, ':foreach sin in='); return; }
        this.scopes[this.scopes.length - 1]!.add(v);
        this.namedBlocks(args.slice(rest), ['do='], 'do=', line);
        return;
      }
      case ':do': {
        if (args[0]?.k !== 'block') { this.err(line, ':do sin { bloque }'); return; }
        this.block(args[0].body);
        this.namedBlocks(args.slice(1), ['on-error=', 'while='], null, line);
        return;
      }
      case ':parse': {
        const s = args[0];
        if (s?.k === 'str') this.nested(s.v, line, ':parse');
        else if (s) this.value(s);
        return;
      }
      default:
        for (const i of args) this.value(i);
    }
  }

  private namedBlocks(items: Item[], allowed: string[], required: string | null, line: number): void {
    const seen = new Set<string>();
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (it.k !== 'word' || !allowed.includes(it.v)) { this.err(line, `se esperaba ${allowed.join(' o ')}`); return; }
      const next = items[++i];
      if (!next || (next.k !== 'block' && next.k !== 'expr')) { this.err(line, `${it.v} sin { bloque }`); return; }
      seen.add(it.v);
      this.value(next);
    }
    if (required && !seen.has(required)) this.err(line, `falta ${required}{ … }`);
  }

  /** A script inside a string (`:parse`, on-event): checked on its own, without the outer variables. */
  private nested(text: string, line: number, where: string): void {
    const inner = checkRouterOsScript(text);
    for (const e of inner) this.err(line, `${where}: ${e}`);
  }

  private command(items: Item[]): void {
    const first = items[0] as { k: 'word'; v: string; line: number };
    const line = first.line;
    // The path: "/ip/hotspot" or "/ip hotspot walled-garden ip", relative to the root.
    const absolute = first.v.startsWith('/');
    const context = absolute ? [] : (this.menus[this.menus.length - 1] ?? '').split(' ').filter(Boolean);
    const path: string[] = [...context, ...first.v.replace(/^\//, '').split('/').filter(Boolean)];
    let i = 1;
    while (i < items.length) {
      const it = items[i]!;
      if (it.k !== 'word' || it.v.includes('=')) break;
      const candidate = [...path, it.v].join(' ');
      if (!(candidate in MENUS)) break;
      path.push(it.v);
      i++;
    }
    let menuPath = path.join(' ');
    let commandName: string;
    if (MENUS[menuPath]?.['']) {
      commandName = '';
    } else {
      const next = items[i];
      if (!(menuPath in MENUS)) {
        // "/ip/hotspot/print": the last segment was the command.
        const last = path.pop();
        menuPath = path.join(' ');
        if (!(menuPath in MENUS) || !last) { this.err(line, `menú desconocido /${[...path, last].join(' ')}`); return; }
        commandName = last;
      } else {
        if (!next || next.k !== 'word' || next.v.includes('=')) { this.err(line, `falta el comando tras /${menuPath}`); return; }
        commandName = next.v;
        i++;
      }
    }
    const spec = MENUS[menuPath]![commandName];
    if (!spec) { this.err(line, `comando desconocido "${commandName}" en /${menuPath}`); return; }
    this.menus.push(menuPath);
    try {
      this.args(items, i, spec, menuPath, commandName, line);
    } finally {
      this.menus.pop();
    }
  }

  private args(items: Item[], start: number, spec: CommandSpec, menuPath: string, commandName: string, line: number): void {
    let i = start;
    let positional = 0;
    for (; i < items.length; i++) {
      const it = items[i]!;
      if (it.k === 'word' && it.v === 'where' && spec.where) {
        for (const rest of items.slice(i + 1)) this.value(rest);
        return;
      }
      if (it.k === 'word' && it.v.includes('=')) {
        const eq = it.v.indexOf('=');
        const key = it.v.slice(0, eq);
        let valueText: string | null = it.v.slice(eq + 1);
        let dynamic = valueText.startsWith('$');
        if (valueText === '') {
          const next = items[++i];
          if (!next) { this.err(line, `${key}= sin valor`); return; }
          this.value(next);
          if (next.k === 'str') { valueText = next.v; dynamic = next.vars.length > 0; } else { valueText = null; }
        } else if (dynamic) {
          this.useVars([valueText.slice(1)], line);
        }
        const validator = spec.args?.[key];
        if (!validator) { this.err(line, `parámetro desconocido "${key}" en /${menuPath} ${commandName}`); continue; }
        if (valueText !== null && !dynamic) {
          const problem = validator(valueText);
          if (problem) this.err(line, `${key}=${valueText}: ${problem}`);
          if (spec.scripts?.includes(key)) this.nested(valueText, line, key);
        }
        continue;
      }
      if (it.k === 'word' && spec.flags?.includes(it.v)) continue;
      if (positional < (spec.positional ?? 0)) { positional++; this.value(it); continue; }
      this.err(line, `argumento inesperado ${it.k === 'word' ? it.v : it.k} en /${menuPath} ${commandName}`);
    }
  }
}

/** The problems found (empty: the script passes). */
export function checkRouterOsScript(text: string): string[] {
  const errors: string[] = [];
  const tokens = tokenize(text, errors);
  const tree = parseStatements(tokens, { i: 0 }, null, errors);
  const checker = new Checker();
  checker.block(tree, false);
  return [...errors, ...checker.errors];
}
