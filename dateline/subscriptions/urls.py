"""Addresses under an edition (/<lang>/…, included by dateline.config.urls) and the reader's
JSON endpoints (``reader_urlpatterns``, under /subscriptions/)."""

from django.urls import path, re_path

from dateline.subscriptions import views

SIGNED = r"(?P<token>[\w:.-]{1,200})"

urlpatterns = [
    re_path(r"^subscribe/$", views.subscribe, name="subscribe"),
    re_path(r"^subscribe/sent/$", views.subscribe_sent, name="subscribe_sent"),
    re_path(rf"^newsletters/confirm/{SIGNED}/$", views.confirm, name="newsletter_confirm"),
    re_path(
        rf"^newsletters/unsubscribe/{SIGNED}/$", views.unsubscribe, name="newsletter_unsubscribe"
    ),
    re_path(rf"^newsletters/manage/{SIGNED}/$", views.manage, name="newsletter_manage"),
    re_path(r"^my-news/$", views.my_news, name="my_news"),
]

reader_urlpatterns = [
    path("follows.json", views.follow_state, name="follow_state"),
    path("follow/", views.follow, name="follow"),
]
