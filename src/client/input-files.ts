// Sorts what a reader dropped or picked into one input to analyse and the program images that
// help unwind it. Told apart by content, never by name: "MDMP" opens a minidump, "MZ" an
// .exe/.dll; anything else goes to the engine, which reads debugger text or says what the
// file is (a PNG, a ZIP…).

export type FileKind = 'minidump' | 'image' | 'other';

export interface SortedFiles {
  /** The input to analyse: the first minidump, else the first file that is neither dump nor image. */
  primary: File | null;
  images: File[];
  /** Further dumps or logs that are not analysed in this run. */
  ignored: File[];
}

export async function fileKind(file: Blob): Promise<FileKind> {
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  if (head[0] === 0x4d && head[1] === 0x44 && head[2] === 0x4d && head[3] === 0x50) return 'minidump';
  if (head[0] === 0x4d && head[1] === 0x5a) return 'image';
  return 'other';
}

export async function sortFiles(files: readonly File[]): Promise<SortedFiles> {
  const kinds = await Promise.all(files.map(fileKind));
  const dumps = files.filter((_, i) => kinds[i] === 'minidump');
  const images = files.filter((_, i) => kinds[i] === 'image');
  const others = files.filter((_, i) => kinds[i] === 'other');
  const primary = dumps[0] ?? others[0] ?? null;
  const ignored = [...dumps, ...others].filter((f) => f !== primary);
  return { primary, images, ignored };
}
