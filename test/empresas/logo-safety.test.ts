/**
 * Issue 21, items 1 and 10: a logo cannot crash or exhaust the web process.
 * Uploads are decoded by a bounded decoder and stored re-encoded; a logo stored
 * before that (or any bytes pdfkit chokes on) cannot take the process down,
 * because voucher sheets are rendered on a thread of their own; a refused upload
 * leaves no temporary file behind and says what was wrong.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { loginAs } from '../support/harness';
import { startStack, type Stack } from '../support/stack';
import { createPdfRenderer, type PrintableLote } from '../../src/features/fichas';
import { AppError } from '../../src/platform/errors';

const pdfParse = require('pdf-parse/lib/pdf-parse.js') as (data: Buffer) => Promise<{ text: string }>;

function crc32(data: Buffer): number {
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
function ihdr(width: number, height: number, colorType: number): Buffer {
  const h = Buffer.alloc(13);
  h.writeUInt32BE(width, 0); h.writeUInt32BE(height, 4); h[8] = 8; h[9] = colorType; h[10] = 0; h[11] = 0; h[12] = 0;
  return chunk('IHDR', h);
}
/** The finding's file: a PNG whose header says 16×16 RGBA and whose image data is not zlib (89 bytes, valid CRCs). */
const MALFORMED_PNG = Buffer.concat([SIGNATURE, ihdr(16, 16, 6), chunk('IDAT', Buffer.from('this is not zlib data, nor png!!', 'latin1')), chunk('IEND', Buffer.alloc(0))]);
/** A decompression bomb: 6000×6000 RGBA, all zero, a few hundred KB compressed. */
function bombPng(): Buffer {
  const row = Buffer.alloc(1 + 6000 * 4);
  const raw = Buffer.alloc(row.length * 6000);
  return Buffer.concat([SIGNATURE, ihdr(6000, 6000, 6), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

function batch(logo: Buffer | null, count = 3): PrintableLote {
  return {
    lote: { id: 'LOT_00000000AA', producto_nombre: '1 Hora', precio: '20.00', moneda: 'MXN' },
    empresa: { nombre: 'Hotel Sol', logo },
    loginUrl: 'http://10.5.50.1/login',
    fichas: Array.from({ length: count }, (_, i) => ({ codigo: `ABC${i}XYZ`, contrasena: null, contrasenaRouter: `ABC${i}XYZ`, estado: 'disponible', usada_en: null })),
  };
}

describe('logo safety: uploads decoded and bounded, sheets rendered off the web process', function () {
  this.timeout(60_000);
  let s: Stack;
  let token: string;
  before(async () => {
    s = await startStack({ worker: false });
    token = await loginAs(s.t, s.escenario.admin.email, s.escenario.admin.password);
  });
  after(async () => { await s.close(); });

  const upload = (data: Buffer, name = 'logo.png') => s.t.request.post('/api/v1/admin/mi-empresa/logo')
    .set('Authorization', `Bearer ${token}`).attach('file', data, { filename: name, contentType: 'image/png' });
  const storedLogos = () => s.t.container.knex('empresa_logos').where({ empresa_id: s.escenario.empresaId });

  it('refuses a PNG whose data does not decode (422 invalid_image) and stores nothing', async () => {
    expect(MALFORMED_PNG.length).to.equal(89);
    const res = await upload(MALFORMED_PNG);
    expect(res.status, JSON.stringify(res.body)).to.equal(422);
    expect(res.body).to.include({ code: 'invalid_image', field: 'file' });
    expect(res.body.detail).to.match(/dañada o no se puede leer/);
    expect(await storedLogos()).to.have.length(0);
  });

  it('refuses a decompression bomb by its declared pixels (422 image_too_large), without decoding it', async () => {
    const bomb = bombPng();
    expect(bomb.length).to.be.below(1024 * 1024);
    const res = await upload(bomb);
    expect(res.status, JSON.stringify(res.body)).to.equal(422);
    expect(res.body).to.include({ code: 'image_too_large' });
    expect(res.body.detail).to.match(/4096×4096 píxeles/);
    expect(await storedLogos()).to.have.length(0);
  });

  it('stores a real logo re-encoded as a small PNG (WebP and JPEG too), and prints it', async () => {
    const big = await sharp({ create: { width: 1600, height: 800, channels: 3, background: { r: 200, g: 30, b: 30 } } }).webp().toBuffer();
    const res = await upload(big, 'logo.webp');
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.logo_url).to.match(/\.png$/);
    expect(res.body.content_type).to.equal('image/png');
    const [row] = await storedLogos();
    const meta = await sharp(row.contenido as Buffer).metadata();
    expect(meta.format).to.equal('png');
    expect([meta.width, meta.height]).to.deep.equal([512, 256]);
  });

  it('a malformed logo already stored (before uploads were decoded) is left off the sheet: 200, and the process keeps serving', async () => {
    const nombre = `logo_${s.escenario.empresaId}_0123456789ab.png`;
    await s.t.container.knex.transaction(async (trx) => {
      await trx('empresa_logos').where({ empresa_id: s.escenario.empresaId }).delete();
      await trx('empresa_logos').insert({ nombre, empresa_id: s.escenario.empresaId, content_type: 'image/png', bytes: MALFORMED_PNG.length, contenido: MALFORMED_PNG });
      await trx('empresas').where({ id: s.escenario.empresaId }).update({ logo_nombre: nombre });
    });
    const lote = await s.t.request.post('/api/v1/admin/fichas/lotes').set('Authorization', `Bearer ${token}`).send({ producto_id: s.escenario.productoId, cantidad: 2 });
    expect(lote.status, JSON.stringify(lote.body)).to.equal(201);
    for (let i = 0; i < 2; i++) {
      const pdf = await s.t.request.get(`/api/v1/admin/fichas/lotes/${lote.body.id}/pdf`).set('Authorization', `Bearer ${token}`)
        .buffer(true).parse((res, cb) => { const c: Buffer[] = []; res.on('data', (d: Buffer) => c.push(d)); res.on('end', () => cb(null, Buffer.concat(c))); });
      expect(pdf.status).to.equal(200);
      expect((pdf.body as Buffer).toString('latin1')).not.to.contain('/Subtype /Image');
      expect((await pdfParse(pdf.body as Buffer)).text).to.contain(lote.body.fichas[0].codigo);
    }
    expect((await s.t.request.get('/health')).status).to.equal(200);
  });

  it('two files, the second over the limit: 400 saying one file, and no temporary file left', async () => {
    const before = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('pagos-logo-'));
    const small = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#00f' } }).png().toBuffer();
    for (let i = 0; i < 3; i++) {
      const res = await s.t.request.post('/api/v1/admin/mi-empresa/logo').set('Authorization', `Bearer ${token}`)
        .attach('file', small, { filename: 'a.png', contentType: 'image/png' })
        .attach('file', Buffer.alloc(1024 * 1024 + 100), { filename: 'b.png', contentType: 'image/png' });
      expect(res.status, JSON.stringify(res.body)).to.equal(400);
      expect(res.body.detail).to.equal('Envíe un solo archivo, en el campo "file"');
    }
    const oversized = await upload(Buffer.concat([small, Buffer.alloc(1024 * 1024 + 10)]));
    expect(oversized.status).to.equal(400);
    expect(oversized.body.detail).to.match(/tamaño máximo/);
    const after = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('pagos-logo-'));
    expect(after.filter((f) => !before.includes(f))).to.deep.equal([]);
  });
});

