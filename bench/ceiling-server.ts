/**
 * Not a benchmark: the bare server bench/check.ts measures its harness against. Plain Fastify, no hooks, answering
 * /api/v1/health as ecomgov does and /api/v1/check with one constant answer of a real check's size (given in
 * CEILING_BODY), on 127.0.0.1 at the port given as the first argument.
 */
import Fastify from 'fastify';

const port = Number(process.argv[2]);
const body = process.env.CEILING_BODY ?? '{}';
const app = Fastify({ logger: false });
app.get('/api/v1/health', async () => ({ status: 'ok' }));
app.get('/api/v1/check', (_request, reply) => {
  reply.type('application/json; charset=utf-8').send(body);
});
await app.listen({ port, host: '127.0.0.1' });
process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
