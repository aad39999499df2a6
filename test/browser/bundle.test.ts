import { describe, expect, it } from 'vitest';
import { bundleDashboard } from '../../dashboard/bundle.js';

/* What the server serves for the dashboard, built the way it builds it at startup. */
describe('bundleDashboard', () => {
  it('builds the page, script and styles in well under a second', async () => {
    const started = performance.now();
    const files = await bundleDashboard();
    expect(performance.now() - started).toBeLessThan(1_000);

    expect(files.get('/')?.contentType).toBe('text/html; charset=utf-8');
    expect(files.get('/app.js')?.contentType).toBe('text/javascript; charset=utf-8');
    expect(files.get('/styles.css')?.contentType).toBe('text/css; charset=utf-8');
  });

  it('points the page at the exact build, so a phone never mixes old and new files', async () => {
    const files = await bundleDashboard();
    const html = String(files.get('/')!.body);
    expect(html).toMatch(/<html lang="zh-CN">/);
    expect(html).toMatch(/src="\/app\.js\?v=[0-9a-f]{12}"/);
    expect(html).toMatch(/href="\/styles\.css\?v=[0-9a-f]{12}"/);
  });

  it('stays small for a phone on estate Wi-Fi: kind labels are inlined, zod is not shipped', async () => {
    const files = await bundleDashboard();
    const scripts = [...files].filter(([path]) => path.endsWith('.js')).map(([path, f]) => [path, f.body.toString()] as const);
    const all = scripts.map(([, js]) => js).join('\n');
    expect(all).toContain('道闸'); // from devices/gate via the define in bundle.ts
    for (const [path, js] of scripts) expect(js, path).not.toMatch(/ZodError|\$ZodType/);
    // What every phone loads first (the entry and what it imports statically) stays small; pages come as they are opened.
    const app = files.get('/app.js')!.body.toString();
    const eager = [app, ...[...app.matchAll(/from"\.\/([\w-]+\.js)"/g)].map((m) => files.get(`/${m[1]}`)!.body.toString())];
    expect(eager.join('').length).toBeLessThan(40_000);
    expect(all.length).toBeLessThan(100_000);
  });

  it('splits the pages into chunks named by their content, each one served', async () => {
    const files = await bundleDashboard();
    const app = files.get('/app.js')!.body.toString();
    const pages = [...app.matchAll(/import\("\.\/([\w-]+\.js)"\)/g)].map((m) => m[1]!);
    expect(pages.length).toBeGreaterThanOrEqual(8);
    for (const page of pages) {
      expect(page).toMatch(/-[A-Z0-9]{8}\.js$/); // content hash: safe to cache for a year
      expect(files.get(`/${page}`)?.contentType).toBe('text/javascript; charset=utf-8');
    }
  });
});
