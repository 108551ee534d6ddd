from django.utils.functional import SimpleLazyObject


def notifications(request):
    """`unread_notification_count` for the header, counted only if a template renders it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        from accounts.notifications import unread_count

        return unread_count(user)

    return {"unread_notification_count": SimpleLazyObject(count)}
