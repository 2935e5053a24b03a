ALTER TABLE "deployments" ADD COLUMN "started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "finished_at" timestamp with time zone;--> statement-breakpoint
-- Rows from before: their operation began no later than the row, and a finished one ended no later than its last change.
UPDATE "deployments" SET "started_at" = "created_at", "finished_at" = CASE WHEN "status" NOT IN (2, 5, 9) THEN "updated_at" END;
