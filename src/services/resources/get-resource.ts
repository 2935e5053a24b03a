import type { Database } from '../../db/database.js';
import type { Caller } from '../deployments/access.js';
import { visibleResource } from './access.js';
import { toResourceView, type ResourceView } from './resource-view.js';

export async function getResource(db: Database, caller: Caller, deploymentId: string, id: string): Promise<ResourceView> {
  const { deployment, resource } = await visibleResource(db, caller, deploymentId, id);
  return toResourceView(resource, deployment.createdBy);
}
