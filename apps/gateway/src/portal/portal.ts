import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PORTAL_CSP, PORTAL_PAGES } from './portal-pages.js';

/** Hashed build files (Vite names them by content): cached for a year. Anything else is revalidated each time. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

interface IndexFile {
  identity: Buffer;
  br?: Buffer;
  gzip?: Buffer;
  etag: string;
  lastModified: string;
}

function loadIndex(dir: string): IndexFile | undefined {
  const file = path.join(dir, 'index.html');
  if (!existsSync(file)) return undefined;
  const optional = (suffix: string) => (existsSync(file + suffix) ? readFileSync(file + suffix) : undefined);
  const stat = statSync(file);
  return {
    identity: readFileSync(file),
    br: optional('.br'),
    gzip: optional('.gz'),
    // Weak: the same validator for the plain, br and gzip bodies of one file.
    etag: `W/"${stat.size.toString(16)}-${stat.mtimeMs.toString(16)}"`,
    lastModified: stat.mtime.toUTCString(),
  };
}

/** The encoding to send: brotli, then gzip, when the client accepts it and the build wrote it. */
function encodingFor(request: FastifyRequest, index: IndexFile): 'br' | 'gzip' | undefined {
  const accepted = String(request.headers['accept-encoding'] ?? '');
  if (index.br && /\bbr\b/.test(accepted)) return 'br';
  if (index.gzip && /\bgzip\b/.test(accepted)) return 'gzip';
  return undefined;
}

/**
 * Serves the built member portal (`npm run build` → dist/portal/) at `/`: the files under their own paths
 * (precompressed .br/.gz when the client accepts them; hashed assets cached for a year, the rest revalidated by
 * ETag), and index.html for every portal page (PORTAL_PAGES), all under the portal's strict CSP. Without a
 * build the pages answer 404 PORTAL_NOT_BUILT in the API's error shape; the gateway starts either way.
 */
export async function servePortal(app: INestApplication, portalDir: string): Promise<void> {
  const root = path.resolve(portalDir);
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  const index = loadIndex(root);
  if (index) {
    await fastify.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: false,
      index: false,
      preCompressed: true,
      decorateReply: false,
      allowedPath: (pathName) => !pathName.endsWith('.br') && !pathName.endsWith('.gz') && pathName !== '/index.html',
      setHeaders: (reply, filePath) => {
        reply.header('content-security-policy', PORTAL_CSP);
        reply.header('cache-control', filePath.startsWith(path.join(root, 'assets') + path.sep) ? IMMUTABLE : REVALIDATE);
      },
    });
  }
  const page = (request: FastifyRequest, reply: FastifyReply) => {
    if (!index)
      return reply.status(404).send({
        statusCode: 404,
        code: 'PORTAL_NOT_BUILT',
        message: String(request.headers['accept-language'] ?? '').startsWith('fa')
          ? 'پرتال ساخته نشده است: npm run build را اجرا کنید.'
          : 'The portal is not built: run npm run build.',
        details: [],
      });
    reply.raw.setHeader('Content-Security-Policy', PORTAL_CSP);
    reply
      .header('cache-control', REVALIDATE)
      .header('etag', index.etag)
      .header('last-modified', index.lastModified)
      .header('vary', 'Accept-Encoding');
    if (request.headers['if-none-match'] === index.etag) return reply.status(304).send();
    const encoding = encodingFor(request, index);
    reply.type('text/html; charset=utf-8');
    if (encoding) reply.header('content-encoding', encoding);
    return reply.send(encoding === 'br' ? index.br : encoding === 'gzip' ? index.gzip : index.identity);
  };
  for (const url of PORTAL_PAGES) fastify.get(url, page);
}
