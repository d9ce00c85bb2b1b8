// For the knex CLI: `npx tsx node_modules/knex/bin/cli.js migrate:latest`.
import { loadConfig } from './src/config';
import { knexConfig } from './src/db/knex';

export default knexConfig(loadConfig(), 2);
