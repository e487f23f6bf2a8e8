CREATE TABLE "study" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"languages" text[] NOT NULL,
	"randomization" text DEFAULT 'block' NOT NULL,
	"block_repeats" smallint DEFAULT 2 NOT NULL,
	"assignment_seed" text NOT NULL,
	"consent" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"thanks" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"brief" text,
	"dialogue_id" uuid,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "study_arm" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"study_id" uuid NOT NULL,
	"key" text NOT NULL,
	"control" boolean DEFAULT false NOT NULL,
	"text" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"source_statement_id" uuid,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "study_invite" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"study_id" uuid NOT NULL,
	"population_id" uuid NOT NULL,
	"token" text NOT NULL,
	"label" text,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "study_invite_token_unique" UNIQUE("token")
);
--> statement-breakpoint
CREATE TABLE "study_population" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"study_id" uuid NOT NULL,
	"key" text NOT NULL,
	"name" jsonb NOT NULL,
	"languages" text[] NOT NULL,
	"target_n" integer,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "study_prediction" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"study_id" uuid NOT NULL,
	"population_id" uuid,
	"arm_id" uuid NOT NULL,
	"score" double precision NOT NULL,
	"rationale" text,
	"model" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "study_question" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"study_id" uuid NOT NULL,
	"role" text NOT NULL,
	"key" text NOT NULL,
	"prompt" jsonb NOT NULL,
	"kind" text NOT NULL,
	"scale_min" smallint,
	"scale_max" smallint,
	"scale_labels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"options" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"correct_option" text,
	"primary" boolean DEFAULT false NOT NULL,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "study_response" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"study_id" uuid NOT NULL,
	"population_id" uuid NOT NULL,
	"arm_id" uuid NOT NULL,
	"source" text NOT NULL,
	"language" text,
	"cluster" text,
	"status" text DEFAULT 'consented' NOT NULL,
	"attention_passed" boolean,
	"sequence" integer,
	"token_hash" text,
	"answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"import_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "study" ADD CONSTRAINT "study_dialogue_id_dialogue_id_fk" FOREIGN KEY ("dialogue_id") REFERENCES "public"."dialogue"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study" ADD CONSTRAINT "study_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_arm" ADD CONSTRAINT "study_arm_study_id_study_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."study"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_arm" ADD CONSTRAINT "study_arm_source_statement_id_dialogue_statement_id_fk" FOREIGN KEY ("source_statement_id") REFERENCES "public"."dialogue_statement"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_invite" ADD CONSTRAINT "study_invite_study_id_study_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."study"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_invite" ADD CONSTRAINT "study_invite_population_id_study_population_id_fk" FOREIGN KEY ("population_id") REFERENCES "public"."study_population"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_population" ADD CONSTRAINT "study_population_study_id_study_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."study"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_prediction" ADD CONSTRAINT "study_prediction_study_id_study_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."study"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_prediction" ADD CONSTRAINT "study_prediction_population_id_study_population_id_fk" FOREIGN KEY ("population_id") REFERENCES "public"."study_population"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_prediction" ADD CONSTRAINT "study_prediction_arm_id_study_arm_id_fk" FOREIGN KEY ("arm_id") REFERENCES "public"."study_arm"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_question" ADD CONSTRAINT "study_question_study_id_study_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."study"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_response" ADD CONSTRAINT "study_response_study_id_study_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."study"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_response" ADD CONSTRAINT "study_response_population_id_study_population_id_fk" FOREIGN KEY ("population_id") REFERENCES "public"."study_population"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_response" ADD CONSTRAINT "study_response_arm_id_study_arm_id_fk" FOREIGN KEY ("arm_id") REFERENCES "public"."study_arm"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "study_arm_key_idx" ON "study_arm" USING btree ("study_id","key");--> statement-breakpoint
CREATE INDEX "study_invite_study_idx" ON "study_invite" USING btree ("study_id");--> statement-breakpoint
CREATE UNIQUE INDEX "study_population_key_idx" ON "study_population" USING btree ("study_id","key");--> statement-breakpoint
CREATE INDEX "study_prediction_study_idx" ON "study_prediction" USING btree ("study_id");--> statement-breakpoint
CREATE UNIQUE INDEX "study_question_key_idx" ON "study_question" USING btree ("study_id","key");--> statement-breakpoint
CREATE INDEX "study_response_study_idx" ON "study_response" USING btree ("study_id","population_id","arm_id");--> statement-breakpoint
CREATE UNIQUE INDEX "study_response_sequence_idx" ON "study_response" USING btree ("population_id","sequence") WHERE "study_response"."sequence" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "study_response_token_hash_idx" ON "study_response" USING btree ("token_hash") WHERE "study_response"."token_hash" IS NOT NULL;