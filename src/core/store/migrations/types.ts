import type { Database } from 'better-sqlite3';

/** A numbered step of the schema. Versions go in steps of 10 so domains can slot in between. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}
