import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Config } from './config.js';

export interface PlatformSecrets {
  encryptionKey: Buffer;
  signingKey: Buffer;
}

const secretsFileSchema = z.object({ encryptionKey: z.string(), signingKey: z.string() });

/**
 * Secrets come from the environment when given; otherwise they are generated once into
 * `<data dir>/secrets.json` (mode 0600) so restarts can still decrypt what was stored.
 */
export async function loadPlatformSecrets(config: Config): Promise<PlatformSecrets> {
  if (config.OSV_ENCRYPTION_KEY && config.OSV_SIGNING_KEY) {
    return fromBase64(config.OSV_ENCRYPTION_KEY, config.OSV_SIGNING_KEY);
  }
  const file = path.join(config.OSV_DATA_DIR, 'secrets.json');
  const generated = (await readSecretsFile(file)) ?? (await createSecretsFile(config.OSV_DATA_DIR, file));
  return fromBase64(
    config.OSV_ENCRYPTION_KEY ?? generated.encryptionKey,
    config.OSV_SIGNING_KEY ?? generated.signingKey,
  );
}

async function readSecretsFile(file: string): Promise<z.infer<typeof secretsFileSchema> | undefined> {
  try {
    return secretsFileSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Exclusive create: when two processes start at once, the second reads what the first wrote. */
async function createSecretsFile(dataDir: string, file: string): Promise<z.infer<typeof secretsFileSchema>> {
  const secrets = { encryptionKey: randomBytes(32).toString('base64'), signingKey: randomBytes(32).toString('base64') };
  await mkdir(dataDir, { recursive: true, mode: 0o755 });
  try {
    await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' });
    await chmod(file, 0o600);
    return secrets;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const written = await readSecretsFile(file);
    if (!written) throw error;
    return written;
  }
}

function fromBase64(encryptionKey: string, signingKey: string): PlatformSecrets {
  return { encryptionKey: Buffer.from(encryptionKey, 'base64'), signingKey: Buffer.from(signingKey, 'base64') };
}

/** AES-256-GCM; the output carries its own IV and tag: `v1.<iv>.<tag>.<ciphertext>` (base64url). */
export function encryptText(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

export function decryptText(key: Buffer, sealed: string): string {
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || ciphertext === undefined) throw new Error('Unrecognised encrypted value');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}
