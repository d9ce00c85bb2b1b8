/** `npm run migrate` (Procfile release phase) and `npm run migrate:rollback`. */
import { loadConfigOrExit } from '../config';
import { createKnex, MIGRATIONS_DIR } from './knex';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const knex = createKnex(config, 2);
  const action = process.argv[2] ?? 'latest';
  try {
    if (action === 'rollback') {
      const [batch, files] = await knex.migrate.rollback({ directory: MIGRATIONS_DIR, loadExtensions: ['.ts'] }, true);
      process.stdout.write(`rollback del lote ${batch}: ${files.length} migraciones\n`);
    } else {
      const [batch, files] = await knex.migrate.latest({ directory: MIGRATIONS_DIR, loadExtensions: ['.ts'] });
      process.stdout.write(`migraciones aplicadas (lote ${batch}): ${files.length}\n`);
    }
  } finally {
    await knex.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`la migración falló: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
