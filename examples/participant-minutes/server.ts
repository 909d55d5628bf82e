/**
 * Runs the consumer: `npx tsx examples/participant-minutes/server.ts --naive|--fixed [--port 3070] [--db FILE]
 * [--effects URL --effects-secret SECRET]`. Listens on 127.0.0.1 until Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { createConsumer } from './app.js';

const { values } = parseArgs({
  options: {
    naive: { type: 'boolean', default: false },
    fixed: { type: 'boolean', default: false },
    port: { type: 'string', default: '3070' },
    db: { type: 'string', default: ':memory:' },
    effects: { type: 'string' },
    'effects-secret': { type: 'string', default: 'MY_SECRET' },
  },
});
if (values.naive === values.fixed) {
  console.error(
    'usage: server.ts --naive|--fixed [--port 3070] [--db FILE] [--effects URL --effects-secret S]',
  );
  process.exit(2);
}
const consumer = createConsumer({
  version: values.naive ? 'naive' : 'fixed',
  database: values.db,
  effects:
    values.effects === undefined ? undefined : { url: values.effects, secret: values['effects-secret'] },
});
const server = consumer.app.listen(Number(values.port), '127.0.0.1', () => {
  const version = values.naive ? 'naive' : 'fixed';
  console.log(
    `${version} consumer: POST http://127.0.0.1:${values.port}/webhook, GET http://127.0.0.1:${values.port}/usage`,
  );
});
server.on('error', (e) => {
  console.error(`cannot listen on 127.0.0.1:${values.port}: ${e.message}`);
  process.exit(1);
});
const stop = () => server.close(() => consumer.close());
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
