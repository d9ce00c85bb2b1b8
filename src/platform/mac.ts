/**
 * MAC addresses, in one place: what a request may send (`AA:BB:…` or
 * `AA-BB-…`, any case) and the one form the service stores and sends to
 * routers (`AA:BB:CC:DD:EE:FF`).
 */

/** JSON schema pattern for a MAC field in a request body. */
export const MAC_PATTERN = '^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$';
const MAC = new RegExp(MAC_PATTERN);

export function isMac(value: string): boolean {
  return MAC.test(value.trim());
}

/** `aa-bb-cc-dd-ee-ff` → `AA:BB:CC:DD:EE:FF`; null when it is not a MAC address. */
export function normalizeMac(value: string): string | null {
  const mac = value.trim();
  if (!MAC.test(mac)) return null;
  return mac.replace(/-/g, ':').toUpperCase();
}
