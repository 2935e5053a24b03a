DROP INDEX "deployment_owners_user_idx";--> statement-breakpoint
DROP INDEX "deployments_template_idx";--> statement-breakpoint
ALTER TABLE "deployment_attempts" ADD COLUMN "cleaned_up" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "deployment_owners" ADD COLUMN "deployment_created_at" timestamp with time zone NOT NULL;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "secret_inputs" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "previous_status" smallint;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "unsecure" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "poll_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "access_token_encrypted" text;--> statement-breakpoint
CREATE INDEX "deployment_owners_user_created_idx" ON "deployment_owners" USING btree ("user_id","deployment_created_at","deployment_id");--> statement-breakpoint
CREATE INDEX "deployments_created_idx" ON "deployments" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "deployments_updated_idx" ON "deployments" USING btree ("updated_at","id");--> statement-breakpoint
CREATE INDEX "deployments_group_created_idx" ON "deployments" USING btree ("user_group","created_at","id");--> statement-breakpoint
CREATE INDEX "deployments_provider_created_idx" ON "deployments" USING btree ("target_provider","created_at","id");--> statement-breakpoint
CREATE INDEX "deployments_template_idx" ON "deployments" USING btree ("template_id","created_at","id");