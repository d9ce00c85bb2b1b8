/**
 * Turns one received sentence into the reply sentences RouterOS would send
 * (without `.tag`, which the session adds). Command effects are applied to the
 * RouterState here, synchronously, so fault injection can act between "applied"
 * and "answered".
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { compileQuery, QueryError } from './query';
import { RosTrap, type RosRecord, type RouterState } from './state';

export interface ParsedCommand {
  command: string;
  /** `=key=value` words. */
  args: Map<string, string>;
  /** `.tag=` API attribute, echoed on every reply. */
  tag?: string;
  /** `.proplist` given as API attribute or as `=.proplist=` argument. */
  proplist?: string[];
  queries: string[];
}

export function parseSentence(words: readonly string[]): ParsedCommand {
  const [command = '', ...rest] = words;
  const parsed: ParsedCommand = { command, args: new Map(), queries: [] };
  for (const word of rest) {
    if (word.startsWith('=')) {
      const eq = word.indexOf('=', 1);
      const key = eq < 0 ? word.slice(1) : word.slice(1, eq);
      const value = eq < 0 ? '' : word.slice(eq + 1);
      if (key === '.proplist') parsed.proplist = value.split(',').filter(Boolean);
      else parsed.args.set(key, value);
    } else if (word.startsWith('.tag=')) {
      parsed.tag = word.slice(5);
    } else if (word.startsWith('.proplist=')) {
      parsed.proplist = word.slice(10).split(',').filter(Boolean);
    } else if (word.startsWith('?')) {
      parsed.queries.push(word);
    }
    // Other API attributes are ignored, as RouterOS does.
  }
  return parsed;
}

export interface SessionAuth {
  loggedIn: boolean;
  challenge?: Buffer;
}

export interface CommandContext {
  state: RouterState;
  auth: SessionAuth;
  username: string;
  password: string;
  legacyLogin: boolean;
  /** RouterOS >= 7.18 answers an empty print with `!empty` before `!done`. */
  emptyReply: boolean;
}

export type Reply =
  | { kind: 'sentences'; sentences: string[][]; loginFailed?: boolean; loginOk?: boolean }
  | { kind: 'fatal'; message: string };

const done = (attrs: RosRecord = {}): string[] => ['!done', ...attrs2words(attrs)];

function attrs2words(attrs: RosRecord): string[] {
  return Object.entries(attrs).map(([k, v]) => `=${k}=${v}`);
}

function trap(message: string, category?: number): string[][] {
  const words = ['!trap'];
  if (category !== undefined) words.push(`=category=${category}`);
  words.push(`=message=${message}`);
  return [words, done()];
}

function project(record: RosRecord, proplist: string[] | undefined): RosRecord {
  if (!proplist) return record;
  const out: RosRecord = {};
  for (const key of proplist) if (key in record) out[key] = record[key]!;
  return out;
}

const PRINT_ARGS = new Set(['count-only', 'detail', 'stats', 'without-paging', 'terse', 'value-list', 'brief']);

function print(records: RosRecord[], cmd: ParsedCommand, ctx: CommandContext): string[][] {
  for (const key of cmd.args.keys()) if (!PRINT_ARGS.has(key)) throw new RosTrap(`unknown parameter ${key}`);
  let matching: RosRecord[];
  try {
    const predicate = compileQuery(cmd.queries);
    matching = records.filter(predicate);
  } catch (err) {
    if (err instanceof QueryError) throw new RosTrap(err.message);
    throw err;
  }
  if (cmd.args.has('count-only')) return [done({ ret: String(matching.length) })];
  const rows = matching.map((r) => ['!re', ...attrs2words(project(r, cmd.proplist))]);
  if (rows.length === 0 && ctx.emptyReply) return [['!empty'], done()];
  return [...rows, done()];
}

function requireArgs(cmd: ParsedCommand, allowed: string[]): void {
  for (const key of cmd.args.keys()) if (!allowed.includes(key)) throw new RosTrap(`unknown parameter ${key}`);
}

function targetIds(cmd: ParsedCommand, resolve: (numbers: string) => string[]): string[] {
  const numbers = cmd.args.get('.id') ?? cmd.args.get('numbers');
  if (numbers === undefined) throw new RosTrap('missing value(s) of argument(s) numbers');
  return resolve(numbers);
}

function safeEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a, 'latin1');
  const bb = Buffer.from(b, 'latin1');
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

