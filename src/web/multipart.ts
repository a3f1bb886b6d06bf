import { Busboy } from '@fastify/busboy';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import type { App } from '../core/http.ts';
import type { Localized } from '../core/i18n.ts';
import { localizedRule } from '../core/validation.ts';

/**
 * Forms with files (`enctype="multipart/form-data"`), streamed: the parts are read as they arrive and the limits a
 * route sets are enforced while reading, so a body larger than the route allows is refused after that many bytes,
 * not buffered whole first. A route opts in with `config: { multipart: { … } }`; elsewhere a multipart body is
 * refused before it is read. The parsed body is a plain object — fields as strings (several values of one name as
 * an array), files as arrays of `UploadedFile` under their field name — validated by the route's zod schema like
 * any other form; `_csrf` is a field like the others, so the CSRF check sees it.
 */

export interface MultipartLimits {
  /** Files in the whole form. */
  maxFiles: number;
  /** Bytes of one file. */
  maxFileBytes: number;
  /** Fields other than files (default 100). */
  maxFields?: number;
  /** Bytes of one field's value (default 100 kB: a long textarea). */
  maxFieldBytes?: number;
  /** Bytes of the whole body; default: the files, two full fields and 64 kB of others. */
  maxBytes?: number;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This route takes multipart forms with these limits. */
    multipart?: MultipartLimits;
  }
}

export interface UploadedFile {
  filename: string;
  /** As the browser declared it; check the content where the type matters. */
  contentType: string;
  content: Buffer;
  /** The file was larger than the route's limit: only its first bytes were kept (the schema refuses it). */
  truncated: boolean;
}

const DEFAULT_MAX_FIELDS = 100;
const DEFAULT_MAX_FIELD_BYTES = 100 * 1024;

function tooLarge(en: string, vi: string, field?: string): AppError {
  return new AppError('payload_too_large', { vi, en }, { field });
}

function readParts(
  request: FastifyRequest,
  payload: NodeJS.ReadableStream,
  limits: MultipartLimits,
): Promise<Record<string, unknown>> {
  const maxFields = limits.maxFields ?? DEFAULT_MAX_FIELDS;
  const maxFieldBytes = limits.maxFieldBytes ?? DEFAULT_MAX_FIELD_BYTES;
  return new Promise((resolve, reject) => {
    let busboy: InstanceType<typeof Busboy>;
    try {
      busboy = new Busboy({
        headers: request.headers as { 'content-type': string },
        limits: {
          // One file more than allowed is read, so that the schema can say "at most N files" beside the field;
          // busboy skips any further one.
          files: limits.maxFiles + 1,
          fileSize: limits.maxFileBytes,
          fields: maxFields,
          fieldSize: maxFieldBytes,
          parts: limits.maxFiles + 1 + maxFields,
          headerPairs: 20,
        },
      });
    } catch {
      reject(new AppError('invalid_input', { vi: 'Không đọc được biểu mẫu.', en: 'the form could not be read' }));
      return;
    }
    const body: Record<string, unknown> = {};
    const pending: Promise<void>[] = [];
    let failed = false;
    const fail = (error: AppError) => {
      if (failed) return;
      failed = true;
      payload.unpipe(busboy);
      // The rest of the body is drained, not kept: memory stays bounded by the limits.
      payload.resume();
      reject(error);
    };
    const add = (name: string, value: unknown) => {
      const existing = body[name];
      if (existing === undefined) body[name] = value;
      else if (Array.isArray(existing)) existing.push(value);
      else body[name] = [existing, value];
    };

    busboy.on('field', (name, value, _nameTruncated, valueTruncated) => {
      if (valueTruncated) {
        fail(
          tooLarge(
            `${name}: the text is longer than ${maxFieldBytes} bytes`,
            `${name}: nội dung dài quá ${maxFieldBytes} byte`,
            name,
          ),
        );
        return;
      }
      add(name, value);
    });
    busboy.on('file', (name, stream, filename, _encoding, mimeType) => {
      const chunks: Buffer[] = [];
      let truncated = false;
      pending.push(
        new Promise<void>((done) => {
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          // Over the limit, busboy skips the rest of the file: the schema then names the file, beside its field.
          stream.on('limit', () => {
            truncated = true;
          });
          stream.on('end', () => {
            // A file input left empty still sends a part with no name and no bytes.
            const content = Buffer.concat(chunks);
            if (filename || content.length > 0) {
              const file: UploadedFile = {
                filename: filename ?? '',
                contentType: mimeType || 'application/octet-stream',
                content: truncated ? Buffer.alloc(0) : content,
                truncated,
              };
              if (Array.isArray(body[name])) (body[name] as unknown[]).push(file);
              else body[name] = [file];
            }
            done();
          });
        }),
      );
    });
    busboy.on('fieldsLimit', () =>
      fail(tooLarge(`the form has more than ${maxFields} fields`, `biểu mẫu có quá ${maxFields} trường`)),
    );
    busboy.on('partsLimit', () => fail(tooLarge('the form has too many parts', 'biểu mẫu có quá nhiều phần')));
    busboy.on('error', () =>
      fail(
        new AppError('invalid_input', {
          vi: 'Không đọc được biểu mẫu.',
          en: 'the form could not be read (malformed multipart body)',
        }),
      ),
    );
    busboy.on('finish', () => {
      Promise.all(pending).then(() => {
        if (!failed) resolve(body);
      }, reject);
    });
    payload.on('error', () =>
      fail(new AppError('invalid_input', { vi: 'Kết nối bị ngắt.', en: 'the upload was interrupted' })),
    );
    // Over this many bytes the form is refused whole (413), whatever its parts: oversized files are skipped, not
    // kept, but every byte of them is still read.
    const maxTotalBytes =
      limits.maxBytes ?? (limits.maxFiles + 1) * limits.maxFileBytes + 2 * maxFieldBytes + 64 * 1024;
    let received = 0;
    payload.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxTotalBytes) {
        fail(tooLarge(`the form is larger than ${maxTotalBytes} bytes`, `biểu mẫu lớn hơn ${maxTotalBytes} byte`));
      }
    });
    payload.pipe(busboy);
  });
}

/** Registers the one multipart parser (in the web shell, before any route). */
export function registerMultipartParser(app: App): void {
  app.addContentTypeParser('multipart/form-data', async (request: FastifyRequest, payload: NodeJS.ReadableStream) => {
    const limits = request.routeOptions.config?.multipart;
    if (!limits) {
      throw new AppError('invalid_input', {
        vi: 'Địa chỉ này không nhận tệp đính kèm.',
        en: 'this endpoint does not take multipart bodies',
      });
    }
    return readParts(request, payload, limits);
  });
}

/** 5 MB, 300 kB, 512 bytes: a limit as people read it (binary units, as file managers count). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} kB`;
  return `${bytes} bytes`;
}

/** The schema of a file field: the files sent under one name (none when the input was left empty). */
export function uploadedFiles(options: {
  max: number;
  maxBytes: number;
  types?: readonly string[];
  /** At least one file, and what to say when there is none: beside the field, with the form's other problems. */
  required?: Localized;
}) {
  const file = z.custom<UploadedFile>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      Buffer.isBuffer((value as UploadedFile).content) &&
      typeof (value as UploadedFile).filename === 'string',
  );
  const size = formatBytes(options.maxBytes);
  let list = z
    .array(file)
    .max(options.max)
    .refine((files) => !options.required || files.length > 0, localizedRule(options.required ?? { vi: '', en: '' }))
    .refine(
      (files) => files.every((item) => !item.truncated && item.content.length <= options.maxBytes),
      localizedRule({
        vi: `Mỗi tệp tối đa ${size}.`,
        en: `Each file can be at most ${size}.`,
      }),
    );
  if (options.types) {
    const types = new Set(options.types);
    list = list.refine(
      (files) => files.every((item) => types.has(item.contentType)),
      localizedRule({
        vi: `Chỉ nhận tệp dạng: ${options.types.join(', ')}.`,
        en: `Only these file types are accepted: ${options.types.join(', ')}.`,
      }),
    ) as unknown as typeof list;
  }
  return z.preprocess((value) => (value === undefined || value === '' ? [] : value), list);
}
