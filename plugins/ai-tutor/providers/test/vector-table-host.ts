import { definePlugin, type PluginContext } from '../../../../core/plugin-api.js';
import vectorsMigration from '../migrations/0100-vectors.js';

/** The tutor's plugin id with only the vector tables: stores get a real plugin database handle. */
export function vectorTableHost(onRegister: (db: PluginContext['db']) => void) {
  return definePlugin({
    manifest: { id: 'ai-tutor', name: 'Vector table host', version: '1.0.0', coreRange: '>=0.1.0 <1.0.0' },
    migrations: [vectorsMigration],
    register: (ctx) => onRegister(ctx.db),
  });
}
