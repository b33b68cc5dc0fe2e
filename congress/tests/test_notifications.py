"""The bell, the notification list, marking read, and the landing page after login."""
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, client_for
from congress.lib.delivery import LocmemSMSBackend
from congress.models import Notification
from congress.services import notification_send


@pytest.fixture
def sms(settings):
    settings.SMS_BACKEND = "congress.lib.delivery.LocmemSMSBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    LocmemSMSBackend.outbox.clear()
    return LocmemSMSBackend.outbox


class TestNotificationSend:
    def test_it_creates_one_per_recipient_and_sends_copies_after_commit(self, deputy_user, unit_user, sms,
                                                                        django_capture_on_commit_callbacks):
        deputy_user.email, deputy_user.phone = "daibiao@example.cn", "13900001111"
        deputy_user.save()
        with django_capture_on_commit_callbacks(execute=True):
            notification_send(recipients=[deputy_user, unit_user], kind="test", title="您的建议已交办",
                              url="/portal/")
        assert Notification.objects.filter(title="您的建议已交办").count() == 2
        assert [m.to for m in mail.outbox] == [["daibiao@example.cn"]]
        assert sms == [("13900001111", "【江海区人大】您的建议已交办")]

    def test_nothing_leaves_when_the_transaction_rolls_back(self, deputy_user, sms, django_capture_on_commit_callbacks):
        deputy_user.phone = "13900001111"
        deputy_user.save()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            notification_send(recipients=[deputy_user], kind="test", title="x")
        # the delivery waits for the commit (beside it, the bell's kept count is forgotten then too)
        assert any(c.__qualname__.startswith("notification_send.") for c in callbacks) and sms == []


class TestBellAndList:
    def test_the_bell_shows_the_unread_count(self, deputy_user):
        notification_send(recipients=[deputy_user], kind="t", title="一")
        notification_send(recipients=[deputy_user], kind="t", title="二")
        body = client_for(deputy_user).get(reverse("congress:notifications")).content.decode()
        assert 'id="unread-count">2<' in body and "一" in body and "二" in body

    def test_marking_one_read_leaves_the_others(self, deputy_user):
        first, = notification_send(recipients=[deputy_user], kind="t", title="一")
        notification_send(recipients=[deputy_user], kind="t", title="二")
        response = client_for(deputy_user).post(reverse("congress:notification_read", args=[first.pk]))
        assert response.status_code == 302
        assert Notification.objects.get(pk=first.pk).read_at is not None
        assert Notification.objects.filter(read_at__isnull=True).count() == 1

    def test_nobody_can_mark_anothers_notification_read(self, deputy_user, unit_user):
        theirs, = notification_send(recipients=[deputy_user], kind="t", title="一")
        client_for(unit_user).post(reverse("congress:notification_read", args=[theirs.pk]))
        assert Notification.objects.get(pk=theirs.pk).read_at is None

    def test_mark_all_read(self, deputy_user):
        notification_send(recipients=[deputy_user, deputy_user], kind="t", title="一")
        client_for(deputy_user).post(reverse("congress:notifications_read_all"))
        assert not Notification.objects.filter(read_at__isnull=True).exists()

    def test_the_list_shows_only_ones_own(self, deputy_user, unit_user):
        notification_send(recipients=[unit_user], kind="t", title="给单位的")
        body = client_for(deputy_user).get(reverse("congress:notifications")).content.decode()
        assert "给单位的" not in body and "暂无通知" in body

    def test_get_is_refused(self, deputy_user):
        assert client_for(deputy_user).get(reverse("congress:notifications_read_all")).status_code == 405

    def test_the_list_query_count_does_not_grow(self, deputy_user, django_assert_max_num_queries):
        client = client_for(deputy_user)
        for _ in range(3):
            notification_send(recipients=[deputy_user], kind="t", title="n")
        client.get(reverse("congress:notifications"))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as small:
            client.get(reverse("congress:notifications"))
        for _ in range(9):
            notification_send(recipients=[deputy_user], kind="t", title="n")
        with CaptureQueriesContext(connection) as large:
            client.get(reverse("congress:notifications"))
        assert len(small) == len(large)


