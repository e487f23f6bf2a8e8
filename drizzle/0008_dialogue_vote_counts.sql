-- How many votes each dialogue holds: read_model.dialogue_votes, defined in src/server/read-models/dialogue-votes.sql and
-- applied after the migrations (until migration 0014 this file defined it).
CREATE SCHEMA IF NOT EXISTS read_model;
