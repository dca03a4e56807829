// What differs between the two engines, as flags; feature code never asks which engine it is on.
export interface EngineFlags {
  name: 'sqlite' | 'postgres';
  /** Column type and constraint for an auto-incrementing integer primary key. */
  serialPrimaryKey: 'integer-autoincrement' | 'bigserial';
  /** Bound parameters allowed in one statement (batch sizes derive from it). */
  maxParameters: number;
  /**
   * Refreshes the planner's statistics inside a bulk-import transaction. PostgreSQL otherwise
   * plans with statistics from before the import (a near-empty table) and reads every device of
   * the organisation per lookup; SQLite's planner needs no statistics to use the key indexes.
   */
  refreshStatisticsSql: string | null;
}

export const SQLITE: EngineFlags = Object.freeze({
  name: 'sqlite',
  serialPrimaryKey: 'integer-autoincrement',
  maxParameters: 32766,
  refreshStatisticsSql: null,
});

export const POSTGRES: EngineFlags = Object.freeze({
  name: 'postgres',
  serialPrimaryKey: 'bigserial',
  maxParameters: 65535,
  refreshStatisticsSql: 'ANALYZE devices',
});
