"""The stations app's numbers (docs/rules.md "station reception"). Override any of them with a STATIONS dict in the
settings."""
from django.conf import settings

DEFAULTS = {
    "RECEPTION_NOTICE_DAYS": 2,          # a reception day is announced at least this many days before
    "RECEPTION_MIN_PER_MONTH": 1,        # each 代表联络站 holds at least this many reception days a month
    "RECEPTION_REMINDER_DAYS": 1,        # deputies on duty are reminded this many days before (0: on the day)
    "RECEPTION_ACTIVITY_TYPE": "接待选民",  # the duty activity type a held reception is recorded as
    "HOME_RECEPTION_LIMIT": 3,           # upcoming duties shown on the deputy's portal home
    "PUBLIC_PAGE_SIZE": 20,              # stations per page of the public list
    "PUBLIC_RECENT_RECEPTIONS": 5,       # held reception days shown on a station's public page
    "PUBLIC_MEMBERS_SHOWN": 12,          # deputies named on a station's public page (residents first, then as they joined; "等N名")
    "OPINION_PER_HOUR": 5,               # opinions one address may leave in an hour (a public form, no login)
    "OPINION_MIN_LENGTH": 10,            # characters of an opinion, at least …
    "OPINION_MAX_LENGTH": 2000,          # … and at most
    # 星级评定: (least total, stars) from the top; a total below the last one gets STAR_FLOOR stars
    "STAR_THRESHOLDS": ((90, 5), (80, 4), (70, 3), (60, 2)),
    "STAR_FLOOR": 1,
    "STAR_CRITERIA_TOTAL": 100,          # a year's criteria add up to this many points (the thresholds assume it)
}


def stations_setting(name: str):
    return getattr(settings, "STATIONS", {}).get(name, DEFAULTS[name])


DEFAULTS.update({
    "PUBLIC_RECENT_ORGAN_VISITS": 5,     # 国家机关进站活动 shown on a station's public page
    "UNIT_ORGAN_VISITS_PAGE_SIZE": 20,   # visits per page of an organ's own list in the unit workspace
})
