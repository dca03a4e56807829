// What differs between the two engines, as flags; feature code never asks which engine it is on.
export interface EngineFlags {
  name: 'sqlite' | 'postgres';
  /** Column type and constraint for an auto-incrementing integer primary key. */
  serialPrimaryKey: 'integer-autoincrement' | 'bigserial';
  /** Bound parameters allowed in one statement (batch sizes derive from it). */
  maxParameters: number;
}

export const SQLITE: EngineFlags = Object.freeze({
  name: 'sqlite',
  serialPrimaryKey: 'integer-autoincrement',
  maxParameters: 32766,
});

export const POSTGRES: EngineFlags = Object.freeze({
  name: 'postgres',
  serialPrimaryKey: 'bigserial',
  maxParameters: 65535,
});
