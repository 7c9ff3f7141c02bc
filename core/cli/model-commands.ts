import { join } from 'node:path';
import type { Command } from 'commander';
import type { z } from 'zod';
import { loadConfig } from '../config.js';
import { OsvError } from '../errors.js';
import { repoSchema, revisionSchema } from '../models/hub-files.js';
import { listModels } from '../models/list-models.js';
import { pullModel } from '../models/pull-model.js';

const collect = (value: string, previous: string[]) => [...previous, value];

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new OsvError('OSV_ERR_VALIDATION', `${what}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/** `osv models pull|list`: models for the tutor, kept in `<OSV_DATA_DIR>/models`. */
export function modelCommands(program: Command): void {
  const models = program.command('models').description('Models the tutor runs in-process, kept in <OSV_DATA_DIR>/models');

  models
    .command('pull <repo>')
    .description('Download a model from the Hugging Face Hub (or OSV_HF_ENDPOINT), checking every file')
    .option('--revision <revision>', 'branch, tag or commit', 'main')
    .option('--file <path>', 'a file of the repository to pull (repeatable; e.g. one .gguf)', collect, [])
    .option('--all', 'pull every file of the repository')
    .action(async (repo: string, options: { revision: string; file: string[]; all?: boolean }) => {
      const config = loadConfig();
      const modelsDir = join(config.OSV_DATA_DIR, 'models');
      const { folder, files } = await pullModel({
        endpoint: config.OSV_HF_ENDPOINT,
        token: config.HF_TOKEN,
        modelsDir,
        repo: parse(repoSchema, repo, 'repo'),
        revision: parse(revisionSchema, options.revision, '--revision'),
        files: options.file,
        all: options.all ?? false,
        progress: process.stderr,
      });
      const gguf = files.find((file) => file.path.endsWith('.gguf'));
      console.log(`${repo}: ${files.length} files in ${folder}`);
      console.log(gguf ? `use it: OSV_LLM_MODEL=${repo}/${gguf.path}` : `use it: OSV_EMBEDDING_MODEL=${repo}`);
    });

  models
    .command('list')
    .description('Show the models in the data directory and which setting uses each')
    .action(() => {
      const config = loadConfig();
      const modelsDir = join(config.OSV_DATA_DIR, 'models');
      const { models: found, missing } = listModels(modelsDir, { OSV_EMBEDDING_MODEL: config.OSV_EMBEDDING_MODEL, OSV_LLM_MODEL: config.OSV_LLM_MODEL });
      if (found.length === 0) console.log(`No models in ${modelsDir}. Pull one: osv models pull Xenova/all-MiniLM-L6-v2`);
      for (const model of found) {
        const size = `${(model.bytes / 1_000_000).toFixed(1)} MB`;
        console.log(`${model.name.padEnd(48)} ${model.kind.padEnd(16)} ${size.padStart(10)}  ${model.usedBy.join(', ') || 'unused'}`);
      }
      for (const reference of missing) console.log(`${reference}: not found (pull it, or fix the setting)`);
    });
}
