CREATE TABLE "import_run" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"target" text NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"input" jsonb,
	"total" integer NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"result" jsonb,
	"error" jsonb,
	"created_by" text,
	"ip" text,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "import_run_item" (
	"run_id" uuid NOT NULL,
	"row" integer NOT NULL,
	"action" text NOT NULL,
	"record_id" uuid NOT NULL,
	CONSTRAINT "import_run_item_run_id_row_pk" PRIMARY KEY("run_id","row")
);
--> statement-breakpoint
ALTER TABLE "import_run" ADD CONSTRAINT "import_run_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_run_item" ADD CONSTRAINT "import_run_item_run_id_import_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."import_run"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_run_created_by_idx" ON "import_run" USING btree ("created_by","created_at");--> statement-breakpoint
CREATE INDEX "import_run_state_idx" ON "import_run" USING btree ("state");