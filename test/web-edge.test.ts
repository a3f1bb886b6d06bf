import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { createHttpServer } from '../src/core/http.ts';
import { localizedRule, optionalDay, requiredText } from '../src/core/validation.ts';
import { formInputOf } from '../src/web/forms.ts';
import { uploadedFiles } from '../src/web/multipart.ts';
import { registerWebShell } from '../src/web/web.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { createAccount, loginAs, type TestSession } from './support/auth.ts';
import { testDatabaseKind } from './support/database.ts';
import { MULTIPART_BOUNDARY, multipartBody } from './support/multipart.ts';

const BOUNDARY = MULTIPART_BOUNDARY;

/**
 * Sends the headers of a large body and only its first bytes, then waits for an answer. A server that checks
 * permissions before reading the body answers at once; one that reads the body first never does (it waits for
 * bytes that are not coming).
 */
function answerBeforeBody(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; location?: string | undefined } | 'no answer'> {
  return new Promise((resolve, reject) => {
    const declared = 35 * 1024 * 1024;
    const request = http.request({
      host: '127.0.0.1',
      port,
      path,
      method: 'POST',
      headers: {
        ...headers,
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        'content-length': String(declared),
      },
    });
    const timer = setTimeout(() => {
      request.destroy();
      resolve('no answer');
    }, 3_000);
    request.on('response', (response) => {
      clearTimeout(timer);
      response.resume();
      resolve({ status: response.statusCode ?? 0, location: response.headers.location });
      request.destroy();
    });
    request.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
    });
    request.write(multipartBody({ _csrf: 'x' }, [{ name: 'attachments', filename: 'big.pdf', size: 64 * 1024 }]));
  });
}

describe(`the web edge (${testDatabaseKind})`, () => {
  describe('permission before body', () => {
    let testApp: TestApp;
    let port: number;
    let business: TestSession;

    before(async () => {
      testApp = await startTestApp({ demo: false });
      business = await loginAs(testApp, await createAccount(testApp.database, { kind: 'business' }));
      await testApp.app.listen({ host: '127.0.0.1', port: 0 });
      port = (testApp.app.server.address() as AddressInfo).port;
    });
    after(async () => {
      await testApp.close();
    });

    it('refuses a signed-in caller without the route’s permission before reading its body (403)', async () => {
      const answer = await answerBeforeBody(
        port,
        '/workbench/directive-tasks/00000000-0000-4000-8000-000000000000/reports',
        {
          cookie: business.cookie,
        },
      );
      assert.notEqual(answer, 'no answer', 'the server read the body before refusing');
      assert.equal((answer as { status: number }).status, 403);
    });

    it('sends an anonymous caller to sign in before reading the body', async () => {
      const answer = await answerBeforeBody(
        port,
        '/workbench/directive-tasks/00000000-0000-4000-8000-000000000000/reports',
        {},
      );
      assert.notEqual(answer, 'no answer', 'the server read the body before refusing');
      assert.equal((answer as { status: number }).status, 303);
      assert.match((answer as { location: string }).location, /^\/login/);
    });

    it('answers an anonymous API caller 401 before reading the body', async () => {
      const answer = await answerBeforeBody(
        port,
        '/api/v1/directive-tasks/00000000-0000-4000-8000-000000000000/reports',
        {},
      );
      assert.notEqual(answer, 'no answer', 'the server read the body before refusing');
      assert.equal((answer as { status: number }).status, 401);
    });
  });

  describe('forms and multipart bodies', () => {
    const reportForm = z.object({
      title: requiredText(20).refine(
        (title) => !title.startsWith('='),
        localizedRule({ vi: 'Tiêu đề không được bắt đầu bằng =.', en: 'The title must not start with =.' }),
      ),
      due: optionalDay(),
      files: uploadedFiles({ max: 2, maxBytes: 1024, types: ['application/pdf'] }),
    });
    let app: Awaited<ReturnType<typeof createHttpServer>>;

    before(async () => {
      app = await createHttpServer({ logLevel: 'silent' });
      await registerWebShell(app);
      app.post(
        '/form',
        {
          config: { multipart: { maxFiles: 2, maxFileBytes: 1024 } },
          attachValidation: true,
          schema: { body: reportForm },
        },
        async (request) => {
          const input = formInputOf(request);
          if (!input.ok) return { issues: input.form.issues, values: input.form.values };
          return {
            title: input.value.title,
            due: input.value.due ?? null,
            files: input.value.files.map((file) => [file.filename, file.content.length]),
          };
        },
      );
      app.post('/plain', { schema: { body: z.object({ a: z.string() }) } }, async () => ({ ok: true }));
      await app.ready();
    });
    after(async () => {
      await app.close();
    });

    const post = (url: string, body: Buffer) =>
      app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        payload: body,
      });

    it('reads fields and files of a route that takes them, the day typed dd/mm/yyyy', async () => {
      const response = await post(
        '/form',
        multipartBody({ title: '  Báo cáo  tháng ', due: '5/1/2025' }, [
          { name: 'files', filename: 'a.pdf', size: 10 },
          { name: 'files', filename: 'b.pdf', size: 1024 },
        ]),
      );
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json(), {
        title: 'Báo cáo tháng',
        due: '2025-01-05',
        files: [
          ['a.pdf', 10],
          ['b.pdf', 1024],
        ],
      });
    });

    it('gives every problem of the form beside its field, in both languages, and what was typed', async () => {
      const response = await post(
        '/form',
        multipartBody({ title: '=HYPERLINK("x")', due: '31/02/2025' }, [
          { name: 'files', filename: 'a.pdf', size: 2048 },
          { name: 'files', filename: 'b.pdf', size: 10 },
          { name: 'files', filename: 'c.pdf', size: 10 },
        ]),
      );
      assert.equal(response.statusCode, 200);
      const { issues, values } = response.json() as {
        issues: Array<{ field: string; message: { vi: string; en: string } }>;
        values: Record<string, string>;
      };
      const byField = Object.fromEntries(issues.map((issue) => [issue.field, issue.message]));
      assert.deepEqual(byField.title, {
        vi: 'Tiêu đề không được bắt đầu bằng =.',
        en: 'The title must not start with =.',
      });
      assert.match(byField.due?.vi ?? '', /dd\/mm\/yyyy/);
      assert.match(byField.files?.en ?? '', /At most 2|at most/i);
      assert.equal(values.title, '=HYPERLINK("x")');
      assert.equal(values.due, '31/02/2025');
    });

    it('names a file over the size limit beside its field instead of keeping it', async () => {
      const response = await post(
        '/form',
        multipartBody({ title: 'x' }, [{ name: 'files', filename: 'a.pdf', size: 5000 }]),
      );
      const { issues } = response.json() as { issues: Array<{ field: string; message: { vi: string; en: string } }> };
      assert.deepEqual(issues, [
        { field: 'files', message: { vi: 'Mỗi tệp tối đa 1 kB.', en: 'Each file can be at most 1 kB.' } },
      ]);
    });

    it('refuses a body far over the route’s limits with 413 without keeping it', async () => {
      const response = await post(
        '/form',
        multipartBody({ title: 'x' }, [{ name: 'files', filename: 'a.pdf', size: 3 * 1024 * 1024 }]),
      );
      assert.equal(response.statusCode, 413);
      assert.equal(response.json().error.code, 'payload_too_large');
    });

    it('refuses a multipart body on a route that does not take one', async () => {
      const response = await post('/plain', multipartBody({ a: 'x' }, []));
      assert.equal(response.statusCode, 400);
      assert.match(response.json().error.message, /multipart/);
    });
  });
});
