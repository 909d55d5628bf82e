/**
 * Binding a server to its address, shared by `serve` and `receive`: a port in use, a privileged port or a host that is
 * not this machine's is a mistake in the flags (exit 2) and the message names the flag and the address.
 */
import type { AddressInfo, Server } from 'node:net';
import { OvsimError } from '../errors.js';

/** Listens on host:port; resolves with the address bound. @throws OvsimError BAD_INPUT (IO for other failures) */
export async function listenOn(server: Server, port: number, host: string): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(listenError(e, host, port));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
  return server.address() as AddressInfo;
}

function listenError(e: NodeJS.ErrnoException, host: string, port: number): OvsimError {
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  switch (e.code) {
    case 'EADDRINUSE':
      return new OvsimError(
        'BAD_INPUT',
        `--port ${port}: ${where} is already in use (EADDRINUSE); choose another port, or --port 0 for any free one`,
        { cause: e },
      );
    case 'EACCES':
      return new OvsimError(
        'BAD_INPUT',
        `--port ${port}: not allowed to listen on ${where} (EACCES; ports below 1024 need privileges)`,
        { cause: e },
      );
    case 'EADDRNOTAVAIL':
      return new OvsimError('BAD_INPUT', `--host ${host}: not an address of this machine (EADDRNOTAVAIL)`, {
        cause: e,
      });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new OvsimError('BAD_INPUT', `--host ${host}: no such host (${e.code})`, { cause: e });
    default:
      return new OvsimError('IO', `cannot listen on ${where}: ${e.message}`, { cause: e });
  }
}
