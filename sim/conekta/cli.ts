/**
 * Runs the Conekta sandbox standalone: `tsx sim/conekta/cli.ts [port]`
 * (or CONEKTA_SANDBOX_PORT). Point CONEKTA_API_URL at the printed URL.
 */
import { startConektaSandbox } from './sandbox';

async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? process.env['CONEKTA_SANDBOX_PORT'] ?? 4010);
  const sandbox = await startConektaSandbox({ port, host: process.env['SANDBOX_HOST'] ?? '127.0.0.1' });
  process.stdout.write(`Conekta sandbox listening on ${sandbox.url}\n`);
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
