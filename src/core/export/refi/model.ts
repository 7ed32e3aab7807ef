/**
 * The part of a REFI-QDA project Fieldbook exchanges, independent of XML and of our tables:
 * the exporter fills it from a project, the reader fills it from a .qde, the importer writes it.
 * Positions are REFI's: Unicode code points.
 */
export interface RefiUser {
  guid: string;
  name: string;
}

export interface RefiCode {
  guid: string;
  name: string;
  color: string | null;
  description: string;
  isCodable: boolean;
  noteGuids: string[];
  children: RefiCode[];
}

export type RefiVariableType = 'Text' | 'Boolean' | 'Integer' | 'Float' | 'Date' | 'DateTime';

export interface RefiVariable {
  guid: string;
  name: string;
  type: RefiVariableType;
  description: string;
}

export interface RefiVariableValue {
  variableGuid: string;
  value: string | number | boolean;
}

export interface RefiCase {
  guid: string;
  name: string;
  description: string;
  values: RefiVariableValue[];
  sourceGuids: string[];
}

export interface RefiCoding {
  guid: string;
  codeGuid: string;
  creatingUser: string | null;
  creationDateTime: string | null;
}

export interface RefiSelection {
  guid: string;
  name: string;
  start: number;
  end: number;
  description: string;
  creatingUser: string | null;
  creationDateTime: string | null;
  codings: RefiCoding[];
  noteGuids: string[];
}

export interface RefiTextSource {
  guid: string;
  name: string;
  /** Null when the file refers to a text it does not contain (e.g. an empty Sources folder). */
  text: string | null;
  /** Where the text was expected, for the report when it is missing. */
  textPath: string | null;
  description: string;
  creatingUser: string | null;
  creationDateTime: string | null;
  modifyingUser: string | null;
  modifiedDateTime: string | null;
  selections: RefiSelection[];
  /** Codings of the whole source. */
  codings: RefiCoding[];
  noteGuids: string[];
}

export interface RefiNote {
  guid: string;
  name: string;
  text: string;
  creatingUser: string | null;
  creationDateTime: string | null;
}

/** A REFI set: a named group of codes and/or sources. */
export interface RefiSet {
  guid: string;
  name: string;
  description: string;
  codeGuids: string[];
  sourceGuids: string[];
}

export interface RefiProject {
  name: string;
  origin: string;
  creatingUser: string | null;
  creationDateTime: string | null;
  sets: RefiSet[];
  /** Normalised GUID (upper case, no braces) → as the file wrote it, so an export spells it the same. */
  spelling: Map<string, string>;
  users: RefiUser[];
  codes: RefiCode[];
  variables: RefiVariable[];
  cases: RefiCase[];
  sources: RefiTextSource[];
  notes: RefiNote[];
  projectNoteGuids: string[];
  /** Plain sentences about what the file holds that Fieldbook cannot take in. */
  notImported: string[];
}


/**
 * REFI has no "starred" flag. Starred quotes point (NoteRef) at one note of this name, which other
 * tools show as a memo on each of them, and which Fieldbook reads back as the star.
 */
export const STARRED_NOTE = 'Starred quotes (Fieldbook)';
