// A TCP relay in front of PostgreSQL for the chaos run: libs/testing's
// TcpProxy (cut() drops every connection and refuses new ones, restore() lets
// them through again) in plain JavaScript, since libs/testing is not part of
// the build, plus what the chaos run needs on top: the local ports of its
// connections to the server. pg_stat_activity.client_port is one of them, so
// with one relay per service process a backend (and its open transaction) is
// attributed to the process that owns it, even when two replicas share a
// database and the same application_name.
import net from 'node:net';

export class DbProxy {
  #server;
  #sockets = new Set();
  #upstreams = new Set();
  port = 0;

  constructor(targetHost, targetPort) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  async start(port = 0) {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, this.targetHost);
      this.#upstreams.add(upstream);
      upstream.on('close', () => this.#upstreams.delete(upstream));
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    this.#server = server;
    this.port = server.address().port;
    return this.port;
  }

  get isCut() {
    return !this.#server;
  }

  /** Local ports of the relay's open connections to PostgreSQL (pg_stat_activity.client_port). */
  upstreamPorts() {
    return new Set([...this.#upstreams].map((s) => s.localPort).filter(Boolean));
  }

  async cut() {
    const server = this.#server;
    this.#server = undefined;
    for (const s of this.#sockets) s.destroy();
    this.#sockets.clear();
    await new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  async restore() {
    if (!this.#server) await this.start(this.port);
  }

  stop() {
    return this.cut();
  }
}
