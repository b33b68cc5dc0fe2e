"""The search's GIN trigram indexes (congress.lib.search): on PostgreSQL, pg_trgm and an index on UPPER(column) for
each searched column, which `icontains` with three or more characters uses; nothing on SQLite."""
from django.db import migrations

from congress.lib.search import trigram_index_operations


class Migration(migrations.Migration):
    dependencies = [("proposals", "0006_session_archive")]

    operations = [
        *trigram_index_operations("proposals_suggestion", ["title", "number", "content"]),
        *trigram_index_operations("proposals_reply", ["summary"]),
    ]
