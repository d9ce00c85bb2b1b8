import { expect } from 'chai';
import { CODE_ALPHABET, CODE_LENGTH, renderLotePdf, type FichaLote, type PrintableLote } from '../../src/features/fichas';

// pdf-parse 1.x: the library entry (the package index runs a debug script when required directly).
const pdfParse = require('pdf-parse/lib/pdf-parse.js') as (data: Buffer) => Promise<{ text: string; numpages: number }>;

/** A batch whose codes carry a prefix of `prefixLength` letters, each code different (the alphabet in turn). */
function batchWith(prefixLength: number, tipo: 'pin' | 'usuario_contrasena'): PrintableLote {
  const prefijo = 'WMWMWM'.slice(0, prefixLength);
  const fichas = Array.from({ length: 6 }, (_, i) => {
    const body = Array.from({ length: CODE_LENGTH }, (_, j) => CODE_ALPHABET[(i * 3 + j) % CODE_ALPHABET.length]).join('');
    return { codigo: `${prefijo}${body}`, contrasena: tipo === 'pin' ? null : 'K7M2QX', contrasenaRouter: 'K7M2QX', estado: 'disponible', usada_en: null };
  });
  const lote = {
    id: 'LOT_0123456789', producto_nombre: 'Plan 1 hora con un nombre largo', precio: '1500.00', moneda: 'MXN',
    tipo_usuario: tipo, prefijo: prefijo || null, cantidad: fichas.length,
  } as unknown as FichaLote;
  return { lote, empresa: { nombre: 'Hotel Posada del Sol y de la Luna' }, loginUrl: 'http://10.5.50.1/login', fichas };
}

describe('fichas: a printed voucher shows its whole code on one line', function () {
  this.timeout(30_000);
  for (const tipo of ['pin', 'usuario_contrasena'] as const) {
    for (let prefixLength = 0; prefixLength <= 6; prefixLength++) {
      it(`prefix of ${prefixLength} letters (${tipo}): every code is one unbroken line of the PDF's text`, async () => {
        const batch = batchWith(prefixLength, tipo);
        const { text } = await pdfParse(await renderLotePdf(batch));
        const lines = text.split('\n').map((l) => l.trim());
        for (const f of batch.fichas) {
          expect(f.codigo).to.have.length(prefixLength + CODE_LENGTH);
          // The code alone on its line: not cut, and nothing else (the "Escanea el QR…" hint) run into it.
          expect(lines, `${f.codigo} in ${JSON.stringify(lines.slice(0, 20))}`).to.include(f.codigo);
        }
      });
    }
  }
});
