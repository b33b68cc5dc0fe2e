"""E-mail and SMS copies of notifications. SMS goes through a pluggable backend named by SMS_BACKEND; the
console backend (development and the demo) prints the message instead of sending it."""
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class ConsoleSMSBackend:
    def send(self, phone: str, text: str) -> None:
        print(f"[短信] {phone}: {text}")


class LocmemSMSBackend:
    """Keeps messages in memory, for tests (like Django's locmem mail backend)."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.outbox.append((phone, text))


def sms_backend():
    return import_string(settings.SMS_BACKEND)()


def deliver(ids) -> int:
    from congress.models import Notification

    sent = 0
    sms = sms_backend()
    for n in Notification.objects.filter(pk__in=ids).select_related("recipient"):
        user = n.recipient
        if user.email:
            send_mail(n.title, f"{n.body}\n\n{n.url}".strip(), None, [user.email], fail_silently=False)
            sent += 1
        if user.phone:
            sms.send(user.phone, f"【{settings.CONGRESS_RULES['DISTRICT_NAME']}人大】{n.title}")
            sent += 1
    return sent
