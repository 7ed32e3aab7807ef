/** A stored date (ms since 1970 UTC) as researchers read it: "2024-03-05" or "2024-03-05 14:07:09". */
export function formatDate(ms: number): string {
  const iso = new Date(ms).toISOString();
  if (iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10);
  return iso.slice(0, 19).replace('T', ' ');
}
