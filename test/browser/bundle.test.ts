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
    const js = (await bundleDashboard()).get('/app.js')!.body.toString();
    expect(js).toContain('道闸'); // from devices/gate via the define in bundle.ts
    expect(js).not.toMatch(/ZodError|\$ZodType/);
    expect(js.length).toBeLessThan(60_000);
  });
});
