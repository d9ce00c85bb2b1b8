/**
 * The radius feature's view of the tables it reads or writes.
 *
 * FreeRADIUS's own tables (stock PostgreSQL schema) live in a schema of their
 * own (`radiusSchemaFor(appSchema)`): the store picks it per query with
 * `withSchema`, so each test scope (and each deployment) uses its own.
 */
import { BaseModel } from '../../platform/db/objection';

/** radcheck / radreply: one attribute of one user (`<router id>:<user>`). */
export class RadCheckModel extends BaseModel {
  static override tableName = 'radcheck';
  declare id: number;
  declare username: string;
  declare attribute: string;
  declare op: string;
  declare value: string;
}

export class RadReplyModel extends BaseModel {
  static override tableName = 'radreply';
  declare id: number;
  declare username: string;
  declare attribute: string;
  declare op: string;
  declare value: string;
}

/** A user's plan group (`prod_<producto id>`). */
export class RadUserGroupModel extends BaseModel {
  static override tableName = 'radusergroup';
  static override idColumn = ['username', 'groupname'];
  declare username: string;
  declare groupname: string;
  declare priority: number;
}

/** Accounting, written only by FreeRADIUS; our jobs read it and close stale sessions. */
export class RadAcctModel extends BaseModel {
  static override tableName = 'radacct';
  static override idColumn = 'radacctid';
  declare radacctid: string;
  declare acctsessionid: string;
  declare acctuniqueid: string;
  declare username: string;
  declare nasipaddress: string;
  declare acctstarttime: Date | null;
  declare acctupdatetime: Date | null;
  declare acctstoptime: Date | null;
  declare acctinterval: number | null;
  declare acctsessiontime: string | number | null;
  declare acctinputoctets: string | number | null;
  declare acctoutputoctets: string | number | null;
  declare callingstationid: string | null;
  declare framedipaddress: string | null;
  declare acctterminatecause: string | null;
}

/** The routers table, only for its RADIUS mode (radius-engine's migration adds `modo`). */
export class RouterModoModel extends BaseModel {
  static override tableName = 'routers';
  declare id: string;
  declare modo: 'api' | 'radius';
  declare activo: boolean;
}
