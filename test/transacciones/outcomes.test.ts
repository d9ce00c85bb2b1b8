/**
 * The one mapping from a gateway's answer to a sale's transition and its
 * follow-up job (src/features/transacciones/outcomes.ts), on the fast layer:
 * the transitions store is the in-memory fake (its contract with PostgreSQL:
 * transitions-contract.test.ts), the jobs a list. Every path (purchase,
 * confirmation job, webhooks, reconciler) ends here; their flows end to end
 * are purchase.test.ts, resilience.test.ts, webhooks and the reconciler's files.
 */
import { expect } from 'chai';
import pino from 'pino';
import { createFollowUps, createOutcomeApplier, type TransaccionRow, type TransaccionesStore } from '../../src/features/transacciones';
import type { JobQueues } from '../../src/platform/jobs/queues';
import { newTransaccionId } from '../../src/platform/ids';
import { createFakeTransitionsStore } from '../support/fake-transacciones-store';

const CONFIRM_DELAY_MS = 5000;

function world(options: { redisDown?: boolean; provisionInline?: boolean } = {}) {
  const store = createFakeTransitionsStore();
  const jobs: Array<{ name: string; transaccionId: string; delay?: number }> = [];
  const notified: Array<[string, string]> = [];
  const queues = {
    async enqueue(name: string, payload: { transaccionId: string }, opts?: { delay?: number }) {
      if (options.redisDown) throw new Error('Redis did not answer in time');
      jobs.push({ name, transaccionId: payload.transaccionId, ...(opts?.delay ? { delay: opts.delay } : {}) });
    },
  } as unknown as JobQueues;
  const logger = pino({ level: 'silent' });
  const inline: string[] = [];
  const applier = createOutcomeApplier({
    // The applier asks only transition, update and event of the store: the fake has those (and get, history).
    transacciones: store as unknown as TransaccionesStore,
    enqueueOrLeave: createFollowUps({ jobs: queues, logger }),
    logger,
    confirmDelayMs: CONFIRM_DELAY_MS,
    notify: async (id, evento) => { notified.push([id, evento]); },
    ...(options.provisionInline ? { provisionInline: async (row: TransaccionRow) => { inline.push(row.id); return true; } } : {}),
  });
  const sale = (row: Partial<TransaccionRow> = {}) => store.seed({ id: newTransaccionId(), monto: '50.00', ...row });
  const states = async (id: string) => {
    const row = (await store.get(id))!;
    return [row.estado_pago, row.estado_hotspot];
  };
  return { store, applier, jobs, notified, inline, sale, states };
}

