import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig, unknownSettings } from '../../server/config.js';

/*
 * There is no Docker engine here to build the image, so what can be checked
 * without one is: the files the Dockerfile copies exist, everything the server
 * imports at run time survives `npm ci --omit=dev`, the container user can
 * write its data directory, and docker-compose.yml sets only real settings with
 * values the server accepts, on the ports it publishes.
 */
const root = join(import.meta.dirname, '..', '..');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { environment: Record<string, string>; ports: string[]; healthcheck: { test: string[] } }> };

/** `COPY a b dest` sources, from the build context (not `--from=` stages). */
const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+)$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/).slice(0, -1));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Bare package names a file imports for real (not `import type`, not node: builtins, not relative). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^'"]*?from\s+)?['"]([^'".][^'"]*)['"]/gm), ...text.matchAll(/import\(\s*['"]([^'".][^'"]*)['"]\s*\)/g)]
    .map((m) => m[1]!)
    .filter((spec) => !spec.startsWith('node:'))
    .map((spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!));
}

describe('Dockerfile', () => {
  it('copies only what exists, and every folder the server needs', () => {
    for (const src of copied) expect(existsSync(join(root, src)), src).toBe(true);
    for (const needed of ['devices', 'gateway', 'server', 'dashboard', 'package.json', 'package-lock.json', 'tsconfig.json']) expect(copied).toContain(needed);
  });

  it('runs as node with a data directory node owns', () => {
    expect(dockerfile).toMatch(/^USER node$/m);
    const chown = dockerfile.search(/chown node:node \/data/);
    expect(chown).toBeGreaterThan(-1);
    expect(chown).toBeLessThan(dockerfile.search(/^VOLUME \/data$/m));
  });

  it('installs without dev dependencies everything the copied code imports at run time', () => {
    const dirs = ['devices', 'gateway', 'server', 'dashboard'];
    const missing = dirs
      .flatMap((d) => sourceFiles(join(root, d)))
      .flatMap((file) => runtimeImports(file).map((name) => ({ file: relative(root, file), name })))
      .filter(({ name }) => !(name in pkg.dependencies));
    expect(missing).toEqual([]);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(pkg.dependencies).toHaveProperty('tsx'); // the CMD runs TypeScript through it
  });
});

describe('docker-compose.yml', () => {
  const linli = compose.services.linli!;

  it('sets only real settings, with values the server accepts', () => {
    expect(unknownSettings(linli.environment)).toEqual([]);
    expect(() => loadConfig(linli.environment)).not.toThrow();
  });

  it('publishes the ports the server listens on, and checks its health where the server answers', () => {
    const config = loadConfig(linli.environment);
    const containerPorts = linli.ports.map((p) => Number(String(p).split(':').pop()));
    expect(containerPorts).toEqual(expect.arrayContaining([config.httpPort, config.mqttPort, config.elevatorTcpPort]));
    expect(config.host).toBe('0.0.0.0'); // inside the container: reachable through the published ports
    expect(linli.healthcheck.test.join(' ')).toContain(`http://127.0.0.1:${config.httpPort}/healthz`);
  });
});
