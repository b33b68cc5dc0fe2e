"""The search's GIN indexes (congress.lib.search) on the columns supervision's search sources read
(supervision/selectors_search.py): on PostgreSQL, per column a trigram index on UPPER(column), which `icontains` with
three or more characters uses, and an index of its character bigrams, which a two-character query uses (pg_trgm finds
no trigram in it); nothing on SQLite."""
from django.db import migrations

from congress.lib.search import bigram_index_operations, trigram_index_operations

COLUMNS = {
    "supervision_workreport": ["topic", "deliberation"],
    "supervision_reviewopinion": ["text"],
    "supervision_inquiry": ["topic", "description"],
    "supervision_appraisal": ["subject", "opinion", "self_check_report"],
    "supervision_rectification": ["title", "description"],
    "supervision_inspection": ["law", "plan", "report_text"],
    "supervision_inspectionproblem": ["title", "detail"],
    "supervision_meetingrequest": ["subject", "content"],
    "supervision_livelihoodproject": ["title", "description"],
}


class Migration(migrations.Migration):
    dependencies = [("supervision", "0008_ratings")]

    operations = [
        *[op for table, columns in COLUMNS.items() for op in trigram_index_operations(table, columns)],
        *[op for table, columns in COLUMNS.items() for op in bigram_index_operations(table, columns)],
    ]
