// The member portal's build: `npm run build` runs it (scripts/build.mjs) into dist/portal/, which the gateway
// serves at `/` (apps/gateway/src/portal). Next to every text asset it writes the .br and .gz the gateway sends
// to browsers that accept them, so nothing is compressed per request. `npm run portal:dev` serves the sources
// with the API proxied to a running gateway (npm start).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const OUT_DIR = path.resolve(import.meta.dirname, '../../dist/portal');
const COMPRESSIBLE = /\.(js|css|html|svg|json|txt|map)$/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

/** Writes file.br and file.gz beside every compressible output file (fonts are woff2, compressed already). */
function precompress(): Plugin {
  return {
    name: 'darman-precompress',
    apply: 'build',
    closeBundle() {
      for (const file of files(OUT_DIR).filter((f) => COMPRESSIBLE.test(f))) {
        const content = readFileSync(file);
        writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
        writeFileSync(`${file}.br`, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
      }
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: OUT_DIR,
    emptyOutDir: true,
    target: 'es2022',
    // The strict CSP allows no inline script: Vite's module-preload polyfill stays out (every supported browser has it).
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  plugins: [precompress()],
  server: { proxy: { '/api': process.env.PORTAL_API ?? 'http://127.0.0.1:3000' } },
});
