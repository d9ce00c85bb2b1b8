/**
 * FreeRADIUS's configuration, rendered from our environment into a directory of
 * its own (`freeradius -f -d DIR`): a trimmed copy of Debian's stock tree
 * (3.2.1) with only the sql and sqlcounter modules (plus pap, chap and
 * expiration) and one site.
 *
 * - Users are keyed `<router id>:<user>` (sql_user_name =
 *   "%{client:shortname}:%{User-Name}"): the client, and so the router, comes
 *   from the packet's source address and shared secret, never from anything the
 *   router says about itself.
 * - Clients are dynamic: an unknown source address is looked up in `nas`
 *   (nasname = the address the router's heartbeat reported, shortname = router
 *   id, secret = its RADIUS secret) and cached for `clientLifetimeSeconds`, so a
 *   heartbeat's new address is served without a restart. Every client requires
 *   Message-Authenticator (BlastRADIUS): a wrong secret gets no answer.
 * - The post-auth query never writes a password (the stock one writes PAP
 *   passwords in clear, wrong ones included).
 * - Counters: `Max-All-Session` (never resets) and `Expire-After` (from the
 *   first login); their queries carry the `%{client:shortname}:` prefix
 *   themselves (SQL-User-Name is gone when a counter runs).
 */
import fs from 'node:fs';
import path from 'node:path';

/** Debian's stock tree (freeradius 3.2.1). */
/** FreeRADIUS's worker threads, and so its most simultaneous requests (each holds at most one SQL connection). */
export const RADIUS_MAX_THREADS = 32;

export const STOCK_RADDB = '/etc/freeradius/3.0';
export const FREERADIUS_BINARY = '/usr/sbin/freeradius';

export interface RadiusRenderOptions {
  /** Where to write (created if missing; its previous content is replaced). */
  dir: string;
  /** postgresql://user:password@host:port/db (RADIUS_DATABASE_URL, or DATABASE_URL). */
  databaseUrl: string;
  /** The PostgreSQL schema holding FreeRADIUS's tables (radiusSchemaFor). */
  schema: string;
  authPort: number;
  acctPort: number;
  /** IPv4 address to listen on (RADIUS_BIND). */
  bind: string;
  /** Seconds a client read from `nas` is cached; a heartbeat's change is served after at most this. */
  clientLifetimeSeconds?: number;
  /** Seconds before an Access-Reject is sent (FreeRADIUS's reject_delay: slows password guessing); tests use 0. */
  rejectDelaySeconds?: number;
  /** Database connections FreeRADIUS keeps. */
  poolSize?: number;
  stockDir?: string;
}

/** libpq quoting for a key=value connection string. */
function libpqValue(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * A libpq key=value string (what rlm_sql_postgresql takes as radius_db) from a
 * postgresql:// URL, with the schema as the connection's search_path. The
 * password is left out: FreeRADIUS logs radius_db at start, so the password
 * goes to it in PGPASSWORD (radiusEnvironment) instead.
 */
export function libpqConnectionString(databaseUrl: string, schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error('RADIUS schema name is not a plain identifier');
  const url = new URL(databaseUrl);
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new Error('RADIUS database URL must be postgres:// or postgresql://');
  const parts: string[] = [];
  const add = (key: string, value: string | null | undefined): void => {
    if (value) parts.push(`${key}=${libpqValue(value)}`);
  };
  add('host', decodeURIComponent(url.hostname));
  add('port', url.port);
  add('dbname', decodeURIComponent(url.pathname.replace(/^\//, '')));
  add('user', decodeURIComponent(url.username));
  const sslmode = url.searchParams.get('sslmode') ?? (url.searchParams.get('ssl') === 'true' ? 'require' : null);
  add('sslmode', sslmode);
  add('application_name', 'freeradius');
  add('options', `-c search_path=${schema}`);
  return parts.join(' ');
}

/** The environment FreeRADIUS runs with: libpq reads the database password from PGPASSWORD. */
export function radiusEnvironment(databaseUrl: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const password = decodeURIComponent(new URL(databaseUrl).password);
  const env: NodeJS.ProcessEnv = { ...base };
  delete env.PGPASSWORD;
  if (password) env.PGPASSWORD = password;
  return env;
}

/** A value inside a FreeRADIUS double-quoted string. */
function confString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/**
 * The stock PostgreSQL queries with our changes: the keyed user name, the
 * server's clock for accounting times (router clocks behind NAT are often
 * wrong), and a post-auth insert that records the router-keyed user and the
 * answer but never a password.
 */
export function renderQueries(stock: string): string {
  let queries = stock;
  const replace = (pattern: RegExp, replacement: string, what: string): void => {
    if (!pattern.test(queries)) throw new Error(`stock FreeRADIUS queries.conf changed: cannot find ${what}`);
    queries = queries.replace(pattern, replacement);
  };
  replace(/^sql_user_name = .*$/m, 'sql_user_name = "%{client:shortname}:%{User-Name}"', 'sql_user_name');
  replace(/^event_timestamp_epoch = .*$/m, 'event_timestamp_epoch = "%l"', 'event_timestamp_epoch');
  replace(
    /'%\{User-Name\}', \\\n\s*'%\{%\{User-Password\}:-%\{Chap-Password\}\}', \\/,
    "'%{client:shortname}:%{User-Name}', \\\n\t\t\tNULL, \\",
    'the post-auth insert',
  );
  if (/User-Password|Chap-Password/.test(queries)) throw new Error('a query still mentions a password attribute');
  return queries;
}

export function renderRadiusd(options: RadiusRenderOptions): string {
  const dir = confString(options.dir);
  const lifetime = options.clientLifetimeSeconds ?? 3;
  const rejectDelay = options.rejectDelaySeconds ?? 1;
  // One database connection per FreeRADIUS thread at most: rlm_sql does not queue, so a login that finds the
  // pool exhausted is rejected at once (bench/radius.ts saw a quarter of 32 simultaneous logins refused with 5).
  const pool = options.poolSize ?? RADIUS_MAX_THREADS;
  const db = confString(libpqConnectionString(options.databaseUrl, options.schema));
  // Which client an address is: one nas row per router (shortname = router id), nasname = its heartbeat address.
  const nasLookup = (column: string): string =>
    `%{sql:SELECT ${column} FROM nas WHERE nasname = '%{Packet-Src-IP-Address}' ORDER BY id LIMIT 1}`;
  return `# Rendered by src/integrations/radius/config.ts: edit that file, not this one.
prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = /var
sbindir = \${exec_prefix}/sbin
logdir = "${dir}"
raddbdir = "${dir}"
radacctdir = "${dir}/radacct"
name = freeradius
confdir = \${raddbdir}
modconfdir = \${confdir}/mods-config
run_dir = "${dir}"
db_dir = "${dir}"
libdir = /usr/lib/freeradius
pidfile = \${run_dir}/radiusd.pid
correct_escapes = true
max_request_time = 30
cleanup_delay = 5
max_requests = 16384
hostname_lookups = no

log {
	destination = stdout
	colourise = no
	stripped_names = no
	auth = no
}

security {
	allow_core_dumps = no
	max_attributes = 200
	reject_delay = ${rejectDelay}
	status_server = no
}

thread pool {
	start_servers = 4
	max_servers = ${RADIUS_MAX_THREADS}
	min_spare_servers = 2
	max_spare_servers = 8
	max_requests_per_server = 0
	auto_limit_acct = no
}

# Every router is a dynamic client read from nas; Message-Authenticator is required of all.
client routers {
	ipaddr = 0.0.0.0/0
	proto = udp
	secret = "unused-dynamic-clients-only"
	require_message_authenticator = yes
	dynamic_clients = dynamic_clients
	lifetime = ${lifetime}
}

modules {
	pap {
		normalise = yes
	}
	chap {
	}
	expiration {
	}
	# %{tolower:…} and %{md5:…} (the accounting queries' reference, acct_unique).
	expr {
		safe_characters = "@abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_: /"
	}
	always reject {
		rcode = reject
	}
	always ok {
		rcode = ok
	}
	always fail {
		rcode = fail
	}
	sql {
		dialect = "postgresql"
		driver = "rlm_sql_postgresql"
		postgresql {
			send_application_name = yes
		}
		radius_db = "${db}"
		acct_table1 = "radacct"
		acct_table2 = "radacct"
		postauth_table = "radpostauth"
		authcheck_table = "radcheck"
		groupcheck_table = "radgroupcheck"
		authreply_table = "radreply"
		groupreply_table = "radgroupreply"
		usergroup_table = "radusergroup"
		delete_stale_sessions = yes
		read_groups = yes
		read_profiles = no
		read_clients = no
		client_table = "nas"
		group_attribute = "SQL-Group"
		pool {
			start = 1
			min = 1
			max = ${pool}
			spare = ${Math.min(4, Math.max(1, pool - 1))}
			uses = 0
			retry_delay = 5
			lifetime = 0
			idle_timeout = 60
		}
		$INCLUDE \${modconfdir}/sql/main/postgresql/queries.conf
	}
	# Seconds used of all sessions (radcheck Max-All-Session): Session-Timeout gets the remainder; none left: Reject.
	sqlcounter max_all_session {
		sql_module_instance = sql
		dialect = postgresql
		counter_name = Max-All-Session-Time
		check_name = Max-All-Session
		reply_name = Session-Timeout
		key = User-Name
		reset = never
		query = "SELECT COALESCE(SUM(AcctSessionTime), 0) FROM radacct WHERE UserName = '%{client:shortname}:%{\${key}}'"
	}
	# Seconds since the first login (radcheck Expire-After): validity counted from first use.
	sqlcounter expire_after {
		sql_module_instance = sql
		dialect = postgresql
		counter_name = Expire-After-Initial-Login
		check_name = Expire-After
		reply_name = Session-Timeout
		key = User-Name
		reset = never
		query = "SELECT COALESCE(EXTRACT(EPOCH FROM (NOW() - AcctStartTime))::bigint, 0) FROM radacct WHERE UserName = '%{client:shortname}:%{\${key}}' ORDER BY AcctStartTime LIMIT 1"
	}
}

instantiate {
}

policy {
	# One accounting row per router and session: the router's own session id is unique only on that router.
	acct_unique {
		update request {
			&Acct-Unique-Session-Id := "%{md5:%{client:shortname},%{User-Name},%{Acct-Session-Id},%{%{NAS-Port-ID}:-%{NAS-Port}}}"
		}
	}
}

server dynamic_clients {
	authorize {
		if ("${nasLookup('shortname')}") {
			update control {
				&FreeRADIUS-Client-IP-Address = "%{Packet-Src-IP-Address}"
				&FreeRADIUS-Client-Require-MA = yes
				&FreeRADIUS-Client-Shortname = "${nasLookup('shortname')}"
				&FreeRADIUS-Client-Secret = "${nasLookup('secret')}"
				&FreeRADIUS-Client-NAS-Type = "other"
			}
			ok
		}
		else {
			fail
		}
	}
}

server default {
	listen {
		type = auth
		ipaddr = ${options.bind}
		port = ${options.authPort}
		limit {
			max_connections = 0
			lifetime = 0
			idle_timeout = 0
		}
	}
	listen {
		type = acct
		ipaddr = ${options.bind}
		port = ${options.acctPort}
	}

	authorize {
		chap
		sql
		expiration
		max_all_session
		expire_after
		pap
	}

	authenticate {
		Auth-Type PAP {
			pap
		}
		Auth-Type CHAP {
			chap
		}
	}

	preacct {
		acct_unique
	}

	accounting {
		sql
	}

	session {
		sql
	}

	post-auth {
		sql
		Post-Auth-Type REJECT {
			sql
		}
	}
}
`;
}

/** Writes the configuration into options.dir (mode 0700). FreeRADIUS then runs with radiusEnvironment(databaseUrl). */
export function renderRadiusConfig(options: RadiusRenderOptions): string {
  const stockDir = options.stockDir ?? STOCK_RADDB;
  const stockQueries = path.join(stockDir, 'mods-config/sql/main/postgresql/queries.conf');
  if (!fs.existsSync(stockQueries)) {
    throw new Error(`FreeRADIUS is not installed (${stockQueries} is missing): apt-get install freeradius freeradius-postgresql freeradius-utils`);
  }
  fs.mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(options.dir, 0o700);
  const sqlDir = path.join(options.dir, 'mods-config/sql/main/postgresql');
  fs.mkdirSync(sqlDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(sqlDir, 'queries.conf'), renderQueries(fs.readFileSync(stockQueries, 'utf8')), { mode: 0o600 });
  fs.copyFileSync(path.join(stockDir, 'dictionary'), path.join(options.dir, 'dictionary'));
  fs.writeFileSync(path.join(options.dir, 'radiusd.conf'), renderRadiusd(options), { mode: 0o600 });
  return options.dir;
}
