import { createServer } from 'node:net';
import { Aedes } from 'aedes';

/**
 * The baseline: stock aedes, in-memory persistence, no hooks, on a free port,
 * with the same TCP_NODELAY as Linli's gateway so only the intake differs.
 * Prints `{"port":n}` when listening.
 */
const broker = await Aedes.createBroker();
const server = createServer({ noDelay: true }, broker.handle);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: (server.address() as { port: number }).port }) + '\n');
});
process.on('SIGTERM', () => server.close(() => broker.close(() => process.exit(0))));
