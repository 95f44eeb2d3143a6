"""Search finds "Ménière" when a reader types "meniere" (and "MÉNIÈRE"), as WordPress on MySQL's usual collation does:
on PostgreSQL, a text search configuration that reads words through unaccent, then English stemming
(settings.SEARCH_CONFIG). unaccent is a trusted extension (PostgreSQL 13 and newer): the database's owner may create
it. Other databases are searched another way (articles.search)."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'english_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION english_unaccent (COPY = english);
        ALTER TEXT SEARCH CONFIGURATION english_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
    END IF;
END $$;
"""
DROP = "DROP TEXT SEARCH CONFIGURATION IF EXISTS english_unaccent;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("articles", "0018_authors_fix_their_pictures_and_delete_their_articles")]

    operations = [migrations.RunPython(create, drop)]
