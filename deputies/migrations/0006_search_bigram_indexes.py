"""The search's GIN bigram indexes (congress.lib.search): on PostgreSQL, an index of each searched column's character
bigrams, which a two-character query uses (pg_trgm finds no trigram in it); nothing on SQLite."""
from django.db import migrations

from congress.lib.search import bigram_index_operations


class Migration(migrations.Migration):
    dependencies = [("deputies", "0005_ranking_in_background")]

    operations = [
        *bigram_index_operations("deputies_dutyactivity", ["title", "description", "place"]),
        *bigram_index_operations("deputies_deputy", ["full_name", "workplace"]),
    ]
