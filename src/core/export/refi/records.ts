import type { Recorder } from '../../history/history';

export type GuidKind = 'project' | 'coder' | 'code' | 'document' | 'segment' | 'coding' | 'participant' | 'attribute' | 'memo' | 'set';

/** GUIDs compare case-insensitively and with or without braces. */
export function normalGuid(guid: string): string {
  return guid.replace(/[{}]/g, '').toUpperCase();
}

/**
 * An import's side of exchange_guid: finds a local object by the GUID another tool gave it and
 * remembers new ones through the undo log. GUIDs are stored as the file spelled them (case kept),
 * compared normalised.
 */
export class ExchangeRecords {
  constructor(
    private readonly rec: Recorder,
    /** Normalised GUID → as written in the file. */
    private readonly spelling: ReadonlyMap<string, string>,
  ) {}

  /** A GUID as the file wrote it. */
  spell(guid: string): string {
    return this.spelling.get(normalGuid(guid)) ?? guid;
  }

  find(kind: GuidKind, guid: string): number | undefined {
    return this.rec.db
      .prepare(`SELECT local_id FROM exchange_guid WHERE kind = ? AND upper(replace(replace(guid, '{', ''), '}', '')) = ? ORDER BY id LIMIT 1`)
      .pluck()
      .get(kind, normalGuid(guid)) as number | undefined;
  }

  /** Gives a local object its GUID unless it has one, or the GUID already names another object. */
  remember(kind: GuidKind, localId: number, guid: string, extra: Record<string, unknown> = {}): void {
    const db = this.rec.db;
    if (db.prepare('SELECT 1 FROM exchange_guid WHERE kind = ? AND local_id = ?').get(kind, localId)) return;
    if (this.find(kind, guid) !== undefined) return;
    const spelled = this.spelling.get(normalGuid(guid)) ?? guid;
    this.rec.insert('exchange_guid', { kind, local_id: localId, guid: spelled, extra: JSON.stringify(extra) });
  }
}
