import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { UserRecord } from '../../services/users/get-user.js';
import { authenticate } from '../../http/auth/middleware.js';
import { authedRoute } from '../../http/authed-route.js';
import type { AppEnv } from '../../http/env.js';
import { validationHook } from '../../http/errors.js';
import { bearerSecurity, CreatedIdSchema, IdParam, pickErrors } from '../../http/openapi-responses.js';
import { listQuery, pageEnvelope, pageEnvelopeSchema, pageQuery, pageWindow, parseSort } from '../../http/pagination.js';
import { filterValue } from '../../http/schemas.js';
import { absoluteUrl } from '../../http/urls.js';
import { deleteUser } from '../../services/users/delete-user.js';
import { getUser } from '../../services/users/get-user.js';
import { listUsers } from '../../services/users/list-users.js';
import { registerUser } from '../../services/users/register-user.js';
import { updateUser } from '../../services/users/update-user.js';

export const UserSchema = z
  .object({
    id: z.uuid(),
    created_at: z.string(),
    sub: z.string(),
    issuer: z.string(),
    name: z.string().nullable(),
    username: z.string().nullable(),
    email: z.string().nullable(),
    picture: z.string().nullable(),
    public_ssh_key: z.string().nullable(),
    refresh_token: z.string().nullable().openapi({ description: 'Masked as "*****" when stored; never returned in clear' }),
  })
  .openapi('User');
export type UserResponse = z.infer<typeof UserSchema>;

export function toUserResponse(row: UserRecord): UserResponse {
  return {
    id: row.id,
    created_at: row.createdAt.toISOString(),
    sub: row.sub,
    issuer: row.issuer,
    name: row.name,
    username: row.username,
    email: row.email,
    picture: row.picture,
    public_ssh_key: row.publicSshKey,
    refresh_token: row.refreshTokenEncrypted ? '*****' : null,
  };
}

const USER_SORT = ['created_at', 'sub', 'issuer', 'email', 'username', 'name'] as const;

export const UserListQuery = listQuery(pageQuery(USER_SORT, '-created_at').extend({
  sub: filterValue().optional(),
  issuer: filterValue().optional(),
  email: filterValue().optional(),
  username: filterValue().optional(),
  name: filterValue().optional(),
}));

export const UserPatchSchema = z
  .object({
    picture: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048).nullable().optional(),
    public_ssh_key: z
      .string()
      .max(16_384)
      .regex(/^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/=]+( [^\r\n\u0000]*)?$/, {
        error: 'must be an OpenSSH public key ("ssh-ed25519 AAAA... comment")',
      })
      .nullable()
      .optional(),
    refresh_token: z.string().min(1).max(16_384).nullable().optional(),
  })
  .strict()
  .openapi('UserPatch');

const tags = ['Users'];

const registerRoute = createRoute({
  method: 'post',
  path: '/users',
  tags,
  operationId: 'registerUser',
  summary: 'Register the caller from the access token',
  security: bearerSecurity,
  middleware: [authenticate({ register: false })] as const,
  responses: {
    201: { description: 'Registered', content: { 'application/json': { schema: CreatedIdSchema } } },
    ...pickErrors(401, 403, 409, 422),
  },
});

const getRoute = authedRoute({
  method: 'get',
  path: '/users/{id}',
  tags,
  operationId: 'getUser',
  summary: 'Retrieve a user',
  request: { params: IdParam },
  responses: {
    200: { description: 'The user', content: { 'application/json': { schema: UserSchema } } },
    ...pickErrors(401, 403, 404, 422),
  },
});

const listRoute = authedRoute({
  method: 'get',
  path: '/users',
  tags,
  operationId: 'listUsers',
  summary: 'List users (admins see everyone, others themselves)',
  request: { query: UserListQuery },
  responses: {
    200: { description: 'A page of users', content: { 'application/json': { schema: pageEnvelopeSchema(UserSchema) } } },
    ...pickErrors(400, 401, 403, 422),
  },
});

const patchRoute = authedRoute({
  method: 'patch',
  path: '/users/{id}',
  tags,
  operationId: 'updateUser',
  summary: 'Change picture, public SSH key or refresh token',
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: UserPatchSchema } } } },
  responses: { 204: { description: 'Updated' }, ...pickErrors(400, 401, 403, 404, 413, 422) },
});

const deleteRoute = authedRoute({
  method: 'delete',
  path: '/users/{id}',
  tags,
  operationId: 'deleteUser',
  summary: 'Delete a user that owns no deployments',
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...pickErrors(401, 403, 404, 409, 422) },
});

export const usersRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(registerRoute, async (c) => {
    const { db, settings } = c.get('deps');
    const id = await registerUser(db, c.get('identity'));
    c.header('Location', absoluteUrl(c.req.url, settings.publicUrl, `/api/v1/users/${id}`));
    return c.json({ id }, 201);
  })
  .openapi(getRoute, async (c) => {
    const row = await getUser(c.get('deps').db, c.get('identity'), c.get('userId'), c.req.valid('param').id);
    return c.json(toUserResponse(row), 200);
  })
  .openapi(listRoute, async (c) => {
    const { db, settings } = c.get('deps');
    const { page, size, sort, ...filters } = c.req.valid('query');
    const { rows, total } = await listUsers(db, c.get('identity'), c.get('userId'), filters, {
      ...pageWindow(page, size),
      sort: parseSort(sort),
    });
    return c.json(pageEnvelope(c.req.url, settings.publicUrl, page, size, total, rows.map(toUserResponse)), 200);
  })
  .openapi(patchRoute, async (c) => {
    const deps = c.get('deps');
    await updateUser(deps, c.get('identity'), c.get('userId'), c.req.valid('param').id, c.req.valid('json'));
    return c.body(null, 204);
  })
  .openapi(deleteRoute, async (c) => {
    await deleteUser(c.get('deps'), c.get('identity'), c.get('userId'), c.req.valid('param').id);
    return c.body(null, 204);
  });
