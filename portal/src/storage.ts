/** localStorage with an expiry on every value, and the ids the portal makes. */
import { DEVICE_KEY, DEVICE_TTL_MS, LEGACY_KEYS } from './config';

export function uuid(): string {
  const c = window.crypto;
  if (c && typeof c.randomUUID === 'function') {
    try { return c.randomUUID(); } catch { /* solo en contextos seguros */ }
  }
  const b = new Uint8Array(16);
  if (c && c.getRandomValues) c.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  let h = '';
  for (let j = 0; j < 16; j++) h += (b[j]! < 16 ? '0' : '') + b[j]!.toString(16);
  return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
}

/** `{ v: value, exp: epoch ms }` under each key. */
export const storage = {
  get<T>(key: string, fallback: T): T {
    try {
      const raw = window.localStorage.getItem(key);
      const box = raw ? JSON.parse(raw) : null;
      if (!box || typeof box !== 'object' || typeof box.exp !== 'number') return fallback;
      if (box.exp <= Date.now()) { window.localStorage.removeItem(key); return fallback; }
      return box.v === undefined ? fallback : box.v;
    } catch { return fallback; }
  },
  set(key: string, value: unknown, ttlMs: number): boolean {
    try { window.localStorage.setItem(key, JSON.stringify({ v: value, exp: Date.now() + ttlMs })); return true; } catch { return false; }
  },
  remove(key: string): void {
    try { window.localStorage.removeItem(key); } catch { /* nada que borrar */ }
  },
};

/** Earlier versions kept passwords and personal data origin-wide, without expiry. */
export function forgetLegacyData(): void {
  LEGACY_KEYS.forEach((key) => { storage.remove(key); });
}

export function deviceId(): string {
  let id = storage.get<unknown>(DEVICE_KEY, null);
  if (typeof id !== 'string' || !/^[A-Za-z0-9-]{8,64}$/.test(id)) {
    id = uuid();
    storage.set(DEVICE_KEY, id, DEVICE_TTL_MS);
  }
  return id as string;
}
