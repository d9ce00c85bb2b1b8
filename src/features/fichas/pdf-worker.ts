/**
 * The body of the voucher-sheet render thread (pdf-renderer.ts starts it): takes
 * one batch at a time and answers with the PDF's bytes or the error's message.
 * Whatever goes wrong here ends this thread at worst, never the web process.
 */
import { parentPort } from 'node:worker_threads';
import { renderLotePdf, type PrintableLote } from './printing';

interface Request { id: number; sheet: PrintableLote }

parentPort!.on('message', (message: Request) => {
  const sheet = message.sheet;
  if (sheet.empresa.logo) sheet.empresa.logo = Buffer.from(sheet.empresa.logo);
  renderLotePdf(sheet).then(
    (pdf) => parentPort!.postMessage({ id: message.id, ok: true, pdf }, [pdf.buffer as ArrayBuffer]),
    (error: unknown) => parentPort!.postMessage({ id: message.id, ok: false, message: String((error as Error)?.message ?? error) }),
  );
});
