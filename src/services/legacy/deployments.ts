import type { Database } from '../../db/database.js';
import { legacyExtrasOf, setDeploymentCallback, userIdsByIdentity } from '../../db/legacy-repo.js';
import { deleteTemplateIfUnused } from '../../db/templates-repo.js';
import type { DeploymentView } from '../deployments/deployment-view.js';
import { ConflictError, ServiceError, ValidationError } from '../errors.js';
import type { Services } from '../services.js';
import { addTemplate } from '../templates/add-template.js';
import { sha256Hex } from '../templates/checksum.js';
import { listTemplates } from '../templates/list-templates.js';
import type { LegacyDeploymentSource } from './shapes.js';

/** The v1 views with what the legacy shape adds (callback, creator identity), in one query for the page. */
export async function legacySources(db: Database, views: DeploymentView[]): Promise<LegacyDeploymentSource[]> {
  const extras = await legacyExtrasOf(db, views.map((v) => v.id));
  return views.map((view) => {
    const e = extras.get(view.id);
    return {
      view,
      callback: e?.callback ?? null,
      creator: e?.creatorIssuer && e.creatorSub ? { issuer: e.creatorIssuer, subject: e.creatorSub } : null,
    };
  });
}

/**
 * The templates-table id of an inline legacy template: the stored one with the same checksum, else a
 * new template through the templates service (named after its checksum when its metadata names none).
 */
export async function storeInlineTemplate(s: Pick<Services, 'db' | 'tosca'>, callerId: string, content: string): Promise<{ id: string; created: boolean }> {
  const checksum = await sha256Hex(content);
  const byChecksum = async () => (await listTemplates(s.db, callerId, { checksum }, { limit: 1, offset: 0, sort: { field: 'created_at', direction: 'asc' } })).rows[0]?.id;
  const stored = await byChecksum();
  if (stored) return { id: stored, created: false };
  const add = async (name?: string) => (await addTemplate(s, callerId, { content, name })).id;
  try {
    try {
      return { id: await add(), created: true };
    } catch (err) {
      const namesNone = err instanceof ValidationError && err.errors.some((e) => e.loc[1] === 'name');
      if (!namesNone) throw err;
      return { id: await add(`deployment-${checksum.slice(0, 12)}`), created: true };
    }
  } catch (err) {
    // Stored meanwhile by a concurrent request with the same template.
    if (err instanceof ConflictError && err.message.startsWith('A template with the same content')) {
      const id = await byChecksum();
      if (id) return { id, created: false };
    }
    throw err;
  }
}

/**
 * Runs `use` with the id of an inline template; when `use` refuses (bad inputs, group, provider), a
 * template this call stored is removed again, so a refused legacy create leaves no row behind.
 */
export async function withInlineTemplate<T>(s: Pick<Services, 'db' | 'tosca'>, callerId: string, content: string, use: (templateId: string) => Promise<T>): Promise<T> {
  const stored = await storeInlineTemplate(s, callerId, content);
  try {
    return await use(stored.id);
  } catch (err) {
    if (stored.created) await deleteTemplateIfUnused(s.db, stored.id);
    throw err;
  }
}

export interface CreatedByFilter {
  /** v1 `owned_by`: a user id, or undefined for the caller's default view. */
  ownedBy?: string;
  /** Nobody is registered under that identity: the page is empty. */
  nobody?: boolean;
}

const trimSlash = (s: string) => s.replace(/\/+$/, '');

/** `createdBy=me|<sub>@<issuer>` → the owner to list; issuers compare with or without a trailing "/". */
export async function resolveCreatedBy(
  db: Database,
  caller: { identity: { issuer: string; sub: string; isAdmin: boolean }; userId: string },
  value: string | undefined,
): Promise<CreatedByFilter> {
  if (value === undefined) return {};
  if (value === 'me') return { ownedBy: caller.userId };
  const parts = value.split('@');
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new ServiceError('BAD_REQUEST', `Value ${value} for param createdBy is illegal`);
  const [sub, issuer] = parts;
  const self = sub === caller.identity.sub && trimSlash(issuer) === trimSlash(caller.identity.issuer);
  if (self) return { ownedBy: caller.userId };
  if (!caller.identity.isAdmin) throw new ServiceError('FORBIDDEN', `Only admin can retrieve deployments for ${value}`);
  const ids = await userIdsByIdentity(db, [trimSlash(issuer), `${trimSlash(issuer)}/`], sub);
  return ids[0] ? { ownedBy: ids[0] } : { nobody: true };
}

/** Replaces the stored callback (a legacy-only field) after the v1 update accepted the request. */
export function replaceCallback(db: Database, id: string, callback: string | null): Promise<void> {
  return setDeploymentCallback(db, id, callback);
}
