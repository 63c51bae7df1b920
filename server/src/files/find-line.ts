import { createReadStream } from 'node:fs';

/**
 * The first whole line of `file` that contains `needle`, or null (also when the file is
 * missing). Reads in chunks and keeps only the unfinished last line between them, so a file of
 * tens of megabytes costs one pass and little memory. A line still being written (no newline
 * yet) is not a whole line and is not returned.
 */
export async function findLine(file: string, needle: string): Promise<string | null> {
  let rest = '';
  try {
    for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1024 * 1024 })) {
      const text = rest + chunk;
      const cut = text.lastIndexOf('\n');
      if (cut < 0) {
        rest = text;
        continue;
      }
      const at = text.indexOf(needle);
      if (at >= 0 && at < cut) {
        const start = text.lastIndexOf('\n', at) + 1;
        return text.slice(start, text.indexOf('\n', at));
      }
      rest = text.slice(cut + 1);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return null;
}
