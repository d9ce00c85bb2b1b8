/**
 * Runs the Mercado Pago sandbox standalone: `tsx sim/mercadopago/cli.ts [port]`
 * (or MERCADOPAGO_SANDBOX_PORT). Point MERCADOPAGO_API_URL at the printed URL.
 */
import { startMercadoPagoSandbox } from './sandbox';

async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? process.env['MERCADOPAGO_SANDBOX_PORT'] ?? 4020);
  const sandbox = await startMercadoPagoSandbox({ port, host: process.env['SANDBOX_HOST'] ?? '127.0.0.1' });
  process.stdout.write(`Mercado Pago sandbox listening on ${sandbox.url}\n`);
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
