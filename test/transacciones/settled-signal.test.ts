import { expect } from 'chai';
import { applySettledSignal, settledSignal, type TransaccionRow } from '../../src/features/transacciones';

/** The provisioning signal's message (issue 26): the request answers from it instead of reading the row. */
describe('transacciones: the state a provisioning signal carries', () => {
  const paid = {
    id: 'TRX_00000000000A', estado_pago: 'paid', estado_hotspot: 'pending', hotspot_usuario: 'u1', hotspot_password_enc: 'sealed-1',
    hotspot_expira_en: null, auto_conexion: null, ultimo_error: null, actualizado_en: new Date('2026-12-07T10:00:00Z'),
    cliente_email: 'ana@example.com', monto: '20.00',
  } as unknown as TransaccionRow;
  const active = {
    ...paid, estado_hotspot: 'active', hotspot_usuario: 'u2', hotspot_password_enc: 'sealed-2', hotspot_expira_en: new Date('2026-12-07T11:00:00Z'),
    auto_conexion: { estado: 'conectado', mensaje: 'ok' }, actualizado_en: new Date('2026-12-07T10:00:01Z'),
  } as TransaccionRow;

  it('carries what activation changes, not the customer\'s data, and restores it onto the row the request holds (dates as dates)', () => {
    const message = settledSignal(active);
    expect(message).not.to.contain('ana@example.com');
    const answered = applySettledSignal(paid, message)!;
    expect(answered).to.deep.equal(active);
    expect(answered.hotspot_expira_en).to.be.instanceOf(Date);
  });

  it('says nothing (the row is read) for an earlier worker\'s "1", another sale\'s state, or an unreadable or partial message', () => {
    expect(applySettledSignal(paid, '1')).to.equal(null);
    expect(applySettledSignal(paid, undefined)).to.equal(null);
    expect(applySettledSignal(paid, settledSignal({ ...active, id: 'TRX_00000000000B' } as TransaccionRow))).to.equal(null);
    expect(applySettledSignal(paid, '{not json')).to.equal(null);
    expect(applySettledSignal(paid, JSON.stringify({ settled: paid.id, fields: { estado_hotspot: 'active' } }))).to.equal(null);
  });

  it('says nothing for a field it cannot use as it is: a date that does not parse, a state that is not text (never an Invalid Date in the answer)', () => {
    const fields = JSON.parse(settledSignal(active)).fields as Record<string, unknown>;
    const bad = (change: Record<string, unknown>) => applySettledSignal(paid, JSON.stringify({ settled: paid.id, fields: { ...fields, ...change } }));
    expect(bad({ hotspot_expira_en: 'mañana' })).to.equal(null);
    expect(bad({ hotspot_expira_en: 12 })).to.equal(null);
    expect(bad({ actualizado_en: null })).to.equal(null);
    expect(bad({ estado_hotspot: 3 })).to.equal(null);
    expect(bad({ ultimo_error: { x: 1 } })).to.equal(null);
    expect(bad({ hotspot_expira_en: null })!.hotspot_expira_en, 'no expiry is a valid answer').to.equal(null);
  });
});
