/**
 * Re-encrypts every secret at rest with ENCRYPTION_KEY_MERCADO_PAGO, opening
 * old values with ENCRYPTION_KEY_MERCADO_PAGO_PREVIOUS (README, "Security").
 * Safe to run while the service runs and to run again.
 *
 *   ENCRYPTION_KEY_MERCADO_PAGO=<new> ENCRYPTION_KEY_MERCADO_PAGO_PREVIOUS=<old> npx tsx scripts/rotate-encryption-key.ts
 */
import { loadConfigOrExit } from '../src/platform/config';
import { createKnex } from '../src/platform/db/knex';
import { createSecretBox } from '../src/platform/crypto/secret-box';
import { resealAll } from '../src/platform/crypto/rotation';

async function main() {
  const config = loadConfigOrExit();
  if (!config.encryptionKey) {
    process.stderr.write('ENCRYPTION_KEY_MERCADO_PAGO (la clave nueva) es obligatoria\n');
    process.exit(1);
  }
  const knex = createKnex(config);
  try {
    const counts = await resealAll(knex, createSecretBox(config.encryptionKey, config.encryptionKeyPrevious));
    for (const [column, n] of Object.entries(counts)) process.stdout.write(`${column}: ${n} re-encrypted\n`);
  } finally {
    await knex.destroy();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`rotation failed: ${error.message}\n`);
  process.exit(1);
});
