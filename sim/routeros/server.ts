/**
 * The RouterOS API simulator: a TCP (or API-SSL) listener speaking the real
 * binary protocol, one session per connection, with fault injection for the
 * failures real routers show (down, hung, slow, dropping a connection right
 * after applying a command, trapping everything).
 *
 * Cheap by design: one net.Server and a little state per simulated router, no
 * timers unless a reply delay is configured, so a test can start dozens.
 */
import net from 'node:net';
import tls from 'node:tls';
import { CONTROL_COMMANDS, execute, parseSentence, trapSentences, type CommandContext, type Reply, type SessionAuth } from './commands';
import { encodeSentence, ProtocolError, SentenceDecoder } from './protocol';
import { RouterState, type SimProfileInput, type SimRadiusInput, type SimUserInput } from './state';
import { testCertificate } from './tls-cert';

export interface RouterOsSimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /**
   * API-SSL. `true` uses a self-signed certificate generated at run time (test only);
   * `'anonymous'` has no certificate at all (anonymous DH, like a RouterOS API-SSL
   * service without a certificate); or bring your own PEM key and certificate.
   */
  tls?: boolean | 'anonymous' | { key: string | Buffer; cert: string | Buffer };
  /** RouterOS version, e.g. '6.49' or '7.18'. From 7.18 an empty print answers `!empty`. */
  version?: string;
  /** Pre-6.43 MD5 challenge login. Defaults to true for versions below 6.43. */
  legacyLogin?: boolean;
  username?: string;
  password?: string;
  identity?: string;
  /** Hotspot user profiles besides `default`, with RouterOS (kebab-case) property names. */
  profiles?: SimProfileInput[];
  users?: SimUserInput[];
  /** Hotspot server names (`server=` of users). Default ['hotspot1']. */
  servers?: string[];
  /**
   * RADIUS-client mode, as after `/radius add service=hotspot …` and
   * `/ip hotspot profile set hsprof1 use-radius=yes`: logins with no local user
   * go to this server (also configurable through the API's `/radius` menu).
   */
  radius?: SimRadiusInput;
}

export interface SimFaults {
  /** Stop listening and drop every connection: connecting fails at once (ECONNREFUSED). */
  refuseConnections?: boolean;
  /**
   * Accept TCP but never answer: new connections get no TLS handshake and no login
   * reply, and commands on connections already open are swallowed too.
   */
  acceptAndHang?: boolean;
  /** Delay every reply (login included) by this many milliseconds. */
  replyDelayMs?: number;
  /** Command word (e.g. '/ip/hotspot/user/add'): apply it, then drop the connection without replying. */
  dropAfterApply?: string;
  /** Answer every command after login with `!trap =message=<this>`. */
  trapAll?: string;
}

export interface RouterOsSimulator {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly version: string;
  readonly username: string;
  readonly password: string;
  /** Live router state and counters. */
  readonly state: RouterState;
  readonly faults: {
    readonly current: Readonly<SimFaults>;
    /** Merge these faults into the current ones. */
    set(faults: SimFaults): Promise<void>;
    clear(): Promise<void>;
  };
  /** Drop every open API connection (a router reboot as the client sees it); keep listening. */
  dropConnections(): void;
  close(): Promise<void>;
}

function versionAtLeast(version: string, min: number[]): boolean {
  const parts = version.split(/[^\d]+/).filter(Boolean).map(Number);
  for (let i = 0; i < min.length; i++) {
    const a = parts[i] ?? 0;
    if (a !== min[i]) return a > min[i]!;
  }
  return true;
}

interface PendingReply {
  timer: NodeJS.Timeout;
  send: () => void;
}

