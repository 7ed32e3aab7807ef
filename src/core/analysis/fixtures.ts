import type { Database as Db } from 'better-sqlite3';
import { encodeColumn, type Column } from '../survey/columns';
import type { VariableType } from '../survey/model';

/**
 * Writes a dataset straight into the project tables, the way the survey importer stores one
 * (used by tests and benchmarks to build data of a known shape and size).
 */
export interface FixtureVariable {
  name: string;
  label?: string;
  type: VariableType;
  column: Column;
  labels?: { code: number | string; label: string; missing?: boolean }[];
  questionGroup?: string;
  groupLabel?: string;
  optionLabel?: string;
  missing?: unknown;
  concept?: string;
}

export function insertDataset(db: Db, dataset: { name: string; wave?: string; rows: number; variables: FixtureVariable[] }): { datasetId: number; variableIds: Map<string, number> } {
  const variableIds = new Map<string, number>();
  const datasetId = Number(
    db.prepare("INSERT INTO dataset (name, wave, source_file, format, row_count) VALUES (?, ?, ?, 'csv', ?)").run(dataset.name, dataset.wave ?? '', `${dataset.name}.csv`, dataset.rows).lastInsertRowid,
  );
  const insertVariable = db.prepare(
    'INSERT INTO variable (dataset_id, position, name, label, type, question_group, group_label, option_label, missing, concept) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertLabel = db.prepare('INSERT INTO value_label (variable_id, code, label, position, is_missing) VALUES (?, ?, ?, ?, ?)');
  const insertData = db.prepare('INSERT INTO variable_data (variable_id, encoding, data) VALUES (?, ?, ?)');
  db.transaction(() => {
    dataset.variables.forEach((v, position) => {
      const id = Number(
        insertVariable.run(datasetId, position, v.name, v.label ?? '', v.type, v.questionGroup ?? null, v.groupLabel ?? null, v.optionLabel ?? null, JSON.stringify(v.missing ?? []), v.concept ?? null)
          .lastInsertRowid,
      );
      variableIds.set(v.name, id);
      (v.labels ?? []).forEach((l, k) => insertLabel.run(id, l.code, l.label, k, l.missing ? 1 : 0));
      insertData.run(id, v.column.encoding, encodeColumn(v.column));
    });
  })();
  return { datasetId, variableIds };
}
