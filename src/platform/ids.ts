/** Identifier formats of the wire contract (seed 003): one place decides them. */
import crypto from 'node:crypto';

const hex = (bytes: number) => crypto.randomBytes(bytes).toString('hex');

export const newEmpresaId = () => `EMP_${hex(5).toUpperCase()}`;
export const newRouterId = () => `RTR_${hex(4).toUpperCase()}`;
export const newApiKeyId = () => `key_${hex(8)}`;
export const newTransaccionId = () => `TRX_${hex(6).toUpperCase()}`;

export const ID_PATTERNS = {
  empresa: '^EMP_[0-9A-F]{10}$',
  router: '^RTR_[0-9A-F]{8}$',
  apiKey: '^key_[0-9a-f]{16}$',
  transaccion: '^TRX_[0-9A-F]{12}$',
} as const;
