import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.js';
import { decryptText, encryptText, loadPlatformSecrets } from '../../core/secrets.js';

describe('platform secrets', () => {
  it('generates keys once into a 0600 file and reuses them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'osv-secrets-'));
    const config = loadConfig({ OSV_DATA_DIR: dir });
    const first = await loadPlatformSecrets(config);
    const second = await loadPlatformSecrets(config);
    expect(first.encryptionKey.equals(second.encryptionKey)).toBe(true);
    expect(first.encryptionKey).toHaveLength(32);
    expect(statSync(path.join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
  });

  it('gives two processes starting at once the same generated keys', async () => {
    const config = loadConfig({ OSV_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'osv-secrets-')) });
    const [a, b] = await Promise.all([loadPlatformSecrets(config), loadPlatformSecrets(config)]);
    expect(a.encryptionKey.equals(b.encryptionKey)).toBe(true);
  });

  it('prefers keys given by the environment', async () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const config = loadConfig({ OSV_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'osv-secrets-')), OSV_ENCRYPTION_KEY: key, OSV_SIGNING_KEY: key });
    expect((await loadPlatformSecrets(config)).encryptionKey.toString('base64')).toBe(key);
  });

  it('encrypts with authentication: a tampered or foreign-key value does not decrypt', () => {
    const key = Buffer.alloc(32, 1);
    const sealed = encryptText(key, 'sk_live_abc');
    expect(sealed).not.toContain('sk_live_abc');
    expect(decryptText(key, sealed)).toBe('sk_live_abc');
    expect(() => decryptText(Buffer.alloc(32, 2), sealed)).toThrow();
    const tampered = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}A`;
    expect(() => decryptText(key, tampered)).toThrow();
  });
});
