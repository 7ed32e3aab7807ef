/**
 * English, the reference catalog: every other language has exactly these keys (i18n.test.ts).
 * Interpolations are {{name}}; a count uses i18next's plural keys (_one, _other). Data (question
 * texts, quotes, names) is never here: it is shown as the user wrote it.
 */
export const en = {
  "common": {
    "cancel": "Cancel",
    "close": "Close",
    "open": "Open",
    "create": "Create",
    "save": "Save",
    "delete": "Delete",
    "rename": "Rename",
    "add": "Add",
    "apply": "Apply",
    "import": "Import",
    "export": "Export",
    "loading": "Loading…",
    "starting": "Starting…",
    "dismiss": "Dismiss",
    "none": "None",
    "back": "Back",
    "next": "Next",
    "yes": "Yes",
    "no": "No",
    "language": "Language"
  },
  "shell": {
    "sections": "Sections",
    "routes": {
      "data": "Data",
      "transcripts": "Transcripts",
      "participants": "Participants",
      "codebook": "Codebook",
      "suggestions": "Suggestions",
      "tables": "Tables",
      "exports": "Exports"
    },
    "shortcut": "{{label}} (Alt+{{key}})",
    "closeProject": "Close project",
    "projectFile": "Project file",
    "counts": "{{datasets}} datasets · {{respondents}} respondents · {{documents}} documents · {{codes}} codes · {{quotes}} quotes",
    "schema": "schema {{version}}",
    "fatal": "Fieldbook could not reach its core: {{message}}",
    "startingApp": "Starting Fieldbook…",
    "settings": "Settings",
    "languageHint": "The interface language. Your data is never translated."
  },
  "undo": {
    "undone": "Undone: {{label}}",
    "redone": "Redone: {{label}}",
    "nothingUndo": "Nothing to undo.",
    "nothingRedo": "Nothing to redo.",
    "undoNamed": "Undo {{label}}",
    "redoNamed": "Redo {{label}}",
    "undoPlain": "Undo",
    "redoPlain": "Redo",
    "confirmTitle": "Undo this change?",
    "confirmText": "Ctrl+Z will undo: {{label}}",
    "confirmElsewhere": "This change was made on another page."
  },
  "start": {
    "lead": "Survey tables, interview quotes and your report’s evidence, in one file on your computer.",
    "newProject": "New project…",
    "openProject": "Open project…",
    "openSample": "Open the sample study",
    "buildingSample": "Building the sample study",
    "recent": "Recent projects",
    "recentEmpty": "Projects you open appear here.",
    "missing": "Missing: {{path}}",
    "notFound": "File not found",
    "newTitle": "New project",
    "openTitle": "Open project",
    "projectKind": "Fieldbook project",
    "defaultName": "My study",
    "projectName": "Project name",
    "folder": "Folder",
    "folderHint": "The project is saved as {{file}}",
    "pathLabel": "Path of the .fieldbook file",
    "pathHint": "The file stays where it is; Fieldbook works on it in place."
  },
  "ui": {
    "progressStarting": "Starting…"
  }
};

export type Catalog = typeof en;
