import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { type HubRepoFile, type HubServer, startHubServer } from '../../support/hub-server.js';

const ONNX_REPO: HubRepoFile[] = [
  { path: 'config.json', bytes: Buffer.from('{"model_type":"bert","hidden_size":384}') },
  { path: 'tokenizer.json', bytes: Buffer.from('{"version":"1.0"}') },
  { path: 'tokenizer_config.json', bytes: Buffer.from('{"model_max_length":512}') },
  { path: '1_Pooling/config.json', bytes: Buffer.from('{"pooling_mode_mean_tokens":true}') },
  { path: 'onnx/model_quantized.onnx', bytes: randomBytes(3_000_000), lfs: true },
  { path: 'onnx/model.onnx', bytes: randomBytes(1000), lfs: true },
  { path: 'pytorch_model.bin', bytes: randomBytes(1000), lfs: true },
];
const GGUF_REPO: HubRepoFile[] = [
  { path: 'README.md', bytes: Buffer.from('# tiny') },
  { path: 'tiny-Q4_K_M.gguf', bytes: randomBytes(500_000), lfs: true },
  { path: 'tiny-Q8_0.gguf', bytes: randomBytes(900_000), lfs: true },
];

let hub: HubServer;
let dataDir: string;
const env = () => ({ OSV_HF_ENDPOINT: hub.endpoint, OSV_DATA_DIR: dataDir });
const modelsDir = () => join(dataDir, 'models');

/** The CLI's exit: its output whether it succeeded or not. */
async function osv(args: string[], extraEnv: Record<string, string> = {}) {
  try {
    return { code: 0, ...(await runCli(['models', ...args], { ...env(), ...extraEnv })) };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  hub = await startHubServer({
    'acme/mini-embedder': ONNX_REPO,
    'acme/tiny-chat-GGUF': GGUF_REPO,
    'acme/broken': [{ path: 'config.json', bytes: Buffer.from('{}') }, { path: 'onnx/model.onnx', bytes: randomBytes(200_000), lfs: true, corrupt: true }],
  });
  dataDir = mkdtempSync(join(tmpdir(), 'osv-models-cli-'));
});
afterAll(() => hub?.close());

describe('osv models pull', () => {
  it('downloads the configuration, tokenizer and one ONNX export, with a progress bar, and says how to use it', async () => {
    const result = await osv(['pull', 'acme/mini-embedder']);
    expect(result.code).toBe(0);
    const folder = join(modelsDir(), 'acme/mini-embedder');
    for (const file of ONNX_REPO.slice(0, 5)) expect(readFileSync(join(folder, file.path)).equals(file.bytes)).toBe(true);
    expect(existsSync(join(folder, 'onnx/model.onnx'))).toBe(false);
    expect(existsSync(join(folder, 'pytorch_model.bin'))).toBe(false);
    expect(result.stderr).toMatch(/onnx\/model_quantized\.onnx \[=+\] 100% 3\.0\/3\.0 MB/);
    expect(result.stdout).toContain('use it: OSV_EMBEDDING_MODEL=acme/mini-embedder');
  }, 60_000);

  it('does not download intact files again', async () => {
    const before = hub.requests.length;
    const result = await osv(['pull', 'acme/mini-embedder']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('onnx/model_quantized.onnx: already here');
    expect(hub.requests.slice(before).filter((path) => !path.startsWith('/api/'))).toEqual([]);
  }, 60_000);

  it('asks which GGUF file to pull, then pulls just that one', async () => {
    const asked = await osv(['pull', 'acme/tiny-chat-GGUF']);
    expect(asked.code).toBe(1);
    expect(asked.stderr).toContain('choose one with --file: tiny-Q4_K_M.gguf, tiny-Q8_0.gguf');
    const pulled = await osv(['pull', 'acme/tiny-chat-GGUF', '--file', 'tiny-Q4_K_M.gguf']);
    expect(pulled.code).toBe(0);
    expect(readdirSync(join(modelsDir(), 'acme/tiny-chat-GGUF'))).toEqual(['tiny-Q4_K_M.gguf']);
    expect(pulled.stdout).toContain('use it: OSV_LLM_MODEL=acme/tiny-chat-GGUF/tiny-Q4_K_M.gguf');
  }, 60_000);

  it('keeps nothing of a file whose checksum is wrong', async () => {
    const result = await osv(['pull', 'acme/broken']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/osv: onnx\/model\.onnx: sha256 [0-9a-f]{64} differs from the hub's [0-9a-f]{64}; nothing was kept, pull again/);
    expect(existsSync(join(modelsDir(), 'acme/broken/onnx/model.onnx'))).toBe(false);
    expect(existsSync(join(modelsDir(), 'acme/broken/onnx/model.onnx.part'))).toBe(false);
  }, 60_000);

  it('says plainly when a repository does not exist or a name is malformed', async () => {
    const unknown = await osv(['pull', 'acme/nothing-here']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`osv: acme/nothing-here (revision main) is not on ${hub.endpoint}`);
    const malformed = await osv(['pull', '../../etc']);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain('osv: repo: a model repository is named owner/name');
  }, 60_000);
});

describe('osv models list', () => {
  it('shows each model with its kind, size and the setting that uses it, and settings naming nothing', async () => {
    const result = await osv(['list'], { OSV_EMBEDDING_MODEL: 'acme/mini-embedder', OSV_LLM_MODEL: 'acme/absent.gguf' });
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^acme\/mini-embedder\s+ONNX embeddings\s+3\.0 MB\s+OSV_EMBEDDING_MODEL$/));
    expect(lines).toContainEqual(expect.stringMatching(/^acme\/tiny-chat-GGUF\s+GGUF chat\s+0\.5 MB\s+unused$/));
    expect(lines).toContainEqual('OSV_LLM_MODEL=acme/absent.gguf: not found (pull it, or fix the setting)');
  }, 60_000);

  it('says how to pull a model when there is none', async () => {
    const result = await osv(['list'], { OSV_DATA_DIR: mkdtempSync(join(tmpdir(), 'osv-empty-')) });
    expect(result.stdout).toMatch(/^No models in .*\. Pull one: osv models pull Xenova\/all-MiniLM-L6-v2/);
  }, 60_000);
});
