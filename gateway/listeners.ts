import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createWebSocketStream, type WebSocket } from 'ws';

/**
 * The MQTT listeners. TCP_NODELAY on every socket: with Nagle and delayed ACKs a
 * broker sharing a core with a busy process showed ~40 ms p99.9 spikes
 * (toolchain notes); with it p99.9 stayed under 5 ms.
 */
export type Accept = (conn: Duplex, req?: IncomingMessage) => void;

export interface Listening {
  port: number;
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<Listening> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((res) => server.close(() => res())),
      });
    });
  });
}

export function listenTcp(accept: Accept, port: number, host: string): Promise<Listening> {
  const server = createTcpServer({ noDelay: true }, (socket) => accept(socket));
  return listen(server, port, host);
}

export function listenTls(accept: Accept, port: number, host: string, files: { cert: string; key: string }): Promise<Listening> {
  const server = createTlsServer({ cert: readFileSync(files.cert), key: readFileSync(files.key) }, (socket) => {
    socket.setNoDelay(true);
    accept(socket);
  });
  return listen(server, port, host);
}

/** MQTT over WebSocket: the HTTP server owns the upgrade at `/mqtt` and hands each socket here. */
export function acceptWebSocket(accept: Accept, ws: WebSocket, req: IncomingMessage): void {
  const stream = createWebSocketStream(ws);
  stream.on('error', () => stream.destroy());
  accept(stream, req);
}
