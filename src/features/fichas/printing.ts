/**
 * A batch as a print-ready A4 sheet (pdfkit) and as CSV. Each card: company,
 * plan, price, code, password when there is one, and a QR that opens the
 * hotspot's login with the code filled in; dashed cutting guides between cards.
 */
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { FichaLote } from './models';

export interface PrintableLote {
  lote: Pick<FichaLote, 'id' | 'producto_nombre' | 'precio' | 'moneda'>;
  empresa: { nombre: string; logo?: Buffer | null };
  loginUrl: string;
  fichas: Array<{ codigo: string; contrasena?: string | null; contrasenaRouter: string; estado: string; usada_en: string | null }>;
}

const COLS = 3;
const ROWS = 7;
const MARGIN = 24;
/** The QR's side in points (~28 mm: scans from a phone at arm's length) leaves the text column room for the longest code. */
const QR_MAX = 80;
/** The code's and password's type size, shrunk (never below CODE_MIN_SIZE) until the whole code fits on one line. */
const CODE_SIZE = 11;
const CODE_MIN_SIZE = 6;

/** MikroTik's login page logs in from `?username=&password=` (the customer only taps "Conectar"). */
export function loginLink(loginUrl: string, codigo: string, password: string): string {
  const url = new URL(loginUrl);
  url.searchParams.set('username', codigo);
  url.searchParams.set('password', password);
  return url.toString();
}

function price(precio: string, moneda: string): string {
  return `$${precio} ${moneda}`;
}

/** The QR as vector squares (crisp when printed, and far cheaper than a PNG per card); runs of dark modules are one rectangle. */
function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const cell = size / n;
  doc.save().fillColor('#000000');
  for (let row = 0; row < n; row++) {
    let col = 0;
    while (col < n) {
      if (!qr.modules.get(row, col)) { col++; continue; }
      const start = col;
      while (col < n && qr.modules.get(row, col)) col++;
      doc.rect(x + start * cell, y + row * cell, (col - start) * cell, cell);
    }
  }
  doc.fill().restore();
}

/**
 * One line, never wrapped: pdfkit wraps text at its width even with `lineBreak: false`, so a
 * height of one line is what keeps it there (and makes `ellipsis` cut what does not fit).
 */
function oneLine(doc: PDFKit.PDFDocument, text: string, x: number, y: number, width: number, ellipsis = true): void {
  doc.text(text, x, y, { width, height: doc.currentLineHeight(true), ellipsis, lineBreak: false });
}

/** The largest size up to CODE_SIZE at which `text` fits `width` in the current font. */
function fittingSize(doc: PDFKit.PDFDocument, text: string, width: number): number {
  doc.fontSize(CODE_SIZE);
  const natural = doc.widthOfString(text);
  if (natural <= width) return CODE_SIZE;
  return Math.max(CODE_MIN_SIZE, Math.floor((CODE_SIZE * width * 10) / natural) / 10);
}

export async function renderLotePdf(sheet: PrintableLote): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: `Fichas ${sheet.lote.id}`, Author: sheet.empresa.nombre } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = (doc.page.width - MARGIN * 2) / COLS;
  const height = (doc.page.height - MARGIN * 2) / ROWS;
  const perPage = COLS * ROWS;
  const printable = sheet.fichas.filter((f) => f.estado !== 'anulada');
  // A logo pdfkit cannot read (corrupt bytes) is left out rather than failing the sheet.
  // Opened once and embedded once, however many cards show it.
  let logo: Buffer | null = null;
  if (sheet.empresa.logo) {
    try {
      logo = (doc as unknown as { openImage(src: Buffer): Buffer }).openImage(sheet.empresa.logo);
    } catch {
      logo = null;
    }
  }
  for (let i = 0; i < printable.length; i++) {
    if (i > 0 && i % perPage === 0) {
      doc.addPage();
      // A big batch is seconds of CPU: let the web process serve other requests between pages.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const ficha = printable[i]!;
    const slot = i % perPage;
    const x = MARGIN + (slot % COLS) * width;
    const y = MARGIN + Math.floor(slot / COLS) * height;
    // Cutting guides.
    doc.save().lineWidth(0.5).dash(3, { space: 3 }).strokeColor('#999999').rect(x, y, width, height).stroke().restore();
    const qrSize = Math.min(height - 20, QR_MAX);
    drawQr(doc, loginLink(sheet.loginUrl, ficha.codigo, ficha.contrasenaRouter), x + width - qrSize - 8, y + 10, qrSize);
    const textWidth = width - qrSize - 22;
    let nameX = x + 8;
    if (logo) {
      doc.image(logo, x + 8, y + 6, { fit: [24, 12] });
      nameX += 28;
    }
    doc.fillColor('#000000').font('Helvetica-Bold').fontSize(8);
    oneLine(doc, sheet.empresa.nombre, nameX, y + 8, textWidth - (nameX - x - 8));
    doc.font('Helvetica').fontSize(7.5);
    oneLine(doc, sheet.lote.producto_nombre, x + 8, y + 20, textWidth);
    doc.font('Helvetica-Bold').fontSize(9);
    oneLine(doc, price(sheet.lote.precio, sheet.lote.moneda), x + 8, y + 31, textWidth);
    doc.font('Helvetica').fontSize(6.5).fillColor('#555555');
    oneLine(doc, 'Código', x + 8, y + 47, textWidth);
    // The code is what the customer types: always whole (a prefix of up to 6 plus 8 characters), smaller type if need be.
    doc.font('Courier-Bold').fillColor('#000000');
    doc.fontSize(fittingSize(doc, ficha.codigo, textWidth));
    oneLine(doc, ficha.codigo, x + 8, y + 56, textWidth + 1, false);
    if (ficha.contrasena) {
      doc.font('Helvetica').fontSize(6.5).fillColor('#555555');
      oneLine(doc, 'Contraseña', x + 8, y + 72, textWidth);
      doc.font('Courier-Bold').fillColor('#000000');
      doc.fontSize(fittingSize(doc, ficha.contrasena, textWidth));
      oneLine(doc, ficha.contrasena, x + 8, y + 81, textWidth + 1, false);
    } else {
      doc.font('Helvetica').fontSize(6.5).fillColor('#555555').text('Escanea el QR o escribe el código en la página de acceso WiFi', x + 8, y + 74, { width: textWidth });
    }
  }
  if (printable.length === 0) doc.font('Helvetica').fontSize(12).text('Este lote no tiene fichas vigentes.');
  doc.end();
  return done;
}

const csvCell = (value: unknown) => {
  const text = value === null || value === undefined ? '' : String(value);
  // Quote everything; neutralise spreadsheet formulas.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
};

export function renderLoteCsv(sheet: PrintableLote): string {
  const header = ['codigo', 'contrasena', 'estado', 'plan', 'precio', 'moneda', 'lote_id', 'usada_en', 'url_acceso'];
  const lines = [header.join(',')];
  for (const f of sheet.fichas) {
    lines.push([
      f.codigo, f.contrasena ?? '', f.estado, sheet.lote.producto_nombre, sheet.lote.precio, sheet.lote.moneda, sheet.lote.id, f.usada_en ?? '',
      loginLink(sheet.loginUrl, f.codigo, f.contrasenaRouter),
    ].map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
