/** Where and how to reach a router: its row, with the password decrypted, for the RouterOS client. */
import type { RoutersStore } from './store';
import type { SecretBox } from '../../platform/crypto/secret-box';
import type { RouterTarget } from '../../integrations/mikrotik';

export interface RouterTargets {
  load(routerId: string): Promise<(RouterTarget & { activo: boolean; empresa_id: string }) | null>;
}

export function createRouterTargets(store: Pick<RoutersStore, 'findWithSecret'>, secrets: SecretBox): RouterTargets {
  return {
    async load(routerId) {
      const row = await store.findWithSecret(routerId);
      if (!row) return null;
      return {
        id: row.id, host: row.host, port: row.puerto, username: row.usuario, password: secrets.open(row.password_enc),
        tls: row.tls, tlsInsecure: row.tls_insecure, activo: row.activo, empresa_id: row.empresa_id,
      };
    },
  };
}
