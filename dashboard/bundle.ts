import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { DEVICE_KINDS } from '../devices/kinds.js';

export interface DashboardFile {
  body: Buffer | string;
  contentType: string;
}

const DIR = dirname(fileURLToPath(import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

function contentType(path: string): string {
  return CONTENT_TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream';
}

/** The kind labels, taken from devices/ here in Node so the browser bundle carries no zod (≈450 KB). */
function kindLabels(): Record<string, { zh: string; en: string }> {
  return Object.fromEntries(Object.values(DEVICE_KINDS).map((def) => [def.kind, def.label]));
}

function shortHash(body: Uint8Array | string): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 12);
}

/**
 * Builds the dashboard in memory: `/` (index.html), `/app.js`, `/styles.css`,
 * the pages' chunks (`/lanes-<hash>.js`, named by content, so they are cached
 * for good) and the source maps, keyed by the URL path they are served at. The server calls
 * this once at startup (≈100 ms). index.html asks for the files with a content
 * hash in the query, so a phone never mixes an old script with a new page.
 */
export async function bundleDashboard(): Promise<Map<string, DashboardFile>> {
  const result = await build({
    absWorkingDir: DIR,
    entryPoints: { app: join(DIR, 'src/main.ts'), styles: join(DIR, 'styles.css') },
    outdir: join(DIR, 'dist'), // never written: write is false
    write: false,
    bundle: true,
    format: 'esm',
    // Each page is its own chunk, loaded when first shown: a resident's phone never downloads the committee's pages.
    splitting: true,
    chunkNames: '[name]-[hash]',
    target: 'es2020',
    minify: true,
    sourcemap: 'linked',
    charset: 'utf8', // Chinese strings as themselves, not \u escapes: smaller and greppable
    legalComments: 'none',
    logLevel: 'silent',
    define: { __LINLI_KINDS__: JSON.stringify(kindLabels()) },
  });

  const files = new Map<string, DashboardFile>();
  for (const out of result.outputFiles) {
    const path = `/${basename(out.path)}`;
    files.set(path, { body: Buffer.from(out.contents), contentType: contentType(path) });
  }
  for (const needed of ['/app.js', '/styles.css']) {
    if (!files.has(needed)) throw new Error(`dashboard bundle: esbuild produced no ${needed}`);
  }

  let html = await readFile(join(DIR, 'index.html'), 'utf8');
  for (const asset of ['/app.js', '/styles.css']) {
    const tag = `"${asset}"`;
    if (!html.includes(tag)) throw new Error(`dashboard bundle: index.html does not reference ${asset}`);
    html = html.replace(tag, `"${asset}?v=${shortHash(files.get(asset)!.body as Buffer)}"`);
  }
  files.set('/', { body: html, contentType: contentType('.html') });
  return files;
}
