import semver from 'semver';
import type { PluginCandidate } from './plugin-loader.js';

/**
 * Checks each plugin's core range and dependencies, then orders them so every plugin comes after
 * the ones it depends on. A plugin whose requirement fails (or that sits in a cycle) is refused,
 * and so is everything depending on it.
 */
export function orderPlugins(candidates: PluginCandidate[], coreVersion: string): PluginCandidate[] {
  const byId = new Map<string, PluginCandidate>();
  const refusedForCore = new Map<string, PluginCandidate>();
  for (const candidate of candidates) {
    if (candidate.refusal || !candidate.manifest) continue;
    const { id, coreRange } = candidate.manifest;
    if (byId.has(id)) {
      candidate.refusal = `plugin id ${id} is already provided by ${byId.get(id)!.source}`;
      continue;
    }
    if (!semver.satisfies(coreVersion, coreRange, { includePrerelease: true })) {
      candidate.refusal = `requires core ${coreRange}, but core ${coreVersion} is running`;
      refusedForCore.set(id, candidate);
      continue;
    }
    byId.set(id, candidate);
  }

  const ordered: PluginCandidate[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (candidate: PluginCandidate, trail: string[]): boolean => {
    const manifest = candidate.manifest!;
    if (state.get(manifest.id) === 'done') return !candidate.refusal;
    if (state.get(manifest.id) === 'visiting') {
      candidate.refusal = `dependency cycle: ${[...trail, manifest.id].join(' → ')}`;
      return false;
    }
    state.set(manifest.id, 'visiting');
    for (const [dependencyId, range] of Object.entries(manifest.dependsOn)) {
      const dependency = byId.get(dependencyId);
      const refusedDependency = refusedForCore.get(dependencyId);
      if (!dependency && refusedDependency) {
        candidate.refusal ??= `depends on ${dependencyId}, which was refused (${refusedDependency.refusal})`;
      } else if (!dependency) {
        candidate.refusal ??= `depends on ${dependencyId} ${range}, which is not available`;
      } else if (!semver.satisfies(dependency.manifest!.version, range, { includePrerelease: true })) {
        candidate.refusal ??= `depends on ${dependencyId} ${range}, but ${dependency.manifest!.version} is present`;
      } else if (!visit(dependency, [...trail, manifest.id])) {
        candidate.refusal ??= `depends on ${dependencyId}, which was refused (${dependency.refusal})`;
      }
    }
    state.set(manifest.id, 'done');
    if (!candidate.refusal) ordered.push(candidate);
    return !candidate.refusal;
  };
  for (const candidate of byId.values()) visit(candidate, []);
  return ordered;
}