function login(cmd: ParsedCommand, ctx: CommandContext): Reply {
  const name = cmd.args.get('name');
  const fail = (message: string): Reply => ({ kind: 'sentences', sentences: trap(message), loginFailed: true });
  if (ctx.legacyLogin) {
    const response = cmd.args.get('response');
    if (response === undefined) {
      // Pre-6.43: any /login without a response (even one carrying =password=) gets a challenge.
      ctx.auth.challenge = randomBytes(16);
      return { kind: 'sentences', sentences: [done({ ret: ctx.auth.challenge.toString('hex') })] };
    }
    const challenge = ctx.auth.challenge;
    ctx.auth.challenge = undefined;
    if (!challenge || name !== ctx.username) return fail('cannot log in');
    const expected = '00' + createHash('md5').update(Buffer.concat([Buffer.from([0]), Buffer.from(ctx.password, 'latin1'), challenge])).digest('hex');
    if (!safeEqual(response.toLowerCase(), expected)) return fail('cannot log in');
  } else if (name !== ctx.username || !safeEqual(cmd.args.get('password') ?? '', ctx.password)) {
    return fail('invalid user name or password (6)');
  }
  ctx.auth.loggedIn = true;
  return { kind: 'sentences', sentences: [done()], loginOk: true };
}

type Handler = (cmd: ParsedCommand, ctx: CommandContext) => string[][] | Promise<string[][]>;

const USER_ADD_ARGS = ['name', 'password', 'profile', 'comment', 'server', 'limit-uptime', 'limit-bytes-total', 'limit-bytes-in', 'limit-bytes-out', 'mac-address', 'disabled', 'email', 'address'];

const HANDLERS: Record<string, Record<string, Handler>> = {
  '/ip/hotspot/user': {
    print: (cmd, ctx) => print(ctx.state.printUsers(), cmd, ctx),
    add: (cmd, ctx) => {
      requireArgs(cmd, USER_ADD_ARGS);
      return [done({ ret: ctx.state.addUser(Object.fromEntries(cmd.args)) })];
    },
    set: (cmd, ctx) => {
      requireArgs(cmd, ['.id', 'numbers', ...USER_ADD_ARGS]);
      const ids = targetIds(cmd, (n) => ctx.state.resolveUsers(n));
      const fields = Object.fromEntries([...cmd.args].filter(([k]) => k !== '.id' && k !== 'numbers'));
      for (const id of ids) ctx.state.setUser(id, fields);
      return [done()];
    },
    enable: (cmd, ctx) => {
      requireArgs(cmd, ['.id', 'numbers']);
      for (const id of targetIds(cmd, (n) => ctx.state.resolveUsers(n))) ctx.state.setUser(id, { disabled: 'false' });
      return [done()];
    },
    disable: (cmd, ctx) => {
      requireArgs(cmd, ['.id', 'numbers']);
      for (const id of targetIds(cmd, (n) => ctx.state.resolveUsers(n))) ctx.state.setUser(id, { disabled: 'true' });
      return [done()];
    },
    remove: (cmd, ctx) => {
      requireArgs(cmd, ['.id', 'numbers']);
      // Resolve every reference first: RouterOS removes nothing when one is unknown.
      for (const id of targetIds(cmd, (n) => ctx.state.resolveUsers(n))) ctx.state.removeUser(id);
      return [done()];
    },
  },
  '/ip/hotspot/user/profile': {
    print: (cmd, ctx) => print(ctx.state.printProfiles(), cmd, ctx),
    add: (cmd, ctx) => {
      const name = cmd.args.get('name');
      if (!name) throw new RosTrap('missing value(s) of argument(s) name');
      return [done({ ret: ctx.state.addProfile(Object.fromEntries(cmd.args) as { name: string }) })];
    },
    set: (cmd, ctx) => {
      const fields = Object.fromEntries([...cmd.args].filter(([k]) => k !== '.id' && k !== 'numbers'));
      for (const id of targetIds(cmd, (n) => ctx.state.resolveProfiles(n))) ctx.state.setProfile(id, fields);
      return [done()];
    },
    remove: (cmd, ctx) => {
      requireArgs(cmd, ['.id', 'numbers']);
      for (const id of targetIds(cmd, (n) => ctx.state.resolveProfiles(n))) ctx.state.removeProfile(id);
      return [done()];
    },
  },
  // Hotspot servers and their server profiles (sim/routeros/trial.ts): the trial login's settings.
  '/ip/hotspot': {
    print: (cmd, ctx) => print(ctx.state.hotspot.serverList, cmd, ctx),
  },
  // One menu, two halves of the model: login-by and the trial (sim/routeros/trial.ts) and the RADIUS
  // client's use-radius/accounting (state.ts), joined by the profile's name.
  '/ip/hotspot/profile': {
    print: (cmd, ctx) => print(ctx.state.hotspot.profileList.map((p) => {
      const radius = ctx.state.hotspotProfileList.find((r) => r.name === p.name);
      return radius ? { ...p, 'use-radius': radius['use-radius']!, 'radius-accounting': radius['radius-accounting']!, 'radius-interim-update': radius['radius-interim-update']! } : p;
    }), cmd, ctx),
    add: (cmd, ctx) => {
      const { radius, rest } = splitProfileFields(Object.fromEntries(cmd.args));
      const id = ctx.state.hotspot.addProfile(rest as { name: string });
      ctx.state.addHotspotProfile({ name: rest.name!, ...radius });
      return [done({ ret: id })];
    },
    set: (cmd, ctx) => {
      const { radius, rest } = splitProfileFields(Object.fromEntries([...cmd.args].filter(([k]) => k !== '.id' && k !== 'numbers')));
      for (const id of targetIds(cmd, (n) => ctx.state.hotspot.resolve(n))) {
        if (Object.keys(rest).length > 0) ctx.state.hotspot.set(id, rest);
        if (Object.keys(radius).length > 0) {
          const name = ctx.state.hotspot.profileList.find((p) => p['.id'] === id)!.name!;
          if (!ctx.state.hotspotProfileList.some((r) => r.name === name)) ctx.state.addHotspotProfile({ name });
          ctx.state.setHotspotProfile(name, radius);
        }
      }
      return [done()];
    },
  },
  '/ip/hotspot/host': {
    print: (cmd, ctx) => print(ctx.state.printHosts(), cmd, ctx),
  },
  '/ip/hotspot/active': {
    print: (cmd, ctx) => print(ctx.state.printActiveSessions(), cmd, ctx),
    login: async (cmd, ctx) => {
      requireArgs(cmd, ['user', 'password', 'mac-address', 'ip', 'domain']);
      // Local users first, then RADIUS when the hotspot profile uses it (an Access-Request: the answer waits for it).
      await ctx.state.login({
        user: cmd.args.get('user'),
        password: cmd.args.get('password'),
        ip: cmd.args.get('ip'),
        mac: cmd.args.get('mac-address'),
      });
      return [done()];
    },
    remove: (cmd, ctx) => {
      requireArgs(cmd, ['.id', 'numbers']);
      for (const id of targetIds(cmd, (n) => ctx.state.resolveActive(n))) ctx.state.removeActive(id);
      return [done()];
    },
  },
  '/radius': {
    print: (cmd, ctx) => print(ctx.state.radiusList, cmd, ctx),
    add: (cmd, ctx) => [done({ ret: ctx.state.addRadius(Object.fromEntries(cmd.args)) })],
    remove: (cmd, ctx) => {
      requireArgs(cmd, ['.id', 'numbers']);
      for (const id of targetIds(cmd, (n) => ctx.state.resolveRadius(n))) ctx.state.removeRadius(id);
      return [done()];
    },
  },
  '/system/resource': {
    print: (cmd, ctx) => print([ctx.state.systemResource()], cmd, ctx),
  },
  '/system/identity': {
    print: (cmd, ctx) => print([{ name: ctx.state.identity }], cmd, ctx),
    set: (cmd, ctx) => {
      requireArgs(cmd, ['name']);
      const name = cmd.args.get('name');
      if (!name) throw new RosTrap('missing value(s) of argument(s) name');
      ctx.state.identity = name;
      return [done()];
    },
  },
};

