import fs from 'node:fs';
import path from 'node:path';
import type { Locator } from '@playwright/test';

/**
 * Drops files from disk onto an element as a user dragging them from the file manager would:
 * a real DataTransfer holding File objects with the files' bytes, then dragenter, dragover and
 * drop on the target. The page's own handlers decide what happens (upload, preview...).
 * Calls `whileDragging` after dragover, before the drop, to check the drop zone's highlight.
 */
export async function dropFiles(target: Locator, files: string[], whileDragging?: () => Promise<void>): Promise<void> {
  const payload = files.map((file) => ({ name: path.basename(file), base64: fs.readFileSync(file).toString('base64') }));
  const dataTransfer = await target.page().evaluateHandle((items) => {
    const transfer = new DataTransfer();
    for (const item of items) {
      const bytes = Uint8Array.from(atob(item.base64), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], item.name));
    }
    return transfer;
  }, payload);
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  if (whileDragging) await whileDragging();
  await target.dispatchEvent('drop', { dataTransfer });
  await dataTransfer.dispose();
}
