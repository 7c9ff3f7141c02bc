import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const widgetsRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const sourceDir = path.join(widgetsRoot, 'src');
/** Served by core as `/widgets/v1/`. */
export const outputDir = path.join(widgetsRoot, 'dist', 'v1');
