/**
 * The body of the voucher-sheet render thread (pdf-renderer.ts starts it): takes
 * one batch at a time and answers with the PDF's bytes or the error's message.
 * Whatever goes wrong here ends this thread at worst, never the web process.
 */
import { parentPort } from 'node:worker_threads';
import { renderLotePdf, type PrintableBatch } from './printing';

interface Request { id: number; batch: PrintableBatch }

parentPort!.on('message', (message: Request) => {
  const batch = message.batch;
  if (batch.empresa.logo) batch.empresa.logo = Buffer.from(batch.empresa.logo);
  renderLotePdf(batch).then(
    (pdf) => parentPort!.postMessage({ id: message.id, ok: true, pdf }, [pdf.buffer as ArrayBuffer]),
    (error: unknown) => parentPort!.postMessage({ id: message.id, ok: false, message: String((error as Error)?.message ?? error) }),
  );
});
