import type { DeploymentRow } from '../../db/deployments-repo.js';
import { findResource, type ResourceRow } from '../../db/resources-repo.js';
import type { Database } from '../../db/database.js';
import { visibleDeployment, type Caller } from '../deployments/access.js';
import { NotFoundError } from '../errors.js';

/** The resource and its deployment if the caller may see the deployment; otherwise 404 for both. */
export async function visibleResource(db: Database, caller: Caller, deploymentId: string, id: string): Promise<{ deployment: DeploymentRow; resource: ResourceRow }> {
  const deployment = await visibleDeployment(db, caller, deploymentId);
  const resource = await findResource(db, deploymentId, id);
  if (!resource) throw new NotFoundError('Resource', id);
  return { deployment, resource };
}
