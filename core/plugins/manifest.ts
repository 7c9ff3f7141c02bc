import semver from 'semver';
import { z } from 'zod';
import { ROLES } from '../auth/principal.js';

/** Ids that would collide with core tables, routes or queues. */
const RESERVED_IDS = ['core', 'admin', 'api', 'auth', 'tenants', 'tenant', 'plugins', 'plugin', 'outbox', 'osv', 'widgets', 'lti'];

export const PLUGIN_ID = /^[a-z][a-z0-9-]{1,30}$/;

/** A plugin's tables are named `<id with _ for ->_<name>`; its migrations may create no others. */
export function pluginTablePrefix(pluginId: string): string {
  return `${pluginId.replaceAll('-', '_')}_`;
}

const semverVersion = z.string().refine((value) => semver.valid(value) !== null, 'must be a semver version such as 1.2.3');
const semverRange = z.string().refine((value) => semver.validRange(value) !== null, 'must be a semver range such as ^1.0.0');

const capabilitySchema = z.strictObject({
  description: z.string().min(1),
  defaultRoles: z.array(z.enum(ROLES)),
  risk: z.array(z.enum(['pii', 'payments', 'cost'])).default([]),
});

const settingsSchema = z.strictObject({
  schema: z.custom<z.ZodObject>((value) => value instanceof z.ZodObject, 'must be a zod object schema'),
  secretKeys: z.array(z.string()).default([]),
});

const contentItemSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  title: z.string().min(1),
  description: z.string().optional(),
  widget: z.string().regex(/^osv-[a-z0-9-]+$/).optional(),
  /**
   * The item is graded (a quiz…): deep linking asks the LMS for a gradebook column with this
   * maximum score (and label, default the title), so scores the plugin submits have a column.
   */
  gradable: z.strictObject({ scoreMaximum: z.number().positive().max(1_000_000), label: z.string().min(1).max(255).optional() }).optional(),
});

/** The manifest is data, validated strictly: unknown keys are refused, not ignored. */
export const manifestSchema = z
  .strictObject({
    id: z
      .string()
      .regex(PLUGIN_ID, 'must be 2-31 lowercase letters, digits or hyphens, starting with a letter')
      .refine((id) => !RESERVED_IDS.includes(id), 'is reserved by the core'),
    name: z.string().min(1),
    description: z.string().default(''),
    version: semverVersion,
    coreRange: semverRange,
    dependsOn: z.record(z.string().regex(PLUGIN_ID), semverRange).default({}),
    capabilities: z.record(z.string(), capabilitySchema).default({}),
    settings: settingsSchema.optional(),
    events: z
      .strictObject({
        emits: z.array(z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z][a-zA-Z0-9-]*)+$/)).default([]),
        listens: z.array(z.string()).default([]),
      })
      .default({ emits: [], listens: [] }),
    widgets: z.array(z.strictObject({ tag: z.string().regex(/^osv-[a-z0-9-]+$/), entry: z.string().min(1) })).default([]),
    lti: z.strictObject({ contentItems: z.array(contentItemSchema).default([]), scopes: z.array(z.string()).default([]) }).optional(),
  })
  .superRefine((manifest, issues) => {
    for (const name of Object.keys(manifest.capabilities)) {
      if (!name.startsWith(`${manifest.id}:`) || !/^[a-z][a-z0-9-]*:[a-z][a-z0-9.-]*$/.test(name)) {
        issues.addIssue({ code: 'custom', path: ['capabilities', name], message: `must be named ${manifest.id}:<verb>` });
      }
    }
    for (const event of manifest.events.emits) {
      if (!event.startsWith(`${manifest.id}.`)) {
        issues.addIssue({ code: 'custom', path: ['events', 'emits'], message: `${event} must start with ${manifest.id}.` });
      }
    }
    for (const key of manifest.settings?.secretKeys ?? []) {
      if (!(key in manifest.settings!.schema.shape)) {
        issues.addIssue({ code: 'custom', path: ['settings', 'secretKeys'], message: `${key} is not a settings key` });
      }
    }
    if (manifest.id in manifest.dependsOn) issues.addIssue({ code: 'custom', path: ['dependsOn'], message: 'a plugin cannot depend on itself' });
  });

export type PluginManifestInput = z.input<typeof manifestSchema>;
export type PluginManifest = z.output<typeof manifestSchema>;

export function parseManifest(value: unknown): { manifest: PluginManifest } | { error: string } {
  const result = manifestSchema.safeParse(value);
  if (result.success) return { manifest: result.data };
  return { error: result.error.issues.map((issue) => `${issue.path.join('.') || 'manifest'}: ${issue.message}`).join('; ') };
}
