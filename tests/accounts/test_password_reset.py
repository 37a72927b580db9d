"""忘记密码 reaches an account that has never had a password (created by an import, waiting for
its person): once the e-mailed link has expired, this is how the person gets a new one. An
inactive account gets nothing, and the page answers alike whatever the address."""

import pytest
from django.core import mail

from tests.factories.directory import UserFactory

pytestmark = pytest.mark.django_db


def never_set(**kwargs):
    user = UserFactory(**kwargs)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


def ask(client, email):
    return client.post("/accounts/password_reset/", {"email": email})


def test_an_account_never_given_a_password_is_sent_a_link(client):
    user = never_set(email="Wang.Li@bureau.example.cn")

    response = ask(client, "wang.li@bureau.example.cn")

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]


def test_an_inactive_account_is_sent_nothing_and_the_answer_is_the_same(client):
    never_set(email="gone@bureau.example.cn", is_active=False)

    inactive = ask(client, "gone@bureau.example.cn")
    unknown = ask(client, "nobody@bureau.example.cn")

    assert mail.outbox == []
    assert inactive.status_code == unknown.status_code == 302
    assert inactive["Location"] == unknown["Location"]


def test_an_account_with_a_password_is_sent_a_link_as_before(client):
    UserFactory(email="li@bureau.example.cn")

    ask(client, "li@bureau.example.cn")

    assert len(mail.outbox) == 1