describe('voucher sheet render thread', function () {
  this.timeout(60_000);

  it('bytes that make pdfkit throw inside zlib end only the render thread: that sheet fails with a Spanish 500, the next one renders', async () => {
    const renderer = createPdfRenderer();
    try {
      let failure: unknown;
      await renderer.render(batch(MALFORMED_PNG)).catch((error) => { failure = error; });
      expect(failure).to.be.instanceOf(AppError);
      expect((failure as AppError).status).to.equal(500);
      expect((failure as AppError).errorCode).to.equal('pdf_render_failed');
      expect((failure as AppError).detail).to.match(/No se pudo generar el PDF/);
      const pdf = await renderer.render(batch(null, 30));
      const text = (await pdfParse(pdf)).text;
      expect(text).to.contain('ABC0XYZ');
      expect(text).to.contain('ABC29XYZ');
    } finally {
      await renderer.close();
    }
  });

  it('queues sheets one at a time and answers 503 with Retry-After past the queue', async () => {
    const renderer = createPdfRenderer({ maxQueued: 1 });
    try {
      const first = renderer.render(batch(null, 60));
      const second = renderer.render(batch(null, 1));
      let busy: unknown;
      await renderer.render(batch(null, 1)).catch((error) => { busy = error; });
      expect((busy as AppError).status).to.equal(503);
      expect((busy as AppError).headers['Retry-After']).to.equal('5');
      expect((await first).subarray(0, 5).toString()).to.equal('%PDF-');
      expect((await second).subarray(0, 5).toString()).to.equal('%PDF-');
    } finally {
      await renderer.close();
    }
  });

  it('a render past its deadline ends its thread and fails that sheet only', async () => {
    const renderer = createPdfRenderer({ timeoutMs: 1 });
    let failure: unknown;
    try {
      await renderer.render(batch(null, 500)).catch((error) => { failure = error; });
      expect((failure as AppError).errorCode).to.equal('pdf_render_failed');
    } finally {
      await renderer.close();
    }
  });
});
