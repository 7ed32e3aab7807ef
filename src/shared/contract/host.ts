import { z } from 'zod';

/**
 * What crosses Electron's IPC besides core calls (dialogs, "show in folder", dropped files),
 * validated by the main process before it acts: a renderer bug or injected script gets a refusal,
 * never a dialog pointed somewhere odd or a shell call on a path it made up.
 */
const extension = z.string().regex(/^(\*|[A-Za-z0-9]{1,16})$/, 'A file extension is letters and digits only (or *).');

export const fileFilterSchema = z.object({
  name: z.string().trim().min(1).max(200),
  extensions: z.array(extension).min(1).max(50),
});

const title = z.string().trim().min(1).max(200);
const filters = z.array(fileFilterSchema).max(20).optional();

export const openFilesOptionsSchema = z.strictObject({ title, filters, multiple: z.boolean().optional() });

export const saveFileOptionsSchema = z.strictObject({
  title,
  // A name, not a path: the dialog opens in its usual folder, wherever the renderer would like it to.
  defaultName: z
    .string()
    .trim()
    .max(255)
    .refine((name) => !/[\\/]/.test(name) && name !== '..', 'The suggested name must be a file name, not a path.'),
  filters,
});

const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), 'Expected an absolute path.');

export const revealFileSchema = absolutePath;

/** Paths of files dropped on the window (the preload reads them from the dropped File objects). */
export const droppedPathsSchema = z.array(absolutePath).max(10_000);

export const callRequestSchema = z.object({
  method: z.string().min(1).max(100),
  input: z.unknown(),
  jobId: z.string().min(1).max(200).optional(),
});
