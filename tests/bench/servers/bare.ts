/**
 * The baseline server: bare node:http with the handler in `bare-handler.ts` (the same health JSON,
 * and the same schema and problem shape for an invalid enquiry).
 */
import http from 'node:http';
import { bareHandler } from './bare-handler.js';

const server = http.createServer(bareHandler);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(
    JSON.stringify({ ready: true, port: (server.address() as { port: number }).port }) + '\n',
  );
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
