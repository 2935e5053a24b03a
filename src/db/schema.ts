import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    issuer: text('issuer').notNull(),
    sub: text('sub').notNull(),
    name: text('name'),
    username: text('username'),
    email: text('email'),
    picture: text('picture'),
    publicSshKey: text('public_ssh_key'),
    /** AES-GCM ciphertext (base64url, key from SECRET_KEY); never returned in clear. */
    refreshTokenEncrypted: text('refresh_token_encrypted'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('users_issuer_sub_key').on(t.issuer, t.sub),
    index('users_created_at_idx').on(t.createdAt, t.id),
    index('users_email_idx').on(t.email),
  ],
);

export const templates = pgTable(
  'templates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    content: text('content').notNull(),
    checksum: text('checksum').notNull(),
    name: text('name').notNull(),
    version: text('version'),
    targetProviderType: text('target_provider_type').notNull().default('openstack'),
    toscaDefinitionVersion: text('tosca_definition_version').notNull(),
    /** Parsed summary: inputs, resources, outputs — so reads never re-parse. */
    summary: jsonb('summary').notNull().default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: updatedAt(),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('templates_checksum_key').on(t.checksum),
    index('templates_created_at_idx').on(t.createdAt, t.id),
    index('templates_name_idx').on(t.name),
    index('templates_created_by_idx').on(t.createdBy),
  ],
);

export const deployments = pgTable(
  'deployments',
  {
    id: uuid('id').primaryKey(),
    templateId: uuid('template_id').references(() => templates.id, { onDelete: 'restrict' }),
    templateContent: text('template_content'),
    templateInputs: jsonb('template_inputs').notNull().default(sql`'{}'::jsonb`),
    /** Names of the secret inputs, masked whenever the inputs are shown. */
    secretInputs: text('secret_inputs').array().notNull().default(sql`'{}'::text[]`),
    templateOutputs: jsonb('template_outputs').notNull().default(sql`'{}'::jsonb`),
    userGroup: text('user_group'),
    maxProviders: integer('max_providers'),
    perProviderMaxRetries: integer('per_provider_max_retries'),
    perProviderTimeoutMins: integer('per_provider_timeout_mins'),
    totTimeoutMins: integer('tot_timeout_mins'),
    keepLastAttempt: boolean('keep_last_attempt').notNull().default(false),
    callback: text('callback'),
    requestedProvider: text('requested_provider'),
    requestedRegion: text('requested_region'),
    targetProvider: text('target_provider'),
    targetRegion: text('target_region'),
    targetIaasProject: text('target_iaas_project'),
    imInfraId: text('im_infra_id'),
    status: smallint('status').notNull(),
    statusReason: text('status_reason'),
    task: smallint('task').notNull().default(0),
    opSeq: integer('op_seq').notNull().default(1),
    version: integer('version').notNull().default(1),
    deadlineAt: timestamp('deadline_at', { withTimezone: true, mode: 'date' }),
    /** When the current (or last) operation was submitted, and when it reached a final status (null while it runs). */
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
    /** The complete status an owners update returns to. */
    previousStatus: smallint('previous_status'),
    /** Admin delete that forwards force to the IM and marks resources deleted whatever it answers. */
    unsecure: boolean('unsecure').notNull().default(false),
    /** How many times the running step has polled the IM: drives the back-off. */
    pollCount: integer('poll_count').notNull().default(0),
    /** The submitter's access token (AES-GCM, SECRET_KEY), used for IM calls on their behalf. */
    accessTokenEncrypted: text('access_token_encrypted'),
    /** Orchestrator log lines stored so far: the per-deployment cap is checked against it. */
    logLines: integer('log_lines').notNull().default(0),
    createdAt: createdAt(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'restrict' }),
    updatedAt: updatedAt(),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('deployments_created_idx').on(t.createdAt, t.id),
    index('deployments_updated_idx').on(t.updatedAt, t.id),
    index('deployments_status_created_idx').on(t.status, t.createdAt, t.id),
    index('deployments_group_created_idx').on(t.userGroup, t.createdAt, t.id),
    index('deployments_provider_created_idx').on(t.targetProvider, t.createdAt, t.id),
    index('deployments_created_by_idx').on(t.createdBy, t.createdAt, t.id),
    index('deployments_template_idx').on(t.templateId, t.createdAt, t.id),
    index('deployments_deadline_idx').on(t.deadlineAt).where(sql`${t.deadlineAt} is not null`),
    /** The reconcile scheduler walks in-progress deployments only (CREATE/DELETE/UPDATE_IN_PROGRESS). */
    index('deployments_in_progress_idx').on(t.status, t.updatedAt).where(sql`${t.status} in (2, 5, 9)`),
  ],
);

export const deploymentOwners = pgTable(
  'deployment_owners',
  {
    deploymentId: uuid('deployment_id')
      .notNull()
      .references(() => deployments.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    /** Copied from the deployment so "my deployments, newest first" walks one index. */
    deploymentCreatedAt: timestamp('deployment_created_at', { withTimezone: true, mode: 'date' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.deploymentId, t.userId] }),
    index('deployment_owners_user_created_idx').on(t.userId, t.deploymentCreatedAt, t.deploymentId),
  ],
);

export const deploymentAttempts = pgTable(
  'deployment_attempts',
  {
    deploymentId: uuid('deployment_id')
      .notNull()
      .references(() => deployments.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    provider: text('provider').notNull(),
    region: text('region'),
    project: text('project'),
    imInfraId: text('im_infra_id'),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
    outcome: text('outcome'),
    error: text('error'),
    /** Destroyed on the IM after failing (false: kept as the last attempt, or still live). */
    cleanedUp: boolean('cleaned_up').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.deploymentId, t.seq] })],
);

export const resources = pgTable(
  'resources',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    deploymentId: uuid('deployment_id')
      .notNull()
      .references(() => deployments.id, { onDelete: 'cascade' }),
    toscaNodeName: text('tosca_node_name').notNull(),
    toscaNodeType: text('tosca_node_type').notNull(),
    typeAncestry: text('type_ancestry').array().notNull().default(sql`'{}'::text[]`),
    requiredBy: text('required_by').array().notNull().default(sql`'{}'::text[]`),
    imVmIdx: integer('im_vm_idx'),
    status: smallint('status').notNull(),
    metadata: jsonb('metadata').notNull().default(sql`'{}'::jsonb`),
    statusReason: text('status_reason'),
    /** The VM action running on this resource (start/stop/reboot), null when none. */
    action: text('action'),
    /** Bumped by every action request: the job id and the guard of every write of that action. */
    actionSeq: integer('action_seq').notNull().default(0),
    actionStartedAt: timestamp('action_started_at', { withTimezone: true, mode: 'date' }),
    pollCount: integer('poll_count').notNull().default(0),
    createdAt: createdAt(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: updatedAt(),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('resources_deployment_idx').on(t.deploymentId, t.toscaNodeName),
    /** The reconcile scheduler walks resources with an action running only. */
    index('resources_action_idx').on(t.actionStartedAt).where(sql`${t.action} is not null`),
  ],
);

export const deploymentLogs = pgTable(
  'deployment_logs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deploymentId: uuid('deployment_id')
      .notNull()
      .references(() => deployments.id, { onDelete: 'cascade' }),
    ts: timestamp('ts', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    source: text('source').notNull(),
    line: text('line').notNull(),
  },
  (t) => [index('deployment_logs_deployment_ts_idx').on(t.deploymentId, t.ts), index('deployment_logs_ts_idx').on(t.ts)],
);

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    responseStatus: smallint('response_status').notNull(),
    responseBody: jsonb('response_body'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);
