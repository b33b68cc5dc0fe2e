"""The deputy portal's numbers. Override any of them with a DEPUTY_PORTAL dict in the settings."""
from django.conf import settings

DEFAULTS = {
    "MAX_PHOTOS": 9,                 # photos per activity (their types, size and re-encoding: congress.lib.uploads)
    "UNEXCUSED_ABSENCE_FLAG": 2,     # 代表法 Art. 62: two unexcused absences from the congress session
    "RECORD_PAGE_SIZE": 50,          # activities per page of the duty record list
    "HOME_CONFIRM_LIMIT": 10,        # activities to confirm shown on the home page
    "RETURN_REASON": "请补充活动说明或照片后重新登记",  # pre-filled on the admin's 退回 page, editable per activity
    "CO_DEPUTY_CHOICES": 200,        # co-participants offered in the form (the deputy's town first)
}


def portal_setting(name: str):
    return getattr(settings, "DEPUTY_PORTAL", {}).get(name, DEFAULTS[name])
