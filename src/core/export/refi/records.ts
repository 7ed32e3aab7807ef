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
  /** kind → normalised GUID → local id, and the "kind:id" pairs that have a GUID: read once, kept current. */
  private readonly byGuid = new Map<string, Map<string, number>>();
  private readonly named = new Set<string>();

  constructor(
    private readonly rec: Recorder,
    /** Normalised GUID → as written in the file. */
    private readonly spelling: ReadonlyMap<string, string>,
  ) {
    const rows = rec.db.prepare('SELECT kind, local_id AS id, guid FROM exchange_guid ORDER BY id').all() as { kind: string; id: number; guid: string }[];
    for (const row of rows) this.note(row.kind, row.id, row.guid);
  }

  private note(kind: string, id: number, guid: string): void {
    let map = this.byGuid.get(kind);
    if (!map) this.byGuid.set(kind, (map = new Map()));
    if (!map.has(normalGuid(guid))) map.set(normalGuid(guid), id);
    this.named.add(`${kind}:${id}`);
  }

  /** A GUID as the file wrote it. */
  spell(guid: string): string {
    return this.spelling.get(normalGuid(guid)) ?? guid;
  }

  find(kind: GuidKind, guid: string): number | undefined {
    return this.byGuid.get(kind)?.get(normalGuid(guid));
  }

  /** Gives a local object its GUID unless it has one, or the GUID already names another object. */
  remember(kind: GuidKind, localId: number, guid: string, extra: Record<string, unknown> = {}): void {
    if (this.named.has(`${kind}:${localId}`) || this.find(kind, guid) !== undefined) return;
    const spelled = this.spell(guid);
    this.rec.insert('exchange_guid', { kind, local_id: localId, guid: spelled, extra: JSON.stringify(extra) });
    this.note(kind, localId, spelled);
  }
}
