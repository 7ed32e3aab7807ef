import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * The programs our tests compare against (a peer's reading is an independent expectation). The
 * policy is one: `.ci/run` installs every one of them from Debian's packages, and a test that needs
 * one fails where it is missing, naming the package; none is skipped. (Only ../shared/data may be
 * absent, on a user's machine: those tests say so and skip.)
 */
const TOOLS = {
  python3: { check: () => fs.existsSync('/usr/bin/python3'), apt: 'python3', path: '/usr/bin/python3' },
  openpyxl: { check: () => spawnSync('/usr/bin/python3', ['-c', 'import openpyxl']).status === 0, apt: 'python3-openpyxl', path: '/usr/bin/python3' },
  pillow: { check: () => spawnSync('/usr/bin/python3', ['-c', 'import PIL']).status === 0, apt: 'python3-pil', path: '/usr/bin/python3' },
  zip: { check: () => fs.existsSync('/usr/bin/zip'), apt: 'zip', path: '/usr/bin/zip' },
  'pspp-convert': { check: () => spawnSync('pspp-convert', ['--version']).status === 0, apt: 'pspp', path: 'pspp-convert' },
  xmllint: { check: () => spawnSync('xmllint', ['--version']).status === 0, apt: 'libxml2-utils', path: 'xmllint' },
} as const;

export type Tool = keyof typeof TOOLS;
const checked = new Map<Tool, boolean>();

/** The command to run for a tool; throws, naming the Debian package, where it is not installed. */
export function requireTool(tool: Tool): string {
  const spec = TOOLS[tool];
  if (!checked.has(tool)) checked.set(tool, spec.check());
  if (!checked.get(tool)) throw new Error(`${tool} is not installed; this test compares against it. Install it with: apt-get install ${spec.apt} (.ci/run does).`);
  return spec.path;
}
