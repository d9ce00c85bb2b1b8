// For the knex CLI: `npx tsx node_modules/knex/bin/cli.js migrate:latest`.
import { loadConfig } from './src/platform/config';
import { knexConfig } from './src/platform/db/knex';

export default knexConfig(loadConfig(), 2);
