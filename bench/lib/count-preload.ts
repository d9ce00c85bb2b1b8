/**
 * Loaded into the bench's web and worker children with `--import` (bench only,
 * never in production): counts every PostgreSQL query (pg.Client#query, which
 * knex uses) and every Redis command (ioredis, which BullMQ and the rate
 * limiter use), by command. On SIGUSR2 it writes the counts to
 * $BENCH_COUNT_DIR/counts-<pid>.json, so the bench can tell round trips per
 * purchase per process exactly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(path.join(process.cwd(), 'package.json'));
const pg = require('pg') as typeof import('pg');
const Redis = require('ioredis') as typeof import('ioredis').default;

const counts = { pg: 0, pgByKind: {} as Record<string, number>, redis: 0, redisByCommand: {} as Record<string, number> };

const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
(pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function patchedQuery(this: unknown, ...args: unknown[]) {
  counts.pg++;
  const first = args[0] as string | { text?: string } | undefined;
  const text = typeof first === 'string' ? first : first?.text ?? '';
  const kind = /^\s*(with|select|insert|update|delete|begin|commit|rollback)/i.exec(text)?.[1]?.toLowerCase() ?? 'other';
  counts.pgByKind[kind] = (counts.pgByKind[kind] ?? 0) + 1;
  return query.apply(this, args);
};

const sendCommand = Redis.prototype.sendCommand as (...args: unknown[]) => unknown;
(Redis.prototype as unknown as { sendCommand: (...args: unknown[]) => unknown }).sendCommand = function patchedSend(this: unknown, ...args: unknown[]) {
  const command = args[0] as { name?: string } | undefined;
  const name = command?.name ?? '?';
  counts.redis++;
  counts.redisByCommand[name] = (counts.redisByCommand[name] ?? 0) + 1;
  return sendCommand.apply(this, args);
};

const dir = process.env.BENCH_COUNT_DIR;
if (dir) {
  process.on('SIGUSR2', () => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `counts-${process.pid}.json`), JSON.stringify(counts));
  });
}
