import archiver from 'archiver';

/**
 * A zip of files held in memory (archiver), every entry dated `date`: the packages officers hand on (an evidence
 * item, a case's bundle), each small enough to build in memory and hashed whole once built.
 */
export function zipFiles(files: ReadonlyArray<{ name: string; bytes: Buffer }>, date: Date): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const archive = archiver('zip', { zlib: { level: 6 } });
    const chunks: Buffer[] = [];
    archive.on('data', (chunk: Buffer) => chunks.push(chunk));
    archive.on('end', () => resolve(Buffer.concat(chunks)));
    archive.on('warning', reject);
    archive.on('error', reject);
    for (const file of files) archive.append(file.bytes, { name: file.name, date });
    void archive.finalize();
  });
}

/** The lines of a `sha256sum` file for these files: `sha256sum -c` checks them once unzipped. */
export function sha256sumLines(files: ReadonlyArray<{ name: string; sha256: string }>): string {
  return files.map((file) => `${file.sha256}  ${file.name}\n`).join('');
}
