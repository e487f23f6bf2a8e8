CREATE TABLE "campaign_document_file" (
	"document_id" uuid PRIMARY KEY NOT NULL,
	"bytes" "bytea" NOT NULL,
	"byte_size" integer NOT NULL,
	"sha256" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "campaign_document_file" ADD CONSTRAINT "campaign_document_file_document_id_campaign_document_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."campaign_document"("id") ON DELETE cascade ON UPDATE no action;