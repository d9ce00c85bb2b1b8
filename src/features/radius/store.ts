/**
 * The only code that reads or writes FreeRADIUS's tables for sales and
 * vouchers (radcheck, radreply, radusergroup; radacct for accounting), and a
 * router's mode.
 *
 * The tables live in the FreeRADIUS schema of this deployment
 * (radiusSchemaFor(app schema)); every query names it with `withSchema`.
 * FreeRADIUS only writes radacct and radpostauth; we write the users and, for
 * the rebooted-router sweep, close stale radacct rows.
 */
import type { Knex } from 'knex';
import { raw, type Tx } from '../../platform/db/objection';
import { radiusSchemaFor } from '../../platform/db/radius-schema';
import { RadAcctModel, RadCheckModel, RadReplyModel, RadUserGroupModel, RouterModoModel } from './models';
import type { RadiusRow } from './plan';

export type RouterModo = 'api' | 'radius';

/** An open session as accounting shows it. */
export interface OpenSession {
  radacctid: string;
  username: string;
  acctsessionid: string;
  callingstationid: string | null;
  framedipaddress: string | null;
  acctstarttime: Date | null;
  acctupdatetime: Date | null;
  acctsessiontime: number | null;
  acctinputoctets: number | null;
  acctoutputoctets: number | null;
}

/** Users per multi-row statement: ~6 rows of 4 columns each stays far below PostgreSQL's 65,535 parameters. */
const WRITE_CHUNK = 500;

/** What is written for one user. */
export interface UserRows {
  check: RadiusRow[];
  reply: RadiusRow[];
  group: string;
}

const num = (value: string | number | null | undefined): number | null => (value === null || value === undefined ? null : Number(value));

