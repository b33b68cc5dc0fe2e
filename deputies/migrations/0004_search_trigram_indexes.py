"""The search's GIN trigram indexes (congress.lib.search): on PostgreSQL, pg_trgm and an index on UPPER(column) for
each searched column, which `icontains` with three or more characters uses; nothing on SQLite."""
from django.db import migrations

from congress.lib.search import trigram_index_operations


class Migration(migrations.Migration):
    dependencies = [("deputies", "0003_private_files")]

    operations = [
        *trigram_index_operations("deputies_dutyactivity", ["title", "description", "place"]),
        *trigram_index_operations("deputies_deputy", ["full_name", "workplace"]),
    ]
