ALTER TABLE "deployments" ADD COLUMN "log_lines" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "resources" ADD COLUMN "status_reason" text;--> statement-breakpoint
ALTER TABLE "resources" ADD COLUMN "action" text;--> statement-breakpoint
ALTER TABLE "resources" ADD COLUMN "action_seq" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "resources" ADD COLUMN "action_started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "resources" ADD COLUMN "poll_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "resources" ADD COLUMN "created_by" uuid;--> statement-breakpoint
ALTER TABLE "resources" ADD COLUMN "updated_by" uuid;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deployments_in_progress_idx" ON "deployments" USING btree ("status","updated_at") WHERE "deployments"."status" in (2, 5, 9);--> statement-breakpoint
CREATE INDEX "resources_action_idx" ON "resources" USING btree ("action_started_at") WHERE "resources"."action" is not null;