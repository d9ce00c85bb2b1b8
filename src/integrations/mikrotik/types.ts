/** Shapes shared by the MikroTik client modules. */

/** Where and how to reach one router. `id` keys its pooled connection and circuit breaker. */
export interface RouterTarget {
  id: string;
  host: string;
  /** 8728 for the plain API, 8729 for API-SSL. */
  port: number;
  username: string;
  password: string;
  /** API-SSL. */
  tls?: boolean;
  /**
   * Accept any certificate, or none (RouterOS API-SSL without a certificate uses
   * anonymous Diffie-Hellman): encrypted but unauthenticated. Only for routers
   * whose operator chose that.
   */
  tlsInsecure?: boolean;
}

/** A reply row as node-routeros returns it: RouterOS property names, string values. */
export type RosRow = Record<string, string>;

export interface HotspotProfile {
  id: string;
  name: string;
  session_timeout: string | null;
  idle_timeout: string | null;
  keepalive_timeout: string | null;
  /** null when unlimited. */
  shared_users: number | null;
  rate_limit: string | null;
  address_list: string | null;
  address_pool: string | null;
  mac_cookie_timeout: string | null;
  add_mac_cookie: boolean | null;
  status_autorefresh: string | null;
  transparent_proxy: boolean | null;
  open_status_page: string | null;
  incoming_filter: string | null;
  outgoing_filter: string | null;
  parent_queue: string | null;
  is_default: boolean;
}

export interface HotspotUser {
  id: string;
  name: string;
  profile: string | null;
  server: string | null;
  comment: string | null;
  disabled: boolean;
  limit_uptime: string | null;
  limit_bytes_total: number | null;
  mac_address: string | null;
  uptime: string | null;
  bytes_in: number | null;
  bytes_out: number | null;
}

export interface CreateHotspotUserInput {
  name: string;
  password: string;
  profile: string;
  comment?: string;
  /** Seconds, or a RouterOS interval ("1h", "1d12h"). */
  limitUptime?: number | string;
  limitBytesTotal?: number | bigint | string;
  macAddress?: string;
  /** Hotspot server name; RouterOS default is "all". */
  server?: string;
}

export interface ActiveSession {
  id: string;
  server: string | null;
  user: string;
  address: string | null;
  mac_address: string | null;
  login_by: string | null;
  uptime: string | null;
  idle_time: string | null;
  session_time_left: string | null;
  bytes_in: number | null;
  bytes_out: number | null;
}

export interface LoginActiveInput {
  user: string;
  password: string;
  ip: string;
  mac: string;
}

export interface SystemResource {
  uptime: string | null;
  version: string | null;
  build_time: string | null;
  board_name: string | null;
  architecture_name: string | null;
  platform: string | null;
  cpu: string | null;
  cpu_count: number | null;
  cpu_load: number | null;
  free_memory: number | null;
  total_memory: number | null;
  free_hdd_space: number | null;
  total_hdd_space: number | null;
}

export interface ConnectionTestResult {
  ok: true;
  identity: string;
  version: string | null;
  board_name: string | null;
  uptime: string | null;
  /** Round trip of the identity and resource commands, connection setup included when there was one. */
  latency_ms: number;
}
