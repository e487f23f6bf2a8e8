-- A dialogue's title is written per language, like its introduction. An existing title is kept under the language its
-- letters are in (Hebrew, Arabic), else under English; readers in another language see it as before until staff
-- translate it.
ALTER TABLE "dialogue" ALTER COLUMN "title" SET DATA TYPE jsonb USING jsonb_build_object(
  CASE
    WHEN "title" ~ '[؀-ۿ]' AND length(regexp_replace("title", '[^؀-ۿ]', '', 'g')) > length(regexp_replace("title", '[^֐-׿]', '', 'g')) THEN 'ar'
    WHEN "title" ~ '[֐-׿]' THEN 'he'
    WHEN "title" ~ '[؀-ۿ]' THEN 'ar'
    ELSE 'en'
  END,
  "title"
);
