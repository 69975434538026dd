// The physical reference of `npm run bench:read`: a bare Node `http` server
// answering every request with the same small JSON body (the shape of a
// service's /health/live), so its throughput is what this machine, Node and
// the load generator allow before any framework or database work.
//   PORT=3106 node bench/lib/bare-server.mjs
import http from 'node:http';

const BODY = Buffer.from(JSON.stringify({ status: 'ok', info: { process: { uptimeSeconds: 1, status: 'up' } }, error: {} }));
const server = http.createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': BODY.length });
  response.end(BODY);
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 3106), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
