"""Reads of the proposals app, by concern (CONVENTIONS: selectors own the query shape):

  lists.py     the lists each party may see (explicit ownership filters), one object for a user or 404, the timeline,
               the staff change list's shape, the admin index's 待办
  rates.py     the rates the institution reports, each defined once, and the batches they are grouped by
  similar.py   similar suggestions for 并案
  pages.py     the portal's, the unit workspace's and the public pages' reads; who may read a file
"""
from proposals.selectors.lists import (  # noqa: F401
    REPLYING,
    _roles,
    admin_todos,
    assignment_list_for_unit,
    get_assignment_for_unit,
    get_suggestion_for_user,
    is_overdue,
    overdue_assignment_rows,
    overdue_assignments,
    remembered_suggestion_ids,
    replies_for,
    suggestion_admin_queryset,
    suggestion_count_for,
    suggestion_list_for,
    timeline_for,
    units_with_open_assignments,
)
from proposals.selectors.pages import (  # noqa: F401
    COUNTED,
    counted_led_suggestions,
    deadline_light,
    deputy_search,
    duty_record_suggestions,
    get_assist_opinion_for_user,
    get_published_reply,
    good_suggestion_checklist,
    home_invitations,
    home_replies_to_rate,
    pending_invitations_for,
    published_reply_list,
    remembered_counted_led,
    replies_to_rate_for,
    reply_letter_for,
    session_archive_for,  # noqa: F401, E402
    unit_inbox_rows,
    unit_inbox_values,
)
from proposals.selectors.rates import (  # noqa: F401
    GROUPS,
    RATES,
    Rate,
    _grouped,
    _replying,
    batch_choices,
    batch_keys,
    batch_labels,
    batches_newest_first,
    rate_category_a,
    rate_closed,
    rate_followup_done,
    rate_on_time_reply,
    rate_satisfied,
    rates_table,
)
from proposals.selectors.similar import (  # noqa: F401
    _vector,
    bigrams,
    cosine,
    similar_for_page,
    similar_suggestions,
    stored_similar,
)