export function createRadiusStore(knex: Knex, appSchema: string | null | undefined) {
  const schema = radiusSchemaFor(appSchema);
  const db = (tx?: Tx) => (tx ? (tx as unknown as Knex.Transaction) : knex);
  const check = (tx?: Tx) => RadCheckModel.query(db(tx)).withSchema(schema);
  const reply = (tx?: Tx) => RadReplyModel.query(db(tx)).withSchema(schema);
  const groups = (tx?: Tx) => RadUserGroupModel.query(db(tx)).withSchema(schema);
  const acct = () => RadAcctModel.query(knex).withSchema(schema);

  async function remove(username: string, tx?: Tx): Promise<void> {
    await check(tx).delete().where({ username });
    await reply(tx).delete().where({ username });
    await groups(tx).delete().where({ username });
  }

  return {
    schema,

    /** A router's mode; undefined when the router does not exist. */
    async routerModo(routerId: string): Promise<RouterModo | undefined> {
      const row = await RouterModoModel.query(knex).select('modo').where({ id: routerId }).first();
      return row ? row.modo : undefined;
    },

    /** A router's mode and whether it is active; undefined when it does not exist. */
    async router(routerId: string): Promise<{ modo: RouterModo; activo: boolean } | undefined> {
      const row = await RouterModoModel.query(knex).select('modo', 'activo').where({ id: routerId }).first();
      return row ? { modo: row.modo, activo: row.activo } : undefined;
    },

    /** Routers in RADIUS mode among these (one query). */
    async radiusRouters(routerIds: readonly string[]): Promise<string[]> {
      if (routerIds.length === 0) return [];
      const rows = await RouterModoModel.query(knex).select('id').whereIn('id', [...routerIds]).where({ modo: 'radius' });
      return rows.map((r) => r.id);
    },

    /** Replaces every row of a user in one transaction: writing twice is writing once. */
    async writeUser(username: string, rows: UserRows): Promise<void> {
      await this.writeUsers([{ username, ...rows }]);
    },

    /**
     * Replaces every row of many users (a voucher batch) at once: a few
     * multi-row statements per chunk of users, all in one transaction (the
     * caller's, when given: a batch and its rows commit together).
     */
    async writeUsers(users: ReadonlyArray<UserRows & { username: string }>, tx?: Tx): Promise<void> {
      if (users.length === 0) return;
      const write = async (t: Tx) => {
        for (let i = 0; i < users.length; i += WRITE_CHUNK) {
          const chunk = users.slice(i, i + WRITE_CHUNK);
          const names = chunk.map((u) => u.username);
          await check(t).delete().whereIn('username', names);
          await reply(t).delete().whereIn('username', names);
          await groups(t).delete().whereIn('username', names);
          await check(t).insert(chunk.flatMap((u) => u.check.map((r) => ({ username: u.username, ...r }))) as never);
          const replies = chunk.flatMap((u) => u.reply.map((r) => ({ username: u.username, ...r })));
          if (replies.length > 0) await reply(t).insert(replies as never);
          await groups(t).insert(chunk.map((u) => ({ username: u.username, groupname: u.group, priority: 1 })) as never);
        }
      };
      if (tx) await write(tx);
      else await knex.transaction((trx) => write(trx as unknown as Tx));
    },

    /** The next login is refused (Auth-Type := Reject); false when the user has no rows. */
    async disableUser(username: string): Promise<boolean> {
      return knex.transaction(async (trx) => {
        const tx = trx as unknown as Tx;
        const exists = await check(tx).where({ username }).first();
        if (!exists) return false;
        await check(tx).delete().where({ username, attribute: 'Auth-Type' });
        await check(tx).insert({ username, attribute: 'Auth-Type', op: ':=', value: 'Reject' } as never);
        return true;
      });
    },

    /** The user's rows are gone: the sale or voucher ended. */
    deleteUser: (username: string) => remove(username),

    /** The attributes of a user as written (tests and support). */
    async userRows(username: string): Promise<{ check: RadiusRow[]; reply: RadiusRow[] }> {
      const cols = ['attribute', 'op', 'value'] as const;
      return {
        check: (await check().select(...cols).where({ username }).orderBy('id')) as unknown as RadiusRow[],
        reply: (await reply().select(...cols).where({ username }).orderBy('id')) as unknown as RadiusRow[],
      };
    },

    /** Of these usernames, those accounting has seen start a session (and when first). */
    async firstStarts(usernames: readonly string[]): Promise<Map<string, Date>> {
      if (usernames.length === 0) return new Map();
      const rows = await acct().select('username', raw('min(coalesce(acctstarttime, acctupdatetime)) as first'))
        .whereIn('username', [...usernames]).groupBy('username') as unknown as Array<{ username: string; first: Date | null }>;
      return new Map(rows.filter((r) => r.first).map((r) => [r.username, new Date(r.first!)]));
    },

    /** Seconds used by a user over all its sessions (up to each session's last update). */
    async secondsUsed(username: string): Promise<number> {
      const row = await acct().select(raw('coalesce(sum(acctsessiontime), 0)::bigint as used')).where({ username }).first() as unknown as { used: string | number };
      return Number(row?.used ?? 0);
    },

    /** Whether a user has a session open now. */
    async isOnline(username: string): Promise<boolean> {
      return Boolean(await acct().select('radacctid').where({ username }).whereNull('acctstoptime').first());
    },

    /** Open sessions of a router's users (its usernames start with `<router id>:`). */
    async openSessions(routerId: string): Promise<OpenSession[]> {
      // LIKE on a prefix that can hold `_` (RTR_…): escape it so only this router's users match.
      const prefix = `${routerId}:`.replace(/[\\%_]/g, (c) => `\\${c}`);
      const rows = await acct()
        .select('radacctid', 'username', 'acctsessionid', 'callingstationid', raw('host(framedipaddress) as framedipaddress'), 'acctstarttime',
          'acctupdatetime', 'acctsessiontime', 'acctinputoctets', 'acctoutputoctets')
        .whereNull('acctstoptime').where('username', 'like', `${prefix}%`).orderBy('acctstarttime').limit(5000);
      return rows.map((r) => ({
        radacctid: String(r.radacctid), username: r.username, acctsessionid: r.acctsessionid, callingstationid: r.callingstationid,
        framedipaddress: r.framedipaddress, acctstarttime: r.acctstarttime, acctupdatetime: r.acctupdatetime,
        acctsessiontime: num(r.acctsessiontime), acctinputoctets: num(r.acctinputoctets), acctoutputoctets: num(r.acctoutputoctets),
      }));
    },

    /**
     * Closes sessions with no word (start or interim) for three intervals: a
     * router that rebooted never sent their Stop, and with Simultaneous-Use the
     * user would stay locked out. Stop time = the last word. Returns how many.
     */
    async closeStale(now: Date, defaultIntervalSeconds: number): Promise<number> {
      const last = 'coalesce(acctupdatetime, acctstarttime)';
      const closed = await acct().patch({
        acctstoptime: raw(last), acctterminatecause: 'Lost-Service',
      } as never).whereNull('acctstoptime')
        .whereRaw(`${last} < ?::timestamptz - make_interval(secs => 3 * coalesce(nullif(acctinterval, 0), ?))`, [now.toISOString(), defaultIntervalSeconds]);
      return Number(closed);
    },
  };
}

export type RadiusStore = ReturnType<typeof createRadiusStore>;
