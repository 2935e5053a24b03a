import { attemptsOf, ownersOf } from '../../db/deployments-repo.js';
import type { Database } from '../../db/database.js';
import { visibleDeployment, type Caller } from './access.js';
import { toDeploymentView, type DeploymentView } from './deployment-view.js';

export async function getDeployment(db: Database, caller: Caller, id: string): Promise<DeploymentView> {
  const row = await visibleDeployment(db, caller, id);
  const [owners, attempts] = await Promise.all([ownersOf(db, id), attemptsOf(db, id)]);
  return toDeploymentView(row, owners, attempts);
}
