import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** One proxied connection: what the client sent so far (to tell connections apart), and a switch to stall its replies. */
export interface ProxiedConnection {
  sent(): string;
  /** While stalled, what the server sends is held back (the connection stays open, as on a stalled network path). */
  stall(on: boolean): void;
}

/**
 * A TCP proxy in front of a Redis that can stall one connection's server-to-client direction: the connection neither
 * closes nor errors, it just stops delivering, which no 'close' event reveals.
 */
export class StallingProxy {
  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly connections: ProxiedConnection[],
    private readonly sockets: Socket[],
  ) {}

  static async start(target: { host: string; port: number }): Promise<StallingProxy> {
    const connections: ProxiedConnection[] = [];
    const sockets: Socket[] = [];
    const server = createServer((client) => {
      const upstream = createConnection(target);
      sockets.push(client, upstream);
      let sent = '';
      let stalled = false;
      const held: Buffer[] = [];
      client.on('data', (chunk) => {
        sent += chunk.toString('latin1');
        upstream.write(chunk);
      });
      upstream.on('data', (chunk) => (stalled ? held.push(chunk) : client.write(chunk)));
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
      connections.push({
        sent: () => sent,
        stall: (on) => {
          stalled = on;
          if (!on) for (const chunk of held.splice(0)) client.write(chunk);
        },
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy has no port');
    return new StallingProxy(server, address.port, connections, sockets);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** The proxied connection whose client sent `marker` (a CLIENT SETNAME name, say). */
  connectionSending(marker: string): ProxiedConnection {
    const found = this.connections.find((c) => c.sent().includes(marker));
    if (!found) throw new Error(`no proxied connection sent ${marker}`);
    return found;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
