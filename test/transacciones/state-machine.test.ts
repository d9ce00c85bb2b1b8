import { expect } from 'chai';
import {
  canTransition, HOTSPOT_TRANSITIONS, IllegalTransitionError, PAGO_TRANSITIONS, resolveTransition, sourcesOf, STATE_TIMESTAMP, STATES,
  TRANSITION_EVENTS, ESTADOS_HOTSPOT, ESTADOS_PAGO,
} from '../../src/features/transacciones';
import { startTestApp, type TestContext } from '../support/harness';
import { insertEscenario } from '../support/fixtures';
import { insertTransaccion } from '../support/cliente';

describe('transacciones: the state machine', function () {
  describe('declared transitions (unit)', () => {
    it('allows the moves ARCHITECTURE.md declares (Data model and states) and refuses the others', () => {
      const allowed: Array<[string, string]> = [['pending', 'paid'], ['unknown', 'paid'], ['expired', 'paid'], ['pending', 'unknown'],
        ['pending', 'declined'], ['unknown', 'expired'], ['paid', 'refunded'], ['paid', 'charged_back'], ['refunded', 'charged_back']];
      for (const [from, to] of allowed) expect(canTransition('estado_pago', from as never, to as never), `${from} → ${to}`).to.equal(true);
      const refused: Array<[string, string]> = [['paid', 'pending'], ['paid', 'declined'], ['declined', 'paid'], ['refunded', 'paid'],
        ['charged_back', 'refunded'], ['expired', 'declined'], ['paid', 'unknown'], ['unknown', 'pending']];
      for (const [from, to] of refused) expect(canTransition('estado_pago', from as never, to as never), `${from} → ${to}`).to.equal(false);

      expect(canTransition('estado_hotspot', 'pending', 'provisioning')).to.equal(true);
      expect(canTransition('estado_hotspot', 'provisioning', 'active')).to.equal(true);
      expect(canTransition('estado_hotspot', 'failed', 'provisioning')).to.equal(true);
      expect(canTransition('estado_hotspot', 'active', 'expired')).to.equal(true);
      expect(canTransition('estado_hotspot', 'pending', 'active')).to.equal(false);
      expect(canTransition('estado_hotspot', 'disabled', 'active')).to.equal(false);
      expect(canTransition('estado_hotspot', 'expired', 'active')).to.equal(false);
      expect(canTransition('estado_hotspot', 'failed', 'active')).to.equal(false);
    });

    it('every state is declared, every target is reachable, every event names a reachable state and its timestamp column', () => {
      expect(Object.keys(PAGO_TRANSITIONS).sort()).to.deep.equal([...ESTADOS_PAGO].sort());
      expect(Object.keys(HOTSPOT_TRANSITIONS).sort()).to.deep.equal([...ESTADOS_HOTSPOT].sort());
      for (const tos of Object.values(PAGO_TRANSITIONS)) for (const to of tos) expect(ESTADOS_PAGO).to.include(to);
      for (const tos of Object.values(HOTSPOT_TRANSITIONS)) for (const to of tos) expect(ESTADOS_HOTSPOT).to.include(to);
      for (const [event, { field, to }] of Object.entries(TRANSITION_EVENTS)) {
        expect(sourcesOf(field, to as never), event).to.not.be.empty;
        expect(STATES[field]).to.include(to);
      }
      expect(STATE_TIMESTAMP.estado_pago.paid).to.equal('pagado_en');
      expect(STATE_TIMESTAMP.estado_hotspot.active).to.equal('activado_en');
    });

    it('resolves an event to its column, target and start states, and refuses a start state the machine does not allow', () => {
      expect(resolveTransition('pago_aprobado')).to.deep.equal({ field: 'estado_pago', to: 'paid', from: ['pending', 'unknown', 'expired'], stamp: 'pagado_en' });
      expect(resolveTransition('pago_reembolsado', ['paid']).from).to.deep.equal(['paid']);
      expect(() => resolveTransition('pago_aprobado', ['declined'])).to.throw(IllegalTransitionError, /declined → paid/);
      expect(() => resolveTransition('usuario_activo', ['pending'])).to.throw(IllegalTransitionError, /pending → active/);
      expect(() => resolveTransition('pago_declinado', ['paid'])).to.throw(IllegalTransitionError);
    });
  });

  describe('against PostgreSQL', function () {
    this.timeout(30_000);
    let t: TestContext;
    before(async () => { t = await startTestApp(); });
    after(async () => t.close());

    const checkWords = async (name: string): Promise<string[]> => {
      const { rows } = await t.container.knex.raw(
        `SELECT pg_get_constraintdef(c.oid) AS def FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
          WHERE r.relname = 'transacciones' AND c.conname = ? AND r.relnamespace = current_schema()::regnamespace`, [name]);
      expect(rows, name).to.have.length(1);
      return [...(rows[0].def as string).matchAll(/'([a-z_]+)'::text/g)].map((m) => m[1]!).sort();
    };

    it("the migration's CHECK constraints list exactly the declared states", async () => {
      expect(await checkWords('transacciones_estado_pago')).to.deep.equal([...ESTADOS_PAGO].sort());
      expect(await checkWords('transacciones_estado_hotspot')).to.deep.equal([...ESTADOS_HOTSPOT].sort());
    });

    it('the store refuses a move the machine does not allow, writes nothing, and a lost race returns null', async () => {
      const escenario = await insertEscenario(t.container);
      const row = await insertTransaccion(t.container, { empresa_id: escenario.empresa.id, router_id: escenario.router.id });
      const refused = await t.container.transacciones.transition(row.id, { event: 'usuario_activo', from: ['pending'] }).then(() => null, (e: Error) => e);
      expect(refused).to.be.instanceOf(IllegalTransitionError);
      expect((await t.container.transacciones.get(row.id))!.estado_hotspot).to.equal('pending');

      // Allowed by the machine, but the row is not in the start state: the conditional UPDATE does nothing.
      expect(await t.container.transacciones.transition(row.id, { event: 'pago_reembolsado', from: ['paid'] })).to.equal(null);
      const paid = await t.container.transacciones.transition(row.id, { event: 'pago_aprobado', detail: { fuente: 'test' } });
      expect(paid).to.include({ estado_pago: 'paid' });
      expect(paid!.pagado_en).to.be.instanceOf(Date);
      expect(await t.container.transacciones.transition(row.id, { event: 'pago_aprobado' })).to.equal(null);
      const history = await t.container.transacciones.history(row.id);
      expect(history.map((e) => [e.tipo, e.de, e.a])).to.deep.equal([['pago_aprobado', 'pending', 'paid']]);
    });
  });
});
