import type { Database, Statement } from 'better-sqlite3';

type Value = number | string | bigint | Buffer | null;

/**
 * Inserts rows into one table many at a time: one statement with ROWS rows of VALUES costs half
 * of ROWS single-row statements (measured: 300,000 turn rows, 379 ms one by one, 188 ms 64 at a
 * time), since the time is in crossing into SQLite per statement, not in the B-tree. Call flush()
 * before reading the table back or committing; rowids are assigned in the order rows were added.
 */
export class BulkInsert {
  private readonly many: Statement;
  private readonly columns: number;
  private readonly buffer: Value[];
  private count = 0;

  constructor(
    private readonly db: Database,
    private readonly table: string,
    private readonly names: readonly string[],
    private readonly rows = 64,
  ) {
    this.columns = names.length;
    const one = `(${names.map(() => '?').join(', ')})`;
    this.many = db.prepare(`INSERT INTO ${table} (${names.join(', ')}) VALUES ${Array(rows).fill(one).join(', ')}`);
    this.buffer = new Array<Value>(rows * this.columns);
  }

  add(...values: Value[]): void {
    const at = this.count * this.columns;
    for (let i = 0; i < this.columns; i++) this.buffer[at + i] = values[i] ?? null;
    this.count++;
    if (this.count === this.rows) {
      this.many.run(this.buffer);
      this.count = 0;
    }
  }

  flush(): void {
    if (this.count === 0) return;
    const one = `(${this.names.map(() => '?').join(', ')})`;
    this.db
      .prepare(`INSERT INTO ${this.table} (${this.names.join(', ')}) VALUES ${Array(this.count).fill(one).join(', ')}`)
      .run(this.buffer.slice(0, this.count * this.columns));
    this.count = 0;
  }
}