describe('transacciones: gateway outcome → transition (fast layer)', () => {
  it('paid: the sale is paid with the gateway id, its user is queued and the company told; the same answer again changes nothing', async () => {
    const w = world();
    const row = w.sale();
    expect(await w.applier.applyOutcome(row, { status: 'paid', gatewayId: 'ord_1', amountCents: 5000, transaccionId: row.id }, 'webhook')).to.equal('changed');
    expect(await w.store.get(row.id)).to.include({ estado_pago: 'paid', estado_hotspot: 'pending', gateway_id: 'ord_1' });
    expect(w.jobs).to.deep.equal([{ name: 'provision-user', transaccionId: row.id }]);
    expect(w.notified).to.deep.equal([[row.id, 'venta']]);
    const [event] = await w.store.history(row.id);
    expect(event).to.deep.include({ tipo: 'pago_aprobado', de: 'pending', a: 'paid' });
    expect(event!.detalle).to.include({ fuente: 'webhook' });

    expect(await w.applier.applyOutcome((await w.store.get(row.id))!, { status: 'paid', gatewayId: 'ord_1' }, 'confirmacion')).to.equal('unchanged');
    expect(w.jobs).to.have.length(1);
    expect(w.notified).to.have.length(1);
  });

  it('paid from unknown, and a late approval of an expired charge, still give access', async () => {
    const w = world();
    for (const estado_pago of ['unknown', 'expired'] as const) {
      const row = w.sale({ estado_pago });
      expect(await w.applier.applyOutcome(row, { status: 'paid' }, 'reconciler'), estado_pago).to.equal('changed');
      expect(await w.states(row.id)).to.deep.equal(['paid', 'pending']);
    }
    expect(w.jobs.map((j) => j.name)).to.deep.equal(['provision-user', 'provision-user']);
  });

  it('RADIUS mode: a sale provisioned inline queues no provisioning job', async () => {
    const w = world({ provisionInline: true });
    const row = w.sale();
    await w.applier.applyOutcome(row, { status: 'paid' }, 'webhook');
    expect(w.inline).to.deep.equal([row.id]);
    expect(w.jobs).to.deep.equal([]);
  });

  it('an amount that differs is held for review, with its history fact, and moves nothing', async () => {
    const w = world();
    const row = w.sale();
    expect(await w.applier.applyOutcome(row, { status: 'paid', amountCents: 4999 }, 'webhook')).to.equal('mismatch');
    const after = (await w.store.get(row.id))!;
    expect(after).to.include({ estado_pago: 'pending', requiere_revision: 'El monto cobrado por el gateway no coincide con el de la transacción' });
    const history = await w.store.history(row.id);
    expect(history.map((e) => e.tipo)).to.deep.equal(['monto_no_coincide']);
    expect(history[0]!.detalle).to.include({ cobrado: 4999, esperado: 5000 });
    expect(w.jobs).to.deep.equal([]);
    expect(w.notified).to.deep.equal([]);
  });

  it('an answer about another transaction is held for review and moves nothing', async () => {
    const w = world();
    const row = w.sale();
    expect(await w.applier.applyOutcome(row, { status: 'paid', transaccionId: newTransaccionId() }, 'webhook')).to.equal('mismatch');
    expect((await w.store.get(row.id))!).to.include({ estado_pago: 'pending', requiere_revision: 'La referencia del gateway no coincide con la transacción' });
    expect((await w.store.history(row.id)).map((e) => e.tipo)).to.deep.equal(['gateway_referencia_distinta']);
  });

  it('declined: only from pending or unknown, with its code and message, the access ended, and the company told', async () => {
    const w = world();
    const row = w.sale({ estado_pago: 'unknown' });
    const answer = { status: 'declined' as const, declineCode: 'card_declined', declineMessage: 'Tarjeta rechazada' };
    expect(await w.applier.applyOutcome(row, answer, 'confirmacion')).to.equal('changed');
    expect(await w.store.get(row.id)).to.include({ estado_pago: 'declined', estado_hotspot: 'disabled', decline_code: 'card_declined', decline_message: 'Tarjeta rechazada' });
    expect(w.notified).to.deep.equal([[row.id, 'rechazo']]);
    const paid = w.sale({ estado_pago: 'paid' });
    expect(await w.applier.applyOutcome(paid, answer, 'webhook')).to.equal('unchanged');
    expect(await w.states(paid.id)).to.deep.equal(['paid', 'active']);
    expect(w.jobs).to.deep.equal([]);
  });

  it('expired: only from pending or unknown; a paid sale is not expired by a late answer', async () => {
    const w = world();
    const row = w.sale();
    expect(await w.applier.applyOutcome(row, { status: 'expired' }, 'reconciler')).to.equal('changed');
    expect(await w.states(row.id)).to.deep.equal(['expired', 'pending']);
    const paid = w.sale({ estado_pago: 'paid' });
    expect(await w.applier.applyOutcome(paid, { status: 'expired' }, 'reconciler')).to.equal('unchanged');
  });

  it('refunded and charged back: the user is disabled by a job; a charge-back after a refund too', async () => {
    const w = world();
    const row = w.sale({ estado_pago: 'paid' });
    expect(await w.applier.applyOutcome(row, { status: 'refunded' }, 'webhook')).to.equal('changed');
    expect(await w.applier.applyOutcome(row, { status: 'charged_back' }, 'webhook')).to.equal('changed');
    expect(await w.applier.applyOutcome(row, { status: 'refunded' }, 'webhook')).to.equal('unchanged');
    expect(await w.states(row.id)).to.deep.equal(['charged_back', 'active']);
    expect(w.jobs).to.deep.equal([{ name: 'disable-user', transaccionId: row.id }, { name: 'disable-user', transaccionId: row.id }]);
  });

  it('an undecided lookup (pending, not found) moves nothing and queues nothing', async () => {
    const w = world();
    const row = w.sale();
    for (const status of ['pending', 'not_found'] as const) {
      expect(await w.applier.applyOutcome(row, { status }, 'confirmacion'), status).to.equal('undecided');
    }
    expect(await w.states(row.id)).to.deep.equal(['pending', 'pending']);
    expect(await w.store.history(row.id)).to.deep.equal([]);
    expect(w.jobs).to.deep.equal([]);
  });

  it('the charge\'s own answer: pending keeps the sale pending with the gateway id and asks again later; unknown moves it to unknown', async () => {
    const w = world();
    const review = w.sale();
    expect((await w.applier.applyCharge(review, { status: 'pending', gatewayId: 'ord_rev', gatewayStatus: 'in_process' })).result).to.equal('undecided');
    expect(await w.store.get(review.id)).to.include({ estado_pago: 'pending', gateway_id: 'ord_rev' });
    expect((await w.store.history(review.id)).map((e) => e.tipo)).to.deep.equal(['pago_en_revision']);

    const ambiguous = w.sale();
    expect((await w.applier.applyCharge(ambiguous, { status: 'unknown' })).result).to.equal('changed');
    expect(await w.states(ambiguous.id)).to.deep.equal(['unknown', 'pending']);
    expect(w.jobs).to.deep.equal([
      { name: 'confirm-charge', transaccionId: review.id, delay: CONFIRM_DELAY_MS },
      { name: 'confirm-charge', transaccionId: ambiguous.id, delay: CONFIRM_DELAY_MS },
    ]);
    // A paid answer to the charge is the same mapping as a lookup's.
    const paid = w.sale();
    expect((await w.applier.applyCharge(paid, { status: 'paid', gatewayId: 'ord_ok' })).result).to.equal('changed');
    expect(await w.store.get(paid.id)).to.include({ estado_pago: 'paid', gateway_id: 'ord_ok' });
  });

  it('Redis down: the transition stands and the job is left to the reconciler (never an error to the caller)', async () => {
    const w = world({ redisDown: true });
    const row = w.sale();
    expect(await w.applier.applyOutcome(row, { status: 'paid' }, 'webhook')).to.equal('changed');
    expect(await w.states(row.id)).to.deep.equal(['paid', 'pending']);
    expect(w.jobs).to.deep.equal([]);
  });
});
