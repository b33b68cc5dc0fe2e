from django import template

from congress.lib.search import highlight

register = template.Library()


@register.filter(name="highlight")
def highlight_filter(text, query):
    """{{ hit.title|highlight:q }}: the text escaped, the query's occurrences in <mark> (congress.lib.search.highlight)."""
    return highlight(str(text or ""), str(query or ""))
