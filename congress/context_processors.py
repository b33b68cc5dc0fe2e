from django.utils.functional import SimpleLazyObject


def _holiday_years():
    from congress.lib.workdays import known_schedule_years

    return frozenset(known_schedule_years())


def portal(request):
    """The bell's unread count and the years whose holiday schedule is entered (for the 待定 note beside a deadline),
    each computed only when a template shows it: one query at most."""
    years = {"holiday_years": SimpleLazyObject(_holiday_years)}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return years

    def count():
        from congress.selectors import unread_notification_count

        return unread_notification_count(user=user)

    return {"unread_notifications": SimpleLazyObject(count), **years}
