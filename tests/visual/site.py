"""The pages the quality gates look at: every public page type in the three editions, and the
newsroom pages editors and moderators work in, on one demo site (the `demo` fixture).

Content pages (an article, a tag, a photo …) are picked by the slug of one demo story that all
three editions carry in translation, so that the same page is looked at every run."""

import json
from dataclasses import dataclass

EDITIONS = ("en", "ru", "ar")
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "mobile": {"width": 390, "height": 844}}
LOCALES = {"en": "en-GB", "ru": "ru-RU", "ar": "ar"}

# The story each edition's content pages start from, and a word of its headline to search for.
STORY = {
    "en": ("shipping-nations-agree-binding-emissions-cap", "shipping"),
    "ru": ("morskie-derzhavy-soglasovali-limit-vybrosov-sudov", "выбросов"),
    "ar": ("shipping-nations-agree-emissions-cap", "السفن"),
}

# The reader the signed-in account page is shown to (made by signed_in_reader below).
READER_EMAIL, READER_PASSWORD = "vera@quality.example", "a long pass phrase 9"
NEWSROOM_PASSWORD = "dateline-demo"

# Run inside the demo site (`dateline shell -c`): print, per edition, the addresses of the pages
# that depend on the content, and make the reader account the account pages are shown to.
DISCOVER = """
import json
from urllib.parse import urlsplit
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from dateline.accounts.models import ReaderProfile
from dateline.articles.models import ArticlePage
from dateline.chats.models import ChatRoom
from dateline.live.models import LiveCoveragePage
stories = {stories}
found = {{}}
for code, slug in stories.items():
    story = ArticlePage.objects.live().get(edition__slug=code, slug=slug)
    photo = story.lead_photo
    found[code] = {{
        "story_id": story.pk,
        "article": urlsplit(story.get_url()).path,
        "live": urlsplit(
            LiveCoveragePage.objects.live().filter(edition__slug=code).first().get_url()
        ).path,
        "section": story.primary_section.slug,
        "tag": story.tags.order_by("name").first().slug,
        "person": story.bylines.order_by("sort_order").first().person.slug,
        "photo": photo.pk,
        "photographer": photo.photographer.slug,
        "room": ChatRoom.objects.filter(edition__slug=code).order_by("pk").first().slug,
    }}
user = User.objects.filter(email="{email}").first()
if user is None:
    user = User.objects.create_user("vera-quality", "{email}")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    ReaderProfile.objects.create(user=user, display_name="Vera")
user.set_password("{password}")
user.save()
print(json.dumps(found))
"""


@dataclass(frozen=True)
class Shot:
    """One page to look at: its name, its address and who looks at it."""

    name: str
    path: str
    edition: str | None = None  # None: a newsroom page
    user: str = ""  # "reader", or a newsroom user; "" for a signed-out reader

    @property
    def id(self) -> str:
        return f"{self.name}-{self.edition}" if self.edition else self.name


PUBLIC = (
    "home",
    "section",
    "article",
    "live",
    "search",
    "tag",
    "author",
    "archive",
    "mediabank",
    "photo",
    "photographer",
    "subscribe",
    "sign-in",
    "sign-up",
    "account",
    "chats",
    "chat-room",
)
NEWSROOM = ("dashboard", "story-form", "wire-desk", "moderation")


def discover(demo) -> dict:
    script = DISCOVER.format(
        stories={code: slug for code, (slug, _) in STORY.items()},
        email=READER_EMAIL,
        password=READER_PASSWORD,
    )
    output = demo.dateline("shell", "-c", script).stdout
    return json.loads(output.strip().splitlines()[-1])


def public_shot(name: str, code: str, found: dict) -> Shot:
    """The public page ``name`` in the edition ``code``. Pages without a language prefix
    (/mediabank/, /accounts/) take the edition from the reader's dateline_language cookie."""
    f = found[code]
    paths = {
        "home": f"/{code}/",
        "section": f"/{code}/{f['section']}/",
        "article": f["article"],
        "live": f["live"],
        "search": f"/{code}/search/?q={STORY[code][1]}",
        "tag": f"/{code}/tags/{f['tag']}/",
        "author": f"/{code}/people/{f['person']}/",
        "archive": f"/{code}/archive/",
        "mediabank": "/mediabank/",
        "photo": f"/mediabank/photos/{f['photo']}/",
        "photographer": f"/mediabank/photographers/{f['photographer']}/",
        "subscribe": f"/{code}/subscribe/",
        "sign-in": "/accounts/login/",
        "sign-up": "/accounts/signup/",
        "account": "/accounts/profile/",
        "chats": f"/{code}/chats/",
        "chat-room": f"/{code}/chats/{f['room']}/",
    }
    return Shot(name, paths[name], code, "reader" if name == "account" else "")


def newsroom_shot(name: str, found: dict) -> Shot:
    paths = {
        "dashboard": ("/admin/", "editor"),
        "story-form": (f"/admin/pages/{found['en']['story_id']}/edit/", "editor"),
        "wire-desk": ("/admin/wire/", "editor"),
        "moderation": ("/admin/discussion/", "moderator"),
    }
    path, user = paths[name]
    return Shot(name, path, None, user)
