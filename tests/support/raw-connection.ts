import net from 'node:net';

/**
 * A raw TCP connection to a server, for tests that must control when each byte of a request goes
 * out (a request still in flight, a client that goes away mid-body). It collects what the server
 * sends and notices when the server hangs up.
 *
 * To know that the server has taken a request whose body is not all sent yet, send
 * `Expect: 100-continue`: Node answers `100 Continue` as it hands the request to the app (see
 * `IN_FLIGHT`), so waiting for that line waits for the event rather than for time.
 * @example
 * const c = rawConnection(port);
 * c.socket.write(`POST /api/v1/site/enquiries HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n...`);
 * await c.until(IN_FLIGHT);
 */
export function rawConnection(port: number, host = '127.0.0.1') {
  const socket = net.connect(port, host);
  let received = '';
  let ended = false;
  const waiters: (() => void)[] = [];
  const wake = () => {
    for (const waiter of waiters.splice(0)) waiter();
  };
  socket.on('data', (chunk) => {
    received += chunk.toString('latin1');
    wake();
  });
  const closed = new Promise<void>((resolve) =>
    socket.on('close', () => {
      ended = true;
      wake();
      resolve();
    }),
  );
  socket.on('error', () => undefined);
  return {
    socket,
    /** Resolves once the server has closed the connection (or the client destroyed it). */
    closed,
    /** Everything received so far. */
    get received() {
      return received;
    },
    /** Resolves with all received so far once it matches; rejects if the connection closes first. */
    until(pattern: RegExp | ((received: string) => boolean)): Promise<string> {
      const matches = typeof pattern === 'function' ? pattern : (raw: string) => pattern.test(raw);
      return new Promise((resolve, reject) => {
        const look = () => {
          if (matches(received)) resolve(received);
          else if (ended)
            reject(
              new Error(`closed before ${pattern} was received; got ${JSON.stringify(received)}`),
            );
          else waiters.push(look);
        };
        look();
      });
    },
  };
}

/**
 * True once `received` holds a whole final response (after any `100 Continue`): its head and the
 * body its Content-Length gives.
 */
export function wholeResponse(received: string): boolean {
  const start = received.lastIndexOf('HTTP/1.1 ');
  const headEnd = received.indexOf('\r\n\r\n', start);
  if (start === -1 || headEnd === -1 || /^HTTP\/1\.1 1\d\d /.test(received.slice(start)))
    return false;
  const length = /\r\ncontent-length: *(\d+)\r\n/i.exec(received.slice(start, headEnd + 2));
  return length !== null && received.length - (headEnd + 4) >= Number(length[1]);
}

/** The interim answer Node sends for `Expect: 100-continue` once the request reached the app. */
export const IN_FLIGHT = /HTTP\/1\.1 100 Continue\r\n\r\n/;

/** True when nothing listens on the port any more (the connection is refused). */
export function refusesConnections(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}
