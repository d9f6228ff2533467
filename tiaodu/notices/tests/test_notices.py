"""Notices: notify (once per key, email after commit), my list, opening marks read, the navbar count."""

import pytest
from django.core import mail
from django.urls import reverse

from tiaodu.conftest import client_for
from tiaodu.notices import services
from tiaodu.notices.models import Notice
from tiaodu.testing import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return UserFactory(username="alice", email="alice@example.cn"), UserFactory(username="bob", email="")


def test_notify_writes_a_notice_and_emails_after_commit(people, django_capture_on_commit_callbacks):
    alice, bob = people
    with django_capture_on_commit_callbacks(execute=True):
        notice = services.notify(recipient=alice, kind="test", text="问题已交办", link="/problems/1/")
        services.notify(recipient=bob, kind="test", text="没有邮箱")
    assert notice.recipient == alice and not notice.is_read
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@example.cn"]
    assert (
        "问题已交办" in mail.outbox[0].subject and "http://127.0.0.1:8000/problems/1/" in mail.outbox[0].body
    )  # TIAODU_SITE_URL + the path
    notice.refresh_from_db()
    assert notice.emailed_at is not None
    assert Notice.objects.filter(recipient=bob).count() == 1


def test_no_email_with_the_dummy_backend(people, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        notice = services.notify(recipient=people[0], kind="test", text="x")
    notice.refresh_from_db()
    assert notice.emailed_at is None


def test_a_key_notifies_only_once(people):
    alice, bob = people
    first = services.notify(recipient=alice, kind="deadline", text="即将到期", key="problem:1:2025-07-01")
    again = services.notify(recipient=alice, kind="deadline", text="即将到期", key="problem:1:2025-07-01")
    other = services.notify(recipient=bob, kind="deadline", text="即将到期", key="problem:1:2025-07-01")
    assert first is not None and again is None and other is not None
    assert Notice.objects.filter(key="problem:1:2025-07-01").count() == 2


def test_inactive_recipients_get_nothing(people):
    alice, _bob = people
    alice.is_active = False
    alice.save()
    assert services.notify(recipient=alice, kind="x", text="x") is None


def test_my_notices_page_open_marks_read_and_others_cannot(people):
    alice, bob = people
    notice = services.notify(recipient=alice, kind="test", text="请办理", link="/problems/")
    services.notify(recipient=bob, kind="test", text="鲍勃的通知")
    client = client_for(alice)
    body = client.get(reverse("notices:list")).content.decode()
    assert "请办理" in body and "鲍勃的通知" not in body
    assert 'data-testid="notice-count">1<' in body
    assert client_for(bob).post(reverse("notices:open", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None
    response = client.post(reverse("notices:open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == "/problems/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert 'data-testid="notice-count"' not in client.get(reverse("notices:list")).content.decode()


def test_an_outside_link_is_not_followed(people):
    alice, _bob = people
    notice = services.notify(recipient=alice, kind="test", text="x", link="https://evil.example.com/")
    response = client_for(alice).post(reverse("notices:open", args=[notice.pk]))
    assert response["Location"] == reverse("notices:list")


def test_mark_all_read(people):
    alice, bob = people
    for text in ("一", "二"):
        services.notify(recipient=alice, kind="test", text=text)
    services.notify(recipient=bob, kind="test", text="三")
    response = client_for(alice).post(reverse("notices:read_all"))
    assert response.status_code == 302
    assert Notice.objects.filter(recipient=alice, read_at__isnull=True).count() == 0
    assert Notice.objects.filter(recipient=bob, read_at__isnull=True).count() == 1


def test_bad_page_numbers_do_not_fail(people):
    client = client_for(people[0])
    for page in ("abc", "-1", "9999"):
        assert client.get(reverse("notices:list"), {"page": page}).status_code == 200
