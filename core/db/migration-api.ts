/** The only API a migration may import. Each migration runs inside its unit's transaction. */
export interface MigrationContext {
  /** Runs one SQL statement (bind parameters as `$1`, `$2`…) inside the migration transaction. */
  sql(statement: string, bind?: unknown[]): Promise<unknown[]>;
}

export interface Migration {
  /** Unique within its unit, ordered lexically: `0001-initial`. */
  name: string;
  up(context: MigrationContext): Promise<void>;
  down?(context: MigrationContext): Promise<void>;
}

export function defineMigration(migration: Migration): Migration {
  return migration;
}
