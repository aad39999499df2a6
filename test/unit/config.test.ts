import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, unknownSettings } from '../../server/config.js';

describe('loadConfig', () => {
  it('starts with nothing set: loopback, 3000 and 1883, ./data, fsynced commits', () => {
    expect(loadConfig({})).toMatchObject({ host: '127.0.0.1', httpPort: 3000, mqttPort: 1883, dataDir: './data', dbSync: 'full', offlineDebounceMs: 30_000 });
  });

  it.each([
    [{ LINLI_HTTP_PORT: '70000' }, 'LINLI_HTTP_PORT'],
    [{ LINLI_DB_SYNC: 'sometimes' }, 'LINLI_DB_SYNC'],
    [{ LINLI_ADMIN_PASSWORD: 'short' }, 'LINLI_ADMIN_PASSWORD: must be at least 8 characters'],
    [{ LINLI_METRICS_TOKEN: 'tiny' }, 'LINLI_METRICS_TOKEN: must be at least 16 characters'],
    [{ LINLI_TLS_CERT: '/etc/linli/cert.pem' }, 'LINLI_TLS_CERT and LINLI_TLS_KEY must be set together'],
  ])('refuses %o, naming the variable', (env, named) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(named);
  });
});

describe('unknownSettings', () => {
  it('names a misspelt setting and the one it was probably meant to be', () => {
    expect(unknownSettings({ LINLI_HTTPPORT: '8080', LINLI_MQTT_PORT: '1883', PATH: '/usr/bin' })).toEqual([{ name: 'LINLI_HTTPPORT', didYouMean: 'LINLI_HTTP_PORT' }]);
    expect(unknownSettings({ LINLI_DB_SYNK: 'normal' })).toEqual([{ name: 'LINLI_DB_SYNK', didYouMean: 'LINLI_DB_SYNC' }]);
  });

  it('names one that is nothing like a setting without a guess, and leaves the demo runner’s own alone', () => {
    expect(unknownSettings({ LINLI_COLOUR_SCHEME: 'dark', LINLI_DEMO_RATE: '60', LINLI_DEMO_ESTATE: 'heping' })).toEqual([{ name: 'LINLI_COLOUR_SCHEME' }]);
  });
});