class TestLogin:
    @pytest.mark.parametrize("who, where", [("deputy_user", "/portal/"), ("unit_user", "/unit/"), ("staff", "/admin/")])
    def test_each_role_lands_in_its_own_place(self, request, who, where):
        user = request.getfixturevalue(who)
        client = Client()
        response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD}, follow=False)
        assert response.status_code == 302
        assert client.get(response.url).url == where

    def test_a_wrong_password_is_refused_in_chinese(self, deputy_user):
        response = Client().post(reverse("accounts:login"), {"username": deputy_user.username, "password": "nope"})
        assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()


class TestTheKeptUnreadCount:
    """In production the bell's count is kept per user (NOTIFICATION_COUNT_CACHE_SECONDS) and forgotten by the services
    that change it, after their commit."""

    @pytest.fixture(autouse=True)
    def kept(self, settings):
        settings.NOTIFICATION_COUNT_CACHE_SECONDS = 300

    def bell(self, client):
        import re

        found = re.search(r'id="unread-count">(\d+)<', client.get(reverse("portal:home")).content.decode())
        return int(found.group(1)) if found else 0

    def test_sending_and_reading_show_at_once_and_other_pages_ask_nothing(self, deputy_user, unit_user,
                                                                         django_capture_on_commit_callbacks):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = client_for(deputy_user)
        assert self.bell(client) == 0
        with django_capture_on_commit_callbacks(execute=True):
            first, = notification_send(recipients=[deputy_user], kind="t", title="一")
            notification_send(recipients=[deputy_user, unit_user], kind="t", title="二")
        assert self.bell(client) == 2
        with CaptureQueriesContext(connection) as seen:
            assert self.bell(client) == 2
        assert not [q for q in seen.captured_queries if 'FROM "congress_notification"' in q["sql"]]
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(reverse("congress:notification_read", args=[first.pk])).status_code == 302
        assert self.bell(client) == 1
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("congress:notifications_read_all"))
        assert self.bell(client) == 0

    def test_a_batch_of_reminders_is_counted_for_each_recipient(self, deputy_user, unit_user,
                                                              django_capture_on_commit_callbacks):
        from congress.selectors import unread_notification_count
        from congress.services import notification_send_many

        deputy_client = client_for(deputy_user)
        assert self.bell(deputy_client) == 0 and unread_notification_count(user=unit_user) == 0  # both kept
        with django_capture_on_commit_callbacks(execute=True):
            notification_send_many([{"recipients": [deputy_user], "kind": "t", "title": "甲"},
                                    {"recipients": [deputy_user, unit_user], "kind": "t", "title": "乙"}])
        assert self.bell(deputy_client) == 2
        assert unread_notification_count(user=unit_user) == 1

    def test_a_rolled_back_send_leaves_the_kept_count(self, deputy_user, django_capture_on_commit_callbacks):
        client = client_for(deputy_user)
        assert self.bell(client) == 0
        Notification.objects.create(recipient=deputy_user, kind="t", title="管理员直接写入")
        # not through the services: the kept count stands until a service forgets it or the period ends
        assert self.bell(client) == 0
        with django_capture_on_commit_callbacks(execute=False):
            notification_send(recipients=[deputy_user], kind="t", title="未提交")
        assert self.bell(client) == 0
        with django_capture_on_commit_callbacks(execute=True):
            notification_send(recipients=[deputy_user], kind="t", title="已提交")
        assert self.bell(client) == 3

    def test_each_user_has_their_own_count(self, deputy_user, unit_user, django_capture_on_commit_callbacks):
        from congress.selectors import unread_notification_count

        with django_capture_on_commit_callbacks(execute=True):
            notification_send(recipients=[unit_user], kind="t", title="给单位的")
        assert unread_notification_count(user=deputy_user) == 0
        assert unread_notification_count(user=unit_user) == 1
