/** A multipart/form-data body as a browser sends it, for the routes that take files. */
export const MULTIPART_BOUNDARY = '----ecomgovTestBoundary';

export interface TestFile {
  name: string;
  filename: string;
  /** The bytes, or a size to fill with 'A'. */
  content?: Buffer;
  size?: number;
  contentType?: string;
}

export function multipartBody(fields: Record<string, string>, files: readonly TestFile[]): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${MULTIPART_BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  for (const file of files) {
    parts.push(
      Buffer.from(
        `--${MULTIPART_BOUNDARY}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: ${file.contentType ?? 'application/pdf'}\r\n\r\n`,
      ),
      file.content ?? Buffer.alloc(file.size ?? 0, 0x41),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${MULTIPART_BOUNDARY}--\r\n`));
  return Buffer.concat(parts);
}
