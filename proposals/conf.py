"""The suggestion pages' and reminders' numbers that are not institutional rules (those are in CONGRESS_RULES).
Override any of them with a PROPOSALS dict in the settings."""
from django.conf import settings

DEFAULTS = {
    "HOME_PANEL_LIMIT": 10,           # replies to rate and invitations listed on the deputy's portal home
    "UNIT_AMBER_DAYS": 15,            # the unit inbox shows an item amber when its reply is due within this many days
    "OVERDUE_REMINDER_EVERY_DAYS": 7,  # while overdue, remind again this often
    "DIGEST_THRESHOLD": 3,            # more reminders than this for one person in one scan → one daily digest instead
    "PUBLIC_PAGE_SIZE": 20,           # published replies per page
    "LIST_PAGE_SIZE": 30,             # suggestions / assignments per page in the portal and the unit inbox
    "DEPUTY_SEARCH_LIMIT": 20,        # co-signer search results
    "MERGE_PRESELECT_SIMILARITY": 0.3,  # the merge form pre-selects the most similar suggestion only from this score up
}


def proposals_setting(name: str):
    return getattr(settings, "PROPOSALS", {}).get(name, DEFAULTS[name])


def rule(name: str):
    """One of the institution's rules (CONGRESS_RULES in the settings: deadlines, limits, switches)."""
    return settings.CONGRESS_RULES[name]
