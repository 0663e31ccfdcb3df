/**
 * `npm run mock` (MOCK_HTTP_PORT, MOCK_WS_PORT, MOCK_HOST override the defaults 4010, 4011, 127.0.0.1).
 */
import { startMock } from './index.js';

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 0 || count > 65_535) {
    console.error(`${name} must be a port number (0-65535), got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return count;
}

const quiet = process.argv.includes('--quiet');
const mock = await startMock({
  httpPort: port('MOCK_HTTP_PORT', 4010),
  wsPort: port('MOCK_WS_PORT', 4011),
  host: process.env.MOCK_HOST || '127.0.0.1',
  ...(quiet
    ? {}
    : { log: (line: string) => console.log(`[prism] ${line.replace(/^\[[^\]]*\]\s*›\s*/, '')}`) }),
});

console.log(`
Balance Kitchen mock (contract v1, answers from the contract's examples)
  HTTP  ${mock.httpUrl}        e.g. curl ${mock.httpUrl}/api/v1/health
${Object.entries(mock.channelUrls)
  .map(([name, url]) => `  WS    ${url}   (${name} channel)`)
  .join('\n')}
  Secured operations need a dummy session cookie (and X-CSRF-Token on unsafe methods): see docs/mock.md.
  Ctrl-C stops both.
`);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the mock...`);
  const force = setTimeout(() => process.exit(1), 5_000);
  force.unref();
  await mock.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
