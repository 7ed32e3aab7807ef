/** The entry module of the CLI bundle (it exports main), or null to run the sources through tsx. */
export function cliEntry(): Promise<string | null>;
