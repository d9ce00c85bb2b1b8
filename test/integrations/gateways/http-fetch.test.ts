import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpFetch } from '../../../src/integrations/gateways';

/** The gateway clients' small fetch over node:http (issue 26): what the Conekta client needs of it. */
describe('httpFetch (node:http for gateway calls)', () => {
  let server: http.Server;
  let base: string;
  const seen: Array<{ method?: string; headers: http.IncomingHttpHeaders; body: string }> = [];
  let hold: http.ServerResponse | null = null;

  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
      req.on('end', () => {
        seen.push({ method: req.method, headers: req.headers, body });
        if (req.url === '/hold') { hold = res; res.writeHead(200); res.write('{"parcial":'); return; }
        res.writeHead(req.url === '/missing' ? 404 : 201, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ ok: true, echo: body, acentos: 'pagó' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    hold?.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends method, headers and body, and answers status and text (UTF-8)', async () => {
    const res = await httpFetch(`${base}/orders`, { method: 'POST', headers: { Authorization: 'Basic abc', 'Content-Type': 'application/json' }, body: '{"monto":"20.00"}' });
    expect(res.status).to.equal(201);
    expect(JSON.parse(await res.text())).to.deep.equal({ ok: true, echo: '{"monto":"20.00"}', acentos: 'pagó' });
    const last = seen.at(-1)!;
    expect(last.method).to.equal('POST');
    expect(last.headers.authorization).to.equal('Basic abc');
    expect(last.headers['content-length']).to.equal('17');
    const missing = await httpFetch(`${base}/missing`, { method: 'GET', headers: {} });
    expect(missing.status).to.equal(404);
  });

  it('an abort before the answer rejects with AbortError; an abort while reading the body fails text()', async () => {
    const before = new AbortController();
    before.abort();
    const early = await httpFetch(`${base}/orders`, { method: 'GET', headers: {}, signal: before.signal }).then(() => null, (e: Error) => e);
    expect(early?.name).to.equal('AbortError');

    const during = new AbortController();
    const res = await httpFetch(`${base}/hold`, { method: 'GET', headers: {}, signal: during.signal });
    expect(res.status).to.equal(200);
    during.abort();
    const failed = await res.text().then(() => null, (e: Error) => e);
    expect(failed).to.be.instanceOf(Error);
  });

  it('a refused connection rejects (the caller maps it to a network failure)', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await httpFetch(`http://127.0.0.1:${port}/x`, { method: 'GET', headers: {} }).then(() => null, (e: Error) => e);
    expect(error).to.be.instanceOf(Error);
  });
});
