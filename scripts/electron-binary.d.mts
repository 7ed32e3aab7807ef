export function electronBinary(root: string): { path: string | null; why: string };
export function electronVersion(root: string): string;
