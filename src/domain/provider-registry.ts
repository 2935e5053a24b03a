import { z } from 'zod';

const IaasType = z.enum(['openstack', 'opennebula', 'ec2', 'azure', 'kubernetes', 'egi', 'dummy']);

const Region = z.object({
  name: z.string().min(1),
  /** Template image names (e.g. "ubuntu-22.04") → provider image ids for this region. */
  images: z.record(z.string(), z.string()).default({}),
  /** Template flavour names or sizes → provider flavour names for this region. */
  flavours: z.record(z.string(), z.string()).default({}),
});

export const ProviderSchema = z.object({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, { error: 'must start with a letter; letters, digits, "_" and "-" only' }),
  type: IaasType,
  enabled: z.boolean().default(true),
  priority: z.number().int().min(0).default(100),
  identity_endpoint: z.url(),
  /** OIDC federation fields of the cloud line (OpenStack: IdP name and protocol). */
  idp_name: z.string().optional(),
  idp_protocol: z.string().default('oidc'),
  auth_version: z.string().default('3.x_oidc_access_token'),
  regions: z.array(Region).min(1),
  /** User group → IaaS project; `*` applies to every other group. */
  projects: z.record(z.string(), z.string()).default({}),
});

export const ProviderRegistrySchema = z.object({ providers: z.array(ProviderSchema).min(1) }).superRefine((r, ctx) => {
  const seen = new Set<string>();
  r.providers.forEach((p, i) => {
    if (seen.has(p.name)) ctx.addIssue({ code: 'custom', path: ['providers', i, 'name'], message: `duplicate provider name ${p.name}` });
    seen.add(p.name);
  });
});

export type Provider = z.infer<typeof ProviderSchema>;
export type ProviderRegion = z.infer<typeof Region>;
export type ProviderRegistry = z.infer<typeof ProviderRegistrySchema>;

/** Validates a parsed registry document; errors carry the path of each problem. */
export function parseProviderRegistry(doc: unknown): { ok: true; registry: ProviderRegistry } | { ok: false; errors: string[] } {
  const parsed = ProviderRegistrySchema.safeParse(doc);
  if (parsed.success) return { ok: true, registry: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
}

export function projectFor(provider: Provider, userGroup: string | undefined): string | undefined {
  return (userGroup !== undefined ? provider.projects[userGroup] : undefined) ?? provider.projects['*'];
}

export interface ProviderChoice {
  provider: Provider;
  region: ProviderRegion;
  project: string;
}

/**
 * Candidate (provider, region) pairs for a request, best first: enabled, matching the requested
 * provider/region, with a project for the user's group; ranked by priority then name.
 */
export function rankProviders(
  registry: ProviderRegistry,
  request: { provider?: string; region?: string; userGroup?: string },
): ProviderChoice[] {
  const out: ProviderChoice[] = [];
  for (const provider of registry.providers) {
    if (!provider.enabled) continue;
    if (request.provider && provider.name !== request.provider) continue;
    const project = projectFor(provider, request.userGroup);
    if (!project) continue;
    for (const region of provider.regions) {
      if (request.region && region.name !== request.region) continue;
      out.push({ provider, region, project });
    }
  }
  return out.sort((a, b) => a.provider.priority - b.provider.priority || a.provider.name.localeCompare(b.provider.name) || a.region.name.localeCompare(b.region.name));
}
