/**
 * Voucher sheets are rendered on a thread of their own, one at a time per process.
 *
 * A 1000-voucher sheet is seconds of CPU (QR codes and vector drawing): on the
 * web process's event loop it stalled every other tenant's requests, and an
 * error thrown inside pdfkit's zlib callbacks ended the process. On its own
 * thread the event loop stays free, the thread's heap is capped, a render that
 * runs away is ended by a deadline, and a thread that dies fails only its own
 * request (an answer with a Spanish detail); the next sheet starts a new one.
 * Sheets asked for while the thread is busy wait in a short queue; past it the
 * answer is a 503 with Retry-After.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError, ServiceUnavailableError } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import type { PrintableLote } from './printing';

export interface PdfRendererOptions {
  /** Sheets that may wait behind the one being rendered. */
  maxQueued?: number;
  /** A render that takes longer is ended (its thread too). */
  timeoutMs?: number;
  /** The render thread's heap cap. */
  maxHeapMb?: number;
  logger?: Logger;
}

export interface PdfRenderer {
  render(sheet: PrintableLote): Promise<Buffer>;
  close(): Promise<void>;
}

const FAILED = 'No se pudo generar el PDF de las fichas. Intente de nuevo en unos minutos; si se repite, contacte a soporte.';
const BUSY = 'Se están generando otras hojas de fichas. Intente de nuevo en unos segundos.';

interface Job { id: number; sheet: PrintableLote; resolve(pdf: Buffer): void; reject(error: Error): void }
type Reply = { id: number; ok: true; pdf: Uint8Array } | { id: number; ok: false; message: string };

/** The thread runs TypeScript like the process does: tsx's require hook first, then the worker's module. */
function bootstrap(): string {
  return `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(path.join(__dirname, 'pdf-worker.ts'))});`;
}

export function createPdfRenderer(options: PdfRendererOptions = {}): PdfRenderer {
  const maxQueued = options.maxQueued ?? 8;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const maxHeapMb = options.maxHeapMb ?? 192;
  const queue: Job[] = [];
  let worker: Worker | null = null;
  let current: Job | null = null;
  let timer: NodeJS.Timeout | null = null;
  let nextId = 1;
  let closed = false;

  const failed = (cause: unknown) => new AppError(500, FAILED, { code: 'pdf_render_failed', cause });

  function finish(job: Job, outcome: { pdf: Buffer } | { error: Error }) {
    if (current !== job) return;
    current = null;
    if (timer) clearTimeout(timer);
    timer = null;
    if ('pdf' in outcome) job.resolve(outcome.pdf);
    else job.reject(outcome.error);
    pump();
  }

  /** The thread is gone (crashed, out of memory, or ended by the deadline): its job fails; the next job starts a new one. */
  function lose(dead: Worker, cause: unknown) {
    if (worker !== dead) return;
    worker = null;
    options.logger?.error({ err: { message: String((cause as Error)?.message ?? cause) } }, 'voucher sheet render thread ended');
    if (current) finish(current, { error: failed(cause) });
  }

  function spawn(): Worker {
    const thread = new Worker(bootstrap(), { eval: true, resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } });
    thread.on('message', (reply: Reply) => {
      const job = current;
      if (!job || job.id !== reply.id) return;
      if (reply.ok) finish(job, { pdf: Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength) });
      else finish(job, { error: failed(new Error(reply.message)) });
    });
    thread.on('error', (error) => lose(thread, error));
    thread.on('exit', (code) => lose(thread, new Error(`render thread exited with code ${code}`)));
    thread.unref();
    return thread;
  }

  function pump() {
    if (current || closed) return;
    const job = queue.shift();
    if (!job) return;
    current = job;
    worker ??= spawn();
    const thread = worker;
    timer = setTimeout(() => {
      void thread.terminate();
      lose(thread, new Error(`render took longer than ${timeoutMs} ms`));
    }, timeoutMs);
    timer.unref();
    thread.postMessage({ id: job.id, sheet: job.sheet });
  }

  return {
    render(sheet) {
      if (closed) return Promise.reject(new ServiceUnavailableError(BUSY));
      if (queue.length >= maxQueued) {
        return Promise.reject(new ServiceUnavailableError(BUSY, { headers: { 'Retry-After': '5' } }));
      }
      return new Promise<Buffer>((resolve, reject) => {
        queue.push({ id: nextId++, sheet: plain(sheet), resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new ServiceUnavailableError(BUSY));
      const thread = worker;
      worker = null;
      if (current) finish(current, { error: new ServiceUnavailableError(BUSY) });
      if (thread) await thread.terminate();
    },
  };
}

/** Only what the sheet prints crosses to the thread (a model instance may carry what structured clone refuses). */
function plain(sheet: PrintableLote): PrintableLote {
  const { lote } = sheet;
  return {
    lote: { id: lote.id, producto_nombre: lote.producto_nombre, precio: lote.precio, moneda: lote.moneda },
    empresa: { nombre: sheet.empresa.nombre, logo: sheet.empresa.logo ?? null },
    loginUrl: sheet.loginUrl,
    fichas: sheet.fichas.map((f) => ({ codigo: f.codigo, contrasena: f.contrasena ?? null, contrasenaRouter: f.contrasenaRouter, estado: f.estado, usada_en: f.usada_en })),
  };
}
