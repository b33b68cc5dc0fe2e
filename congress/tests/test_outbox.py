"""Notifications as an outbox: each e-mail and SMS copy is sent exactly once, whether the delivery task runs twice,
a send fails and is retried, or the task is lost and the periodic sweep picks the row up."""
import datetime

import pytest
from django.core import mail
from django.urls import resolve
from django.utils import timezone
from freezegun import freeze_time

from congress import tasks
from congress.lib import delivery
from congress.lib.delivery import LocmemSMSBackend, pending_ids
from congress.models import Notification
from congress.services import notification_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms(settings):
    settings.SMS_BACKEND = "congress.lib.delivery.LocmemSMSBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    LocmemSMSBackend.outbox.clear()
    yield LocmemSMSBackend.outbox
    LocmemSMSBackend.outbox.clear()


@pytest.fixture
def reachable(deputy_user):
    deputy_user.email, deputy_user.phone = "daibiao@example.cn", "13900001111"
    deputy_user.save()
    return deputy_user


def send(recipient, capture, title="您的建议已交办"):
    with capture(execute=True):
        rows = notification_send(recipients=[recipient], kind="test", title=title, link=("portal:home",))
    return [n.pk for n in rows]


def failing_first(monkeypatch, target, name, times=1):
    """Make target.name raise ConnectionRefusedError on its first `times` calls, then behave as before."""
    real = getattr(target, name)
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] <= times:
            raise ConnectionRefusedError("网关暂时不可用")
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, flaky)
    return calls


class TestDeliveryTask:
    def test_a_task_run_again_sends_nothing_more(self, reachable, sms, django_capture_on_commit_callbacks):
        ids = send(reachable, django_capture_on_commit_callbacks)
        tasks.deliver_notifications.delay(ids)
        tasks.deliver_notifications.delay(ids)
        assert [m.to for m in mail.outbox] == [["daibiao@example.cn"]]
        assert sms == [("13900001111", "【江海区人大】您的建议已交办")]
        n = Notification.objects.get(pk=ids[0])
        assert n.email_sent_at is not None and n.sms_sent_at is not None and n.delivery_attempts == 0

    def test_a_mail_that_fails_once_is_retried_and_sent_once(self, reachable, sms, monkeypatch,
                                                            django_capture_on_commit_callbacks):
        calls = failing_first(monkeypatch, delivery, "send_mail")
        ids = send(reachable, django_capture_on_commit_callbacks)
        tasks.deliver_notifications.delay(ids)  # a duplicate of the task: still one copy each
        assert calls["n"] == 2
        assert len(mail.outbox) == 1 and len(sms) == 1
        n = Notification.objects.get(pk=ids[0])
        assert n.delivery_attempts == 1 and n.delivery_error.startswith("邮件发送失败")
        assert n.email_sent_at is not None

    def test_an_sms_that_fails_once_is_retried_and_sent_once(self, reachable, sms, monkeypatch,
                                                            django_capture_on_commit_callbacks):
        failing_first(monkeypatch, LocmemSMSBackend, "send")
        ids = send(reachable, django_capture_on_commit_callbacks)
        tasks.deliver_notifications.delay(ids)
        assert sms == [("13900001111", "【江海区人大】您的建议已交办")]
        assert len(mail.outbox) == 1
        assert Notification.objects.get(pk=ids[0]).delivery_error.startswith("短信发送失败")

    def test_a_copy_claimed_by_another_task_is_not_sent_again(self, reachable, sms):
        n, = notification_send(recipients=[reachable], kind="test", title="通知")
        Notification.objects.filter(pk=n.pk).update(email_sent_at=timezone.now())  # another worker holds the claim
        result = delivery.deliver([n.pk])
        assert result.sent == 1 and mail.outbox == [] and len(sms) == 1

    def test_a_user_without_address_or_phone_gets_the_bell_only(self, unit_user, sms, django_capture_on_commit_callbacks):
        ids = send(unit_user, django_capture_on_commit_callbacks)
        assert mail.outbox == [] and sms == []
        assert pending_ids(now=timezone.now() + datetime.timedelta(minutes=30)) == []
        assert Notification.objects.filter(pk__in=ids, recipient=unit_user).count() == 1


class TestSweep:
    def test_a_lost_task_is_made_up_by_the_sweep_once(self, reachable, sms, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False):  # the task never reaches a worker
            n, = notification_send(recipients=[reachable], kind="test", title="提醒")
        assert pending_ids() == []  # too young: its own task may still be on its way
        with freeze_time(timezone.now() + datetime.timedelta(minutes=6)):
            assert pending_ids() == [n.pk]
            assert tasks.deliver_pending_notifications() == 2
            assert tasks.deliver_pending_notifications() == 0
            assert pending_ids() == []
        assert len(mail.outbox) == 1 and len(sms) == 1

    def test_a_gateway_down_for_longer_than_the_retries_is_sent_by_the_sweep(self, reachable, sms, monkeypatch,
                                                                           django_capture_on_commit_callbacks):
        failing_first(monkeypatch, delivery, "send_mail", times=6)  # the task's first run and its five retries
        ids = send(reachable, django_capture_on_commit_callbacks)
        n = Notification.objects.get(pk=ids[0])
        assert n.email_sent_at is None and n.delivery_attempts == 6 and len(sms) == 1
        with freeze_time(timezone.now() + datetime.timedelta(minutes=6)):
            assert tasks.deliver_pending_notifications() == 1
        assert len(mail.outbox) == 1 and len(sms) == 1

    def test_the_sweep_gives_up_on_old_rows_and_on_too_many_failures(self, reachable, sms):
        with freeze_time(timezone.now() - datetime.timedelta(hours=49)):
            notification_send(recipients=[reachable], kind="test", title="太旧")
        failing, = notification_send(recipients=[reachable], kind="test", title="总失败")
        Notification.objects.filter(pk=failing.pk).update(delivery_attempts=delivery.DEFAULTS["MAX_ATTEMPTS"])
        assert pending_ids(now=timezone.now() + datetime.timedelta(minutes=6)) == []


class TestLinks:
    def test_a_link_is_reversed_and_resolves(self, deputy_user):
        n, = notification_send(recipients=[deputy_user], kind="t", title="x", link=("portal:activity_detail", 7))
        assert n.url == "/portal/activities/7/" and resolve(n.url).url_name == "activity_detail"

    @pytest.mark.parametrize("url", ["portal/", "/no/such/page/", "https://example.com/portal/"])
    def test_a_url_that_is_not_a_page_of_the_site_is_refused(self, deputy_user, url):
        with pytest.raises(ValueError):
            notification_send(recipients=[deputy_user], kind="t", title="x", url=url)
        assert not Notification.objects.exists()