/** Commands that bypass the trapAll fault: the session plumbing. */
export const CONTROL_COMMANDS = new Set(['/login', '/quit', '/cancel']);

export function execute(cmd: ParsedCommand, ctx: CommandContext): Reply | Promise<Reply> {
  if (cmd.command === '/login') return login(cmd, ctx);
  if (cmd.command === '/quit') return { kind: 'fatal', message: 'session terminated on request' };
  if (!ctx.auth.loggedIn) return { kind: 'sentences', sentences: trap('not logged in') };
  const slash = cmd.command.lastIndexOf('/');
  const menu = HANDLERS[cmd.command.slice(0, slash)];
  const handler = menu?.[cmd.command.slice(slash + 1)];
  if (!handler) {
    return { kind: 'sentences', sentences: trap(menu ? 'no such command' : 'no such command prefix', 0) };
  }
  const onError = (err: unknown): Reply => {
    if (err instanceof RosTrap) return { kind: 'sentences', sentences: trap(err.message, err.category) };
    throw err;
  };
  try {
    const out = handler(cmd, ctx);
    if (out instanceof Promise) return out.then((sentences): Reply => ({ kind: 'sentences', sentences }), onError);
    return { kind: 'sentences', sentences: out };
  } catch (err) {
    return onError(err);
  }
}

export { trap as trapSentences, done as doneSentence };

const RADIUS_PROFILE_FIELDS = new Set(['use-radius', 'radius-accounting', 'radius-interim-update']);
function splitProfileFields(fields: Record<string, string>): { radius: Record<string, string>; rest: Record<string, string> } {
  const radius: Record<string, string> = {};
  const rest: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) (RADIUS_PROFILE_FIELDS.has(key) ? radius : rest)[key] = value;
  return { radius, rest };
}
