import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../core/config.js';

describe('configuration', () => {
  it('runs on embedded defaults with no environment at all', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', PUBLIC_URL: 'http://localhost:3000', OSV_RUN_WORKERS: true });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('stops start-up naming each bad variable', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'not a url', OSV_RUN_WORKERS: 'maybe' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PORT/);
    expect(attempt).toThrow(/DATABASE_URL/);
    expect(attempt).toThrow(/OSV_RUN_WORKERS/);
  });

  it('refuses encryption keys that are not 32 bytes', () => {
    expect(() => loadConfig({ OSV_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') })).toThrow(/OSV_ENCRYPTION_KEY: must be 32 bytes/);
  });

  it('accepts only an absolute http(s) PUBLIC_URL, naming the variable and the expected form', () => {
    for (const value of ['localhost:3000', 'ftp://x', 'osv.example.edu', 'https://']) {
      expect(() => loadConfig({ PUBLIC_URL: value }), value).toThrow(/PUBLIC_URL: must .*https:\/\/osv\.example\.edu/);
    }
    expect(loadConfig({ PUBLIC_URL: 'https://osv.example.edu' }).PUBLIC_URL).toBe('https://osv.example.edu');
    expect(loadConfig({ PUBLIC_URL: 'http://localhost:3000' }).PUBLIC_URL).toBe('http://localhost:3000');
  });

  it('parses lists and flags', () => {
    const config = loadConfig({ OSV_PLUGINS: 'osv-plugin-a, @acme/osv-b', OSV_RUN_WORKERS: 'false', PORT: '8080' });
    expect(config.OSV_PLUGINS).toEqual(['osv-plugin-a', '@acme/osv-b']);
    expect(config.OSV_RUN_WORKERS).toBe(false);
    expect(config.PUBLIC_URL).toBe('http://localhost:8080');
  });
});
