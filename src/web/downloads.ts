/**
 * The Content-Disposition of a file sent back as filed: an ASCII `filename` for old clients and the exact name in
 * `filename*` (RFC 6266), so that no name a user chose can break the header.
 */
export function contentDisposition(kind: 'attachment' | 'inline', filename: string): string {
  const ascii =
    filename
      .normalize('NFD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/["\\]/g, '') || 'file';
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
