import type { Command } from 'commander';

/** Verbs of this area; `importCommand` is the shared `fieldbook import <kind>` group. */
export function registerCodingCommands(_program: Command, _importCommand: Command): void {}