export async function startRouterOsSimulator(options: RouterOsSimulatorOptions = {}): Promise<RouterOsSimulator> {
  const host = options.host ?? '127.0.0.1';
  const version = options.version ?? '7.18';
  const username = options.username ?? 'admin';
  const password = options.password ?? '';
  const legacyLogin = options.legacyLogin ?? !versionAtLeast(version, [6, 43]);
  const emptyReply = versionAtLeast(version, [7, 18]);
  const state = new RouterState({
    identity: options.identity, version, servers: options.servers, profiles: options.profiles, users: options.users,
    radius: options.radius,
  });
  let faults: SimFaults = {};
  const sockets = new Set<net.Socket>();
  const sessionsPending = new Set<Map<string | symbol, PendingReply>>();

  // API-SSL: a never-listening tls.Server that the TCP listener hands sockets to,
  // so acceptAndHang can hold a connection before any TLS handshake.
  let tlsServer: tls.Server | undefined;
  if (options.tls) {
    const secure: tls.TlsOptions = options.tls === 'anonymous'
      ? { ciphers: 'ADH-AES256-GCM-SHA384:ADH-AES128-GCM-SHA256:ADH-AES256-SHA256:ADH-AES128-SHA256:@SECLEVEL=0', dhparam: 'auto', maxVersion: 'TLSv1.2' }
      : options.tls === true ? testCertificate() : options.tls;
    tlsServer = tls.createServer(secure, (socket) => serveSession(socket));
    tlsServer.on('tlsClientError', () => { /* a failed handshake just ends that connection */ });
  }

  function serveSession(socket: net.Socket | tls.TLSSocket): void {
    socket.on('error', () => { /* peer resets are normal for a router */ });
    const decoder = new SentenceDecoder();
    const auth: SessionAuth = { loggedIn: false };
    const pending = new Map<string | symbol, PendingReply>();
    sessionsPending.add(pending);
    const ctx: CommandContext = { state, auth, username, password, legacyLogin, emptyReply };

    const finishInFlight = () => { state.counters.inFlight--; };
    socket.once('close', () => {
      for (const p of pending.values()) { clearTimeout(p.timer); finishInFlight(); }
      pending.clear();
      sessionsPending.delete(pending);
    });

    const write = (tag: string | undefined, sentences: string[][]) => {
      if (socket.destroyed) return;
      const tagged = sentences.map(([reply, ...rest]) => (tag === undefined ? [reply!, ...rest] : [reply!, `.tag=${tag}`, ...rest]));
      socket.write(Buffer.concat(tagged.map(encodeSentence)));
    };

    const cancel = (tag: string | undefined) => {
      const keys = tag === undefined ? [...pending.keys()] : pending.has(tag) ? [tag] : [];
      for (const key of keys) {
        const p = pending.get(key)!;
        clearTimeout(p.timer);
        pending.delete(key);
        finishInFlight();
        write(typeof key === 'string' ? key : undefined, trapSentences('interrupted', 2));
      }
    };

    const handle = (words: string[]) => {
      const cmd = parseSentence(words);
      state.counters.commandsTotal++;
      state.counters.commands[cmd.command] = (state.counters.commands[cmd.command] ?? 0) + 1;
      if (faults.acceptAndHang) return; // received, never answered
      if (cmd.command === '/cancel' && auth.loggedIn) {
        cancel(cmd.args.get('tag'));
        write(cmd.tag, [['!done']]);
        return;
      }
      state.counters.inFlight++;
      state.counters.maxInFlight = Math.max(state.counters.maxInFlight, state.counters.inFlight);
      const outcome: Reply | Promise<Reply> = faults.trapAll !== undefined && auth.loggedIn && !CONTROL_COMMANDS.has(cmd.command)
        ? { kind: 'sentences', sentences: trapSentences(faults.trapAll) }
        : execute(cmd, ctx);
      // A login through RADIUS answers when the RADIUS server has.
      if (outcome instanceof Promise) {
        outcome.then((reply) => answer(cmd, reply), () => answer(cmd, { kind: 'sentences', sentences: trapSentences('internal error') }));
      } else {
        answer(cmd, outcome);
      }
    };

    const answer = (cmd: ReturnType<typeof parseSentence>, reply: Reply) => {
      if (socket.destroyed) { finishInFlight(); return; }
      if (reply.kind === 'sentences') {
        if (reply.loginOk) state.counters.loginsSucceeded++;
        if (reply.loginFailed) state.counters.loginsFailed++;
        const applied = reply.sentences[0]?.[0] !== '!trap';
        if (applied && faults.dropAfterApply === cmd.command) {
          state.counters.droppedAfterApply++;
          finishInFlight();
          socket.destroy();
          return;
        }
      }
      const send = () => {
        finishInFlight();
        if (reply.kind === 'fatal') {
          // RouterOS sends the reason as a bare word after !fatal, untagged, then closes.
          if (!socket.destroyed) socket.end(encodeSentence(['!fatal', reply.message]));
          return;
        }
        write(cmd.tag, reply.sentences);
      };
      const delay = faults.replyDelayMs ?? 0;
      if (delay <= 0) { send(); return; }
      const key: string | symbol = cmd.tag ?? Symbol('untagged');
      const timer = setTimeout(() => { pending.delete(key); send(); }, delay);
      pending.set(key, { timer, send });
    };

    socket.on('data', (chunk: Buffer) => {
      let sentences: string[][];
      try {
        sentences = decoder.push(chunk);
      } catch (err) {
        if (err instanceof ProtocolError) { socket.destroy(); return; }
        throw err;
      }
      for (const words of sentences) {
        if (socket.destroyed) return;
        handle(words);
      }
    });
  }

  function onConnection(raw: net.Socket): void {
    if (faults.refuseConnections) { raw.destroy(); return; }
    sockets.add(raw);
    state.counters.connectionsAccepted++;
    state.counters.connectionsOpen++;
    raw.on('error', () => { /* see serveSession */ });
    raw.once('close', () => { sockets.delete(raw); state.counters.connectionsOpen--; });
    raw.setNoDelay(true);
    if (faults.acceptAndHang) return; // hold the TCP connection, never read, never answer
    if (tlsServer) tlsServer.emit('connection', raw);
    else serveSession(raw);
  }

  let server: net.Server | undefined;
  let port = options.port ?? 0;

  const listen = () => new Promise<void>((resolve, reject) => {
    const s = net.createServer(onConnection);
    s.once('error', reject);
    s.listen(port, host, () => {
      s.removeListener('error', reject);
      s.on('error', () => { /* accept errors (EMFILE...) must not kill the test process */ });
      port = (s.address() as net.AddressInfo).port;
      server = s;
      resolve();
    });
  });

  const stopListening = () => new Promise<void>((resolve) => {
    const s = server;
    server = undefined;
    if (!s) { resolve(); return; }
    s.close(() => resolve());
    dropConnections();
  });

  function dropConnections(): void {
    for (const socket of sockets) socket.destroy();
  }

  await listen();

  return {
    host,
    get port() { return port; },
    tls: Boolean(options.tls),
    version,
    username,
    password,
    state,
    faults: {
      get current() { return { ...faults }; },
      async set(next: SimFaults) {
        const wasRefusing = Boolean(faults.refuseConnections);
        faults = { ...faults, ...next };
        if (faults.refuseConnections && !wasRefusing) await stopListening();
        if (!faults.refuseConnections && wasRefusing) await listen();
      },
      async clear() {
        const wasRefusing = Boolean(faults.refuseConnections);
        faults = {};
        if (wasRefusing) await listen();
      },
    },
    dropConnections,
    async close() {
      faults = {};
      state.radius.close();
      for (const pending of sessionsPending) for (const p of pending.values()) clearTimeout(p.timer);
      await stopListening();
    },
  };
}
