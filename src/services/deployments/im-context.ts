import { creatorCredentials, type DeploymentRow } from '../../db/deployments-repo.js';
import type { Provider } from '../../domain/provider-registry.js';
import type { ImCallContext } from '../../im/index.js';
import type { Services } from '../services.js';
import { changeDeployment } from './change-deployment.js';

/** A step cannot go on for a reason the deployment should record (not a bug, not a transient error). */
export class StepFailure extends Error {}

export function providerNamed(s: Services, name: string | null): Provider | undefined {
  return name === null ? undefined : s.providers.providers.find((p) => p.name === name);
}

/**
 * The IM call context for a provider with a usable token of the deployment's user: refreshed when
 * about to expire; a StepFailure naming why when that is impossible.
 */
export async function imContext(s: Services, row: DeploymentRow, provider: Provider, project: string | null): Promise<ImCallContext> {
  if (!row.accessTokenEncrypted) throw new StepFailure('no access token is stored for the deployment');
  const accessToken = await s.secrets.open(row.accessTokenEncrypted);
  const creds = row.createdBy ? await creatorCredentials(s.db, row.createdBy) : undefined;
  const fresh = await s.tokens.freshAccessToken({ accessToken, refreshTokenSealed: creds?.refreshTokenEncrypted ?? null, issuer: creds?.issuer ?? '' });
  if (!fresh.ok) throw new StepFailure(`cannot act for the user on the IM: ${fresh.reason}`);
  if (fresh.refreshed) await changeDeployment(s, row.id, {}, { accessTokenEncrypted: await s.secrets.seal(fresh.accessToken) });
  const cloud = {
    id: provider.name,
    type: provider.type === 'openstack' ? 'OpenStack' : provider.type,
    host: provider.identity_endpoint,
    username: provider.idp_name,
    tenant: provider.idp_protocol,
    domain: project ?? undefined,
    auth_version: provider.auth_version,
  };
  return { cloud, accessToken: fresh.accessToken };
}

