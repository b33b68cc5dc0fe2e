"""The search's GIN bigram indexes (congress.lib.search): on PostgreSQL, an index of each searched column's character
bigrams, which a two-character query uses (pg_trgm finds no trigram in it); nothing on SQLite."""
from django.db import migrations

from congress.lib.search import bigram_index_operations


class Migration(migrations.Migration):
    dependencies = [("proposals", "0007_search_trigram_indexes")]

    operations = [
        *bigram_index_operations("proposals_suggestion", ["title", "number", "content"]),
        *bigram_index_operations("proposals_reply", ["summary"]),
    ]
