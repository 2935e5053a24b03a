import { describe, expect, it } from 'vitest';
import { parseProviderRegistry, projectFor, rankProviders } from '../../src/domain/provider-registry.js';
import { loadProviderRegistry } from '../../src/node/providers-file.js';

const base = (name: string, priority: number, extra: object = {}) => ({
  name,
  type: 'openstack',
  priority,
  identity_endpoint: `https://${name}.example.org:5000/v3`,
  regions: [{ name: 'r1' }, { name: 'r2' }],
  projects: { users: `${name}-users`, '*': `${name}-any` },
  ...extra,
});

describe('provider registry', () => {
  it('loads the shipped sample', () => {
    const registry = loadProviderRegistry(undefined);
    expect(registry.providers.map((p) => p.name)).toEqual(['sim-openstack', 'sim-backup', 'sim-third']);
    expect(registry.providers[0].regions[0].images['ubuntu-22.04']).toMatch(/^7f3c/);
  });

  it('reports every problem with its path', () => {
    const result = parseProviderRegistry({ providers: [{ name: '1bad', type: 'vmware', regions: [] }, base('a', 1)] });
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^providers\.0\.name: must start with a letter/),
        expect.stringMatching(/^providers\.0\.type: /),
        expect.stringMatching(/^providers\.0\.identity_endpoint: /),
        expect.stringMatching(/^providers\.0\.regions: /),
      ]),
    );
  });

  it('rejects duplicate provider names', () => {
    const result = parseProviderRegistry({ providers: [base('a', 1), base('a', 2)] });
    expect(result).toEqual({ ok: false, errors: ['providers.1.name: duplicate provider name a'] });
  });

  it('picks the project of the user group, else the wildcard', () => {
    const result = parseProviderRegistry({ providers: [base('a', 1)] });
    if (!result.ok) throw new Error(result.errors.join());
    const p = result.registry.providers[0];
    expect(projectFor(p, 'users')).toBe('a-users');
    expect(projectFor(p, 'others')).toBe('a-any');
    expect(projectFor({ ...p, projects: { users: 'x' } }, 'others')).toBeUndefined();
  });

  it('ranks enabled providers by priority and honours requested provider, region and group', () => {
    const result = parseProviderRegistry({
      providers: [base('slow', 50), base('fast', 5), base('off', 1, { enabled: false }), base('narrow', 2, { projects: { admins: 'p' } })],
    });
    if (!result.ok) throw new Error(result.errors.join());
    const all = rankProviders(result.registry, { userGroup: 'users' });
    expect(all.map((c) => `${c.provider.name}/${c.region.name}`)).toEqual(['fast/r1', 'fast/r2', 'slow/r1', 'slow/r2']);
    expect(rankProviders(result.registry, { userGroup: 'admins' })[0].provider.name).toBe('narrow');
    expect(rankProviders(result.registry, { provider: 'slow', region: 'r2' }).map((c) => c.project)).toEqual(['slow-any']);
    expect(rankProviders(result.registry, { provider: 'off' })).toEqual([]);
  });
});
