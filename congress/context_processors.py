from django.utils.functional import SimpleLazyObject


def portal(request):
    """The bell's unread count, computed only when a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        from congress.selectors import unread_notification_count

        return unread_notification_count(user=user)

    return {"unread_notifications": SimpleLazyObject(count)}
