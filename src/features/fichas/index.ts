/** The fichas feature's public entry: other features, the composition root and tests import only this. */
export * from './codes';
export type { EstadoFicha, Ficha, FichaLote } from './models';
export { ESTADOS_FICHA } from './models';
export * from './printing';
export { createPdfRenderer, type PdfRenderer } from './pdf-renderer';
export * from './routes';
export * from './service';
export * from './store';
export * from './fair-share';
