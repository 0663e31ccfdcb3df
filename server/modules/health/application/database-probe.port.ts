/** The database as readiness sees it: does it answer, and is its schema current? */
export interface DatabaseProbe {
  ping(): Promise<void>;
  /** Migrations on disk the database has not applied. */
  pendingMigrations(): Promise<string[]>;
}
