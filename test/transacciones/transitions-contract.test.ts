/**
 * A sale's state transitions, stored: the same cases against the real
 * transacciones store (one conditional UPDATE and its history row, in
 * PostgreSQL) and the in-memory fake the fast outcome tests use
 * (test/support/fake-transacciones-store.ts), so the fake cannot drift.
 */
import { expect } from 'chai';
import { IllegalTransitionError, type TransaccionRow } from '../../src/features/transacciones';
import { newTransaccionId } from '../../src/platform/ids';
import { pgErrorCode } from '../../src/platform/db/unique';
import { createFakeTransitionsStore, type TransitionsStore } from '../support/fake-transacciones-store';
import { insertTransaccion } from '../support/cliente';
import { insertEscenario } from '../support/fixtures';
import { startTestApp, type TestContext } from '../support/harness';

interface World {
  store: TransitionsStore;
  /** A new sale (pending, pending unless said otherwise). */
  sale(row?: Partial<TransaccionRow>): Promise<string>;
}

function contract(name: string, world: () => World) {
  describe(`transitions contract: ${name}`, () => {
    let store: TransitionsStore;
    beforeEach(() => { store = world().store; });
    const states = async (id: string) => {
      const row = (await store.get(id))!;
      return [row.estado_pago, row.estado_hotspot];
    };
    const moves = async (id: string) => (await store.history(id)).map((e) => [e.tipo, e.de, e.a]);

    it('refuses a move the machine does not allow, writing nothing', async () => {
      const id = await world().sale();
      const refused = await store.transition(id, { event: 'usuario_activo', from: ['pending'] }).then(() => null, (e: Error) => e);
      expect(refused).to.be.instanceOf(IllegalTransitionError);
      expect(await states(id)).to.deep.equal(['pending', 'pending']);
      expect(await store.history(id)).to.deep.equal([]);
    });

    it('a row not in a start state is left alone (null, no history): a lost race', async () => {
      const id = await world().sale();
      expect(await store.transition(id, { event: 'pago_reembolsado', from: ['paid'] })).to.equal(null);
      expect(await store.transition(id, { event: 'usuario_activo' })).to.equal(null);
      expect(await states(id)).to.deep.equal(['pending', 'pending']);
      expect(await store.history(id)).to.deep.equal([]);
    });

    it('a move sets its state, its timestamp and the extra columns, and writes its history row once', async () => {
      const id = await world().sale();
      const paid = await store.transition(id, { event: 'pago_aprobado', set: { gateway_id: 'ord_1' }, detail: { fuente: 'test' } });
      expect(paid).to.include({ estado_pago: 'paid', estado_hotspot: 'pending', gateway_id: 'ord_1' });
      expect(paid!.pagado_en).to.be.instanceOf(Date);
      expect(await store.transition(id, { event: 'pago_aprobado' })).to.equal(null);
      const history = await store.history(id);
      expect(history.map((e) => [e.tipo, e.de, e.a, e.detalle])).to.deep.equal([['pago_aprobado', 'pending', 'paid', { fuente: 'test' }]]);
      expect(history[0]!.creado_en).to.be.instanceOf(Date);
      expect(await store.get(id)).to.include({ estado_pago: 'paid', gateway_id: 'ord_1' });
    });

    it('a declined payment ends the access still pending in the same move (disabled, stamped); an ended one is left as it was', async () => {
      const id = await world().sale();
      const declined = await store.transition(id, { event: 'pago_declinado', from: ['pending', 'unknown'], set: { decline_code: 'card_declined', decline_message: 'No' } });
      expect(declined).to.include({ estado_pago: 'declined', estado_hotspot: 'disabled', decline_code: 'card_declined', decline_message: 'No' });
      expect(declined!['declinado_en']).to.be.instanceOf(Date);
      expect(declined!['deshabilitado_en']).to.be.instanceOf(Date);
      expect(await moves(id)).to.deep.equal([['pago_declinado', 'pending', 'declined']]);

      const ended = await world().sale({ estado_pago: 'unknown', estado_hotspot: 'disabled' });
      const again = await store.transition(ended, { event: 'pago_declinado' });
      expect(again).to.include({ estado_pago: 'declined', estado_hotspot: 'disabled' });
      expect(again!['deshabilitado_en'] ?? null).to.equal(null); // not stamped: it did not move now
    });

    it('the table refuses access that moves before the money (its CHECK), and writes nothing', async () => {
      const id = await world().sale();
      const error: unknown = await store.transition(id, { event: 'aprovisionando' }).then(() => null, (e: unknown) => e);
      expect(pgErrorCode(error)).to.equal('23514');
      expect(await states(id)).to.deep.equal(['pending', 'pending']);
      expect(await store.history(id)).to.deep.equal([]);
    });

    it('guards on the payment state and counts attempts', async () => {
      const id = await world().sale();
      expect(await store.transition(id, { event: 'aprovisionando', requirePago: ['paid'] })).to.equal(null);
      await store.transition(id, { event: 'pago_aprobado' });
      const first = await store.transition(id, { event: 'aprovisionando', requirePago: ['paid'], increment: ['intentos_aprovisionamiento'] });
      expect(first).to.include({ estado_hotspot: 'provisioning', intentos_aprovisionamiento: 1 });
      const again = await store.transition(id, { event: 'aprovisionando', increment: ['intentos_aprovisionamiento'], set: { ultimo_error: 'x' } });
      expect(again).to.include({ estado_hotspot: 'provisioning', intentos_aprovisionamiento: 2, ultimo_error: 'x' });
      expect(await moves(id)).to.deep.equal([
        ['pago_aprobado', 'pending', 'paid'], ['aprovisionando', 'pending', 'provisioning'], ['aprovisionando', 'provisioning', 'provisioning'],
      ]);
    });

    it('facts go to the history without a state; update sets columns; a charge is claimed once, and never once it has a gateway id', async () => {
      const id = await world().sale();
      await store.event(id, 'pago_en_revision', { gateway_status: 'in_process' });
      await store.update(id, { requiere_revision: 'monto' });
      expect(await store.get(id)).to.include({ requiere_revision: 'monto', estado_pago: 'pending' });
      expect((await store.history(id)).map((e) => [e.tipo, e.de, e.a, e.detalle])).to.deep.equal([['pago_en_revision', null, null, { gateway_status: 'in_process' }]]);
      expect(await store.claimCharge(id)).to.equal(true);
      expect(await store.claimCharge(id)).to.equal(false);
      expect((await store.get(id))!.cobro_iniciado_en).to.be.instanceOf(Date);
      const withGatewayId = await world().sale({ gateway_id: 'ord_9' });
      expect(await store.claimCharge(withGatewayId)).to.equal(false);
      expect(await store.get(newTransaccionId())).to.equal(undefined);
    });
  });
}

describe('transacciones transitions: the real store and its fake', () => {
  let t: TestContext;
  let real: World;
  before(async () => {
    t = await startTestApp();
    const escenario = await insertEscenario(t.container);
    real = {
      store: t.container.transacciones,
      sale: async (row = {}) => (await insertTransaccion(t.container, { empresa_id: escenario.empresa.id, router_id: escenario.router.id, ...row })).id,
    };
  });
  after(async () => { await t?.close(); });
  contract('PostgreSQL', () => real);

  let fake: World;
  beforeEach(() => {
    const store = createFakeTransitionsStore();
    fake = { store, sale: async (row = {}) => store.seed({ id: newTransaccionId(), ...row }).id };
  });
  contract('in-memory fake', () => fake);
});
