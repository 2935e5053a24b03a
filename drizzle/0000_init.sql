CREATE TABLE "deployment_attempts" (
	"deployment_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"provider" text NOT NULL,
	"region" text,
	"project" text,
	"im_infra_id" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"outcome" text,
	"error" text,
	CONSTRAINT "deployment_attempts_deployment_id_seq_pk" PRIMARY KEY("deployment_id","seq")
);
--> statement-breakpoint
CREATE TABLE "deployment_logs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"deployment_id" uuid NOT NULL,
	"ts" timestamp with time zone DEFAULT now() NOT NULL,
	"source" text NOT NULL,
	"line" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deployment_owners" (
	"deployment_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deployment_owners_deployment_id_user_id_pk" PRIMARY KEY("deployment_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "deployments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"template_id" uuid,
	"template_content" text,
	"template_inputs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"template_outputs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"user_group" text,
	"max_providers" integer,
	"per_provider_max_retries" integer,
	"per_provider_timeout_mins" integer,
	"tot_timeout_mins" integer,
	"keep_last_attempt" boolean DEFAULT false NOT NULL,
	"callback" text,
	"requested_provider" text,
	"requested_region" text,
	"target_provider" text,
	"target_region" text,
	"target_iaas_project" text,
	"im_infra_id" text,
	"status" smallint NOT NULL,
	"status_reason" text,
	"task" smallint DEFAULT 0 NOT NULL,
	"op_seq" integer DEFAULT 1 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"deadline_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"user_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"response_status" smallint NOT NULL,
	"response_body" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_user_id_key_pk" PRIMARY KEY("user_id","key")
);
--> statement-breakpoint
CREATE TABLE "resources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"deployment_id" uuid NOT NULL,
	"tosca_node_name" text NOT NULL,
	"tosca_node_type" text NOT NULL,
	"type_ancestry" text[] DEFAULT '{}'::text[] NOT NULL,
	"required_by" text[] DEFAULT '{}'::text[] NOT NULL,
	"im_vm_idx" integer,
	"status" smallint NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"content" text NOT NULL,
	"checksum" text NOT NULL,
	"name" text NOT NULL,
	"version" text,
	"target_provider_type" text DEFAULT 'openstack' NOT NULL,
	"tosca_definition_version" text NOT NULL,
	"summary" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"issuer" text NOT NULL,
	"sub" text NOT NULL,
	"name" text,
	"username" text,
	"email" text,
	"picture" text,
	"public_ssh_key" text,
	"refresh_token_encrypted" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deployment_attempts" ADD CONSTRAINT "deployment_attempts_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_logs" ADD CONSTRAINT "deployment_logs_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_owners" ADD CONSTRAINT "deployment_owners_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_owners" ADD CONSTRAINT "deployment_owners_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_template_id_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."templates"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "templates" ADD CONSTRAINT "templates_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "templates" ADD CONSTRAINT "templates_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deployment_logs_deployment_ts_idx" ON "deployment_logs" USING btree ("deployment_id","ts");--> statement-breakpoint
CREATE INDEX "deployment_logs_ts_idx" ON "deployment_logs" USING btree ("ts");--> statement-breakpoint
CREATE INDEX "deployment_owners_user_idx" ON "deployment_owners" USING btree ("user_id","deployment_id");--> statement-breakpoint
CREATE INDEX "deployments_status_created_idx" ON "deployments" USING btree ("status","created_at","id");--> statement-breakpoint
CREATE INDEX "deployments_created_by_idx" ON "deployments" USING btree ("created_by","created_at","id");--> statement-breakpoint
CREATE INDEX "deployments_template_idx" ON "deployments" USING btree ("template_id");--> statement-breakpoint
CREATE INDEX "deployments_deadline_idx" ON "deployments" USING btree ("deadline_at") WHERE "deployments"."deadline_at" is not null;--> statement-breakpoint
CREATE INDEX "resources_deployment_idx" ON "resources" USING btree ("deployment_id","tosca_node_name");--> statement-breakpoint
CREATE UNIQUE INDEX "templates_checksum_key" ON "templates" USING btree ("checksum");--> statement-breakpoint
CREATE INDEX "templates_created_at_idx" ON "templates" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "templates_name_idx" ON "templates" USING btree ("name");--> statement-breakpoint
CREATE INDEX "templates_created_by_idx" ON "templates" USING btree ("created_by");--> statement-breakpoint
CREATE UNIQUE INDEX "users_issuer_sub_key" ON "users" USING btree ("issuer","sub");--> statement-breakpoint
CREATE INDEX "users_created_at_idx" ON "users" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "users_email_idx" ON "users" USING btree ("email");