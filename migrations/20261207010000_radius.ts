import type { Knex } from 'knex';
import { radiusSchemaFor } from '../src/platform/db/radius-schema';

/**
 * RADIUS mode (issue 22): routers gain a mode, their own RADIUS secret and
 * router token (sealed; the token's sha256 for the heartbeat's lookup), and the
 * address and time of their last heartbeat; the API connection fields become
 * optional (the service requires them in api mode only).
 *
 * FreeRADIUS's tables are its stock PostgreSQL schema
 * (/etc/freeradius/3.0/mods-config/sql/main/postgresql/schema.sql, 3.2.1),
 * copied here so migrating never depends on the package being installed, in a
 * schema of their own (radiusSchemaFor) that FreeRADIUS's own role can be
 * limited to (README). nas.shortname is unique: one row per router.
 */
const STOCK_TABLES = `
CREATE TABLE radacct (
  RadAcctId bigserial PRIMARY KEY,
  AcctSessionId text NOT NULL,
  AcctUniqueId text NOT NULL UNIQUE,
  UserName text,
  Realm text,
  NASIPAddress inet NOT NULL,
  NASPortId text,
  NASPortType text,
  AcctStartTime timestamp with time zone,
  AcctUpdateTime timestamp with time zone,
  AcctStopTime timestamp with time zone,
  AcctInterval bigint,
  AcctSessionTime bigint,
  AcctAuthentic text,
  ConnectInfo_start text,
  ConnectInfo_stop text,
  AcctInputOctets bigint,
  AcctOutputOctets bigint,
  CalledStationId text,
  CallingStationId text,
  AcctTerminateCause text,
  ServiceType text,
  FramedProtocol text,
  FramedIPAddress inet,
  FramedIPv6Address inet,
  FramedIPv6Prefix inet,
  FramedInterfaceId text,
  DelegatedIPv6Prefix inet,
  Class text
);
CREATE INDEX radacct_active_session_idx ON radacct (AcctUniqueId) WHERE AcctStopTime IS NULL;
CREATE INDEX radacct_bulk_close ON radacct (NASIPAddress, AcctStartTime) WHERE AcctStopTime IS NULL;
CREATE INDEX radacct_start_user_idx ON radacct (AcctStartTime, UserName);
CREATE INDEX radacct_calss_idx ON radacct (Class);
CREATE INDEX radacct_open_user_idx ON radacct (UserName) WHERE AcctStopTime IS NULL;

CREATE TABLE radcheck (
  id serial PRIMARY KEY,
  UserName text NOT NULL DEFAULT '',
  Attribute text NOT NULL DEFAULT '',
  op VARCHAR(2) NOT NULL DEFAULT '==',
  Value text NOT NULL DEFAULT ''
);
CREATE INDEX radcheck_UserName ON radcheck (UserName, Attribute);

CREATE TABLE radgroupcheck (
  id serial PRIMARY KEY,
  GroupName text NOT NULL DEFAULT '',
  Attribute text NOT NULL DEFAULT '',
  op VARCHAR(2) NOT NULL DEFAULT '==',
  Value text NOT NULL DEFAULT ''
);
CREATE INDEX radgroupcheck_GroupName ON radgroupcheck (GroupName, Attribute);

CREATE TABLE radgroupreply (
  id serial PRIMARY KEY,
  GroupName text NOT NULL DEFAULT '',
  Attribute text NOT NULL DEFAULT '',
  op VARCHAR(2) NOT NULL DEFAULT '=',
  Value text NOT NULL DEFAULT ''
);
CREATE INDEX radgroupreply_GroupName ON radgroupreply (GroupName, Attribute);

CREATE TABLE radreply (
  id serial PRIMARY KEY,
  UserName text NOT NULL DEFAULT '',
  Attribute text NOT NULL DEFAULT '',
  op VARCHAR(2) NOT NULL DEFAULT '=',
  Value text NOT NULL DEFAULT ''
);
CREATE INDEX radreply_UserName ON radreply (UserName, Attribute);

CREATE TABLE radusergroup (
  id serial PRIMARY KEY,
  UserName text NOT NULL DEFAULT '',
  GroupName text NOT NULL DEFAULT '',
  priority integer NOT NULL DEFAULT 0
);
CREATE INDEX radusergroup_UserName ON radusergroup (UserName);

CREATE TABLE radpostauth (
  id bigserial PRIMARY KEY,
  username text NOT NULL,
  pass text,
  reply text,
  CalledStationId text,
  CallingStationId text,
  authdate timestamp with time zone NOT NULL default now(),
  Class text
);
CREATE INDEX radpostauth_username_idx ON radpostauth (username);
CREATE INDEX radpostauth_class_idx ON radpostauth (Class);

CREATE TABLE nas (
  id serial PRIMARY KEY,
  nasname text NOT NULL,
  shortname text NOT NULL UNIQUE,
  type text NOT NULL DEFAULT 'other',
  ports integer,
  secret text NOT NULL,
  server text,
  community text,
  description text
);
CREATE INDEX nas_nasname ON nas (nasname);

CREATE TABLE nasreload (
  NASIPAddress inet PRIMARY KEY,
  ReloadTime timestamp with time zone NOT NULL
);
`;

async function schemas(knex: Knex): Promise<{ app: string; radius: string }> {
  const result = await knex.raw('SELECT current_schema() AS s');
  const app = (result.rows as Array<{ s: string }>)[0]!.s;
  return { app, radius: radiusSchemaFor(app) };
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('routers', (t) => {
    t.text('modo').notNullable().defaultTo('api');
    t.text('radius_secret_enc');
    t.string('token_hash', 64).unique();
    t.text('token_enc');
    t.text('radius_direccion');
    t.timestamp('ultimo_latido', { useTz: true });
  });
  await knex.raw(`ALTER TABLE routers ADD CONSTRAINT routers_modo CHECK (modo IN ('api', 'radius'))`);
  await knex.raw(`ALTER TABLE routers ALTER COLUMN host DROP NOT NULL, ALTER COLUMN usuario DROP NOT NULL, ALTER COLUMN password_enc DROP NOT NULL`);
  await knex.raw(`CREATE INDEX routers_radius_direccion ON routers (radius_direccion) WHERE modo = 'radius'`);

  const { app, radius } = await schemas(knex);
  await knex.raw(`CREATE SCHEMA IF NOT EXISTS "${radius}"`);
  // The stock DDL names no schema: create it with the radius schema first in the path, then restore the app's.
  await knex.raw(`SET LOCAL search_path TO "${radius}"`);
  await knex.raw(STOCK_TABLES);
  await knex.raw(`SET LOCAL search_path TO "${app}"`);
}

export async function down(knex: Knex): Promise<void> {
  const { radius } = await schemas(knex);
  await knex.raw(`DROP SCHEMA IF EXISTS "${radius}" CASCADE`);
  await knex.raw(`DROP INDEX IF EXISTS routers_radius_direccion`);
  await knex.raw(`ALTER TABLE routers DROP CONSTRAINT routers_modo`);
  await knex.schema.alterTable('routers', (t) => {
    t.dropColumn('modo');
    t.dropColumn('radius_secret_enc');
    t.dropColumn('token_hash');
    t.dropColumn('token_enc');
    t.dropColumn('radius_direccion');
    t.dropColumn('ultimo_latido');
  });
}
