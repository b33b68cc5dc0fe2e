"""E-mail and SMS copies of notifications, sent from the Notification table as an outbox. SMS goes through a
pluggable backend named by SMS_BACKEND; the console backend (development and the demo) prints the message instead.

Each channel of each notification is claimed before it is sent, with a conditional update that only one caller can
win: ``filter(pk=…, email_sent_at=None).update(email_sent_at=now)``. Claim-then-send rather than send-then-mark:

- a retried, duplicated or concurrent task (Celery's acks_late redelivers a task whose worker died; the sweep below
  and a task retry can run at once) finds the channel claimed and sends nothing, so a sent copy is never sent again;
- a send that raises gives the claim back (``email_sent_at`` returns to NULL, only if it still holds our claim),
  counts an attempt and keeps the error, so the task's retry or the sweep sends it later: it is not lost;
- the one case left is a worker killed between the claim and the gateway's answer: the copy stays marked and is not
  sent again. A lost copy in that rare case is preferred to a duplicate SMS; the in-app notification is there anyway.

Send-then-mark would have the opposite failure (a crash after sending and before marking sends twice) and, worse, two
concurrent tasks would both send. The sweep (``pending_ids``, run by congress.tasks.deliver_pending_notifications
every few minutes) picks up copies whose task was lost: unsent, older than RETRY_AFTER_MINUTES, younger than
GIVE_UP_HOURS and with fewer than MAX_ATTEMPTS failures. A channel applies when the recipient has an e-mail address
or a phone number."""
import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

DEFAULTS = {
    "RETRY_AFTER_MINUTES": 5,   # the sweep leaves younger rows to their own task
    "GIVE_UP_HOURS": 48,        # older copies are not sent any more (the bell still shows the notification)
    "MAX_ATTEMPTS": 10,         # failed sends of one notification before the sweep stops trying
    "SWEEP_BATCH": 500,         # rows one sweep takes
}


def delivery_setting(name: str):
    return getattr(settings, "NOTIFICATION_DELIVERY", {}).get(name, DEFAULTS[name])


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


class DeliveryIncomplete(Exception):
    """Some copies could not be sent this time; their claims were given back (congress.tasks retries)."""


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0


CHANNELS = {
    # channel: (the recipient's address field, the Chinese name used in the error note)
    "email": ("email", "邮件"),
    "sms": ("phone", "短信"),
}


def _send(channel: str, notification, address: str, sms) -> None:
    if channel == "email":
        send_mail(notification.title, f"{notification.body}\n\n{notification.url}".strip(), None, [address],
                  fail_silently=False)
    else:
        sms.send(address, f"【{settings.CONGRESS_RULES['DISTRICT_NAME']}人大】{notification.title}")


def deliver(ids) -> DeliveryResult:
    """Send every copy of these notifications that is due and not sent or being sent by someone else."""
    from congress.models import Notification

    result = DeliveryResult()
    sms = None
    for n in Notification.objects.filter(pk__in=list(ids)).select_related("recipient").order_by("id"):
        for channel, (address_field, label) in CHANNELS.items():
            address = getattr(n.recipient, address_field, "")
            field = f"{channel}_sent_at"
            if not address or getattr(n, field) is not None:
                continue
            claim = timezone.now()
            if not Notification.objects.filter(pk=n.pk, **{field: None}).update(**{field: claim}):
                continue  # sent, or being sent, by another task
            try:
                if channel == "sms" and sms is None:
                    sms = sms_backend()
                _send(channel, n, address, sms)
            except Exception as exc:  # any failure of the gateway: give the claim back, keep the reason, retry later
                logger.warning("notification %s: %s failed: %r", n.pk, channel, exc)
                Notification.objects.filter(pk=n.pk, **{field: claim}).update(
                    **{field: None}, delivery_attempts=F("delivery_attempts") + 1,
                    delivery_error=f"{label}发送失败：{type(exc).__name__}: {exc}"[:300])
                result.failed += 1
            else:
                result.sent += 1
    return result


def pending_ids(*, now: datetime.datetime | None = None) -> list[int]:
    """Notifications with a copy still to send whose own task has had its chance (the sweep's work list)."""
    from congress.models import Notification

    now = now or timezone.now()
    unsent = (Q(email_sent_at__isnull=True) & ~Q(recipient__email="")) | (Q(sms_sent_at__isnull=True) & ~Q(recipient__phone=""))
    qs = Notification.objects.filter(
        unsent,
        created_at__lte=now - datetime.timedelta(minutes=delivery_setting("RETRY_AFTER_MINUTES")),
        created_at__gte=now - datetime.timedelta(hours=delivery_setting("GIVE_UP_HOURS")),
        delivery_attempts__lt=delivery_setting("MAX_ATTEMPTS"),
    )
    return list(qs.order_by("created_at").values_list("pk", flat=True)[:delivery_setting("SWEEP_BATCH")])
