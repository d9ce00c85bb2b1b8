/**
 * RouterOS reply rows (kebab-case keys, every value a string, absent when unset)
 * to the service's snake_case shapes with real types.
 */
import type { ActiveSession, HotspotProfile, HotspotUser, RosRow, SystemResource } from './types';

const text = (row: RosRow, key: string): string | null => {
  const v = row[key];
  return v === undefined || v === '' ? null : v;
};

const num = (row: RosRow, key: string): number | null => {
  const v = row[key];
  if (v === undefined || v === '' || !/^-?\d+(\.\d+)?$/.test(v)) return null;
  return Number(v);
};

const bool = (row: RosRow, key: string): boolean | null => {
  const v = row[key];
  if (v === 'true' || v === 'yes') return true;
  if (v === 'false' || v === 'no') return false;
  return null;
};

export function toProfile(row: RosRow): HotspotProfile {
  return {
    id: row['.id'] ?? '',
    name: row.name ?? '',
    session_timeout: text(row, 'session-timeout'),
    idle_timeout: text(row, 'idle-timeout'),
    keepalive_timeout: text(row, 'keepalive-timeout'),
    shared_users: num(row, 'shared-users'), // "unlimited" -> null
    rate_limit: text(row, 'rate-limit'),
    address_list: text(row, 'address-list'),
    address_pool: text(row, 'address-pool'),
    mac_cookie_timeout: text(row, 'mac-cookie-timeout'),
    add_mac_cookie: bool(row, 'add-mac-cookie'),
    status_autorefresh: text(row, 'status-autorefresh'),
    transparent_proxy: bool(row, 'transparent-proxy'),
    open_status_page: text(row, 'open-status-page'),
    incoming_filter: text(row, 'incoming-filter'),
    outgoing_filter: text(row, 'outgoing-filter'),
    parent_queue: text(row, 'parent-queue'),
    is_default: bool(row, 'default') ?? row.name === 'default',
  };
}

/** What we ask RouterOS for when reading users: everything but the password. */
export const USER_PROPLIST = '.id,name,profile,server,comment,disabled,limit-uptime,limit-bytes-total,mac-address,uptime,bytes-in,bytes-out';

export function toUser(row: RosRow): HotspotUser {
  return {
    id: row['.id'] ?? '',
    name: row.name ?? '',
    profile: text(row, 'profile'),
    server: text(row, 'server'),
    comment: text(row, 'comment'),
    disabled: bool(row, 'disabled') ?? false,
    limit_uptime: text(row, 'limit-uptime'),
    limit_bytes_total: num(row, 'limit-bytes-total'),
    mac_address: text(row, 'mac-address'),
    uptime: text(row, 'uptime'),
    bytes_in: num(row, 'bytes-in'),
    bytes_out: num(row, 'bytes-out'),
  };
}

export function toActiveSession(row: RosRow): ActiveSession {
  return {
    id: row['.id'] ?? '',
    server: text(row, 'server'),
    user: row.user ?? '',
    address: text(row, 'address'),
    mac_address: text(row, 'mac-address'),
    login_by: text(row, 'login-by'),
    uptime: text(row, 'uptime'),
    idle_time: text(row, 'idle-time'),
    session_time_left: text(row, 'session-time-left'),
    bytes_in: num(row, 'bytes-in'),
    bytes_out: num(row, 'bytes-out'),
  };
}

export function toSystemResource(row: RosRow): SystemResource {
  return {
    uptime: text(row, 'uptime'),
    version: text(row, 'version'),
    build_time: text(row, 'build-time'),
    board_name: text(row, 'board-name'),
    architecture_name: text(row, 'architecture-name'),
    platform: text(row, 'platform'),
    cpu: text(row, 'cpu'),
    cpu_count: num(row, 'cpu-count'),
    cpu_load: num(row, 'cpu-load'),
    free_memory: num(row, 'free-memory'),
    total_memory: num(row, 'total-memory'),
    free_hdd_space: num(row, 'free-hdd-space'),
    total_hdd_space: num(row, 'total-hdd-space'),
  };
}
