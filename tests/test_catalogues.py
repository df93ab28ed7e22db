"""The interface's message catalogues (dateline/locale/{en,ru,ar}) are complete, consistent,
compiled and current with the sources, and no template holds text outside translation.

How to update the catalogues and add a language: docs/translating.md.
"""

import gettext
import os
import re
import shutil
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.core.management import call_command
from django.template.base import Lexer, TokenType
from django.utils import translation

PACKAGE = Path(__file__).resolve().parent.parent / "dateline"
LOCALE = PACKAGE / "locale"
LANGUAGES = ("en", "ru", "ar")
NPLURALS = {"en": 2, "ru": 3, "ar": 6}
# For each language, a number that selects each plural form in turn (CLDR: one/other;
# one/few/many; zero/one/two/few/many/other).
PLURAL_SAMPLES = {"en": (1, 5), "ru": (21, 3, 11), "ar": (0, 1, 2, 7, 11, 100)}
# Keep in step with the `messages` target of the Makefile.
MAKEMESSAGES = {
    "domain": "django",
    "extensions": ["html", "txt", "py"],
    "ignore_patterns": ["tests/*", "*/tests/*", "static/*"],
}


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def catalogue(lang: str):
    with po_path(lang).open("rb") as f:
        return read_po(f, locale=lang)


def messages(lang: str):
    return [message for message in catalogue(lang) if message.id]


def key(message) -> tuple:
    return (message.context, message.id if isinstance(message.id, str) else tuple(message.id))


def forms(message) -> list[str]:
    return list(message.string) if message.pluralizable else [message.string]


def describe(message) -> str:
    text = message.id if isinstance(message.id, str) else message.id[0]
    where = ", ".join(sorted({path for path, _line in message.locations}))
    return f"{text!r} ({where or 'no source'})"


# --- the catalogues themselves -----------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_it_declares_the_plural_rule_of_each_language(lang):
    header = catalogue(lang).mime_headers
    plural_forms = dict(header)["Plural-Forms"]
    nplurals = int(re.search(r"nplurals=(\d+)", plural_forms).group(1))
    assert nplurals == NPLURALS[lang]
    rule = gettext.c2py(re.search(r"plural=(.*?);?$", plural_forms).group(1))
    assert [rule(n) for n in PLURAL_SAMPLES[lang]] == list(range(nplurals))


def test_it_translates_every_message_into_russian_and_arabic():
    missing = []
    for lang in LANGUAGES:
        for message in messages(lang):
            # English needs no text where it is the msgid itself, but both plural forms.
            if lang == "en" and not message.pluralizable:
                continue
            texts = forms(message)
            wrong_count = message.pluralizable and len(texts) != NPLURALS[lang]
            if wrong_count or not all(text.strip() for text in texts):
                missing.append(f"{lang}: {describe(message)}")
    assert not missing, "Untranslated (run `make messages`, then translate):\n" + "\n".join(missing)


def test_it_has_no_fuzzy_translations():
    fuzzy = [
        f"{lang}: {describe(message)}"
        for lang in LANGUAGES
        for message in messages(lang)
        if message.fuzzy
    ]
    assert not fuzzy, "Fuzzy (check the translation, then remove the flag):\n" + "\n".join(fuzzy)


PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdirfxXec%]")
TAG = re.compile(r"</?([a-zA-Z][\w-]*)")


def placeholders(text: str) -> Counter:
    return Counter(match for match in PLACEHOLDER.findall(text))


def test_translations_keep_the_placeholders_and_markup_of_their_message():
    wrong = []
    for lang in LANGUAGES:
        for message in messages(lang):
            sources = [message.id] if isinstance(message.id, str) else list(message.id)
            expected = placeholders(sources[-1])
            expected_tags = Counter(TAG.findall(sources[-1]))
            for text in forms(message):
                if not text:
                    continue
                if placeholders(text) != expected:
                    wrong.append(
                        f"{lang}: {describe(message)}: {text!r} has the placeholders "
                        f"{sorted(placeholders(text).elements())}, the message "
                        f"{sorted(expected.elements())}"
                    )
                if Counter(TAG.findall(text)) != expected_tags:
                    wrong.append(f"{lang}: {describe(message)}: {text!r} changes the markup")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_compiled_catalogue_says_what_the_po_file_says(lang):
    """The .mo files are committed; one compiled from an older .po would serve old text."""
    mo = LOCALE / lang / "LC_MESSAGES" / "django.mo"
    assert mo.exists(), f"{mo} is missing: run `make messages`"
    with mo.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = []
    for message in messages(lang):
        if message.pluralizable:
            singular, plural = message.id
            for n, text in zip(PLURAL_SAMPLES[lang], message.string, strict=False):
                got = (
                    compiled.npgettext(message.context, singular, plural, n)
                    if message.context
                    else compiled.ngettext(singular, plural, n)
                )
                if got != (text or (singular if n == 1 else plural)):
                    stale.append(f"{describe(message)} [n={n}]: {got!r}")
        else:
            got = (
                compiled.pgettext(message.context, message.id)
                if message.context
                else compiled.gettext(message.id)
            )
            if got != (message.string or message.id):
                stale.append(f"{describe(message)}: {got!r}")
    assert not stale, f"{mo} is older than its .po (run `make messages`):\n" + "\n".join(stale)


def test_the_catalogues_hold_every_marked_string_of_the_sources(tmp_path, monkeypatch):
    """A string marked for translation since the last `make messages` fails this test until it
    is collected and translated; so does one that the sources no longer have."""
    if shutil.which("xgettext") is None:
        message = "GNU gettext is missing (apt-get install gettext): cannot collect the strings"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    copy = tmp_path / "dateline"
    shutil.copytree(
        PACKAGE,
        copy,
        ignore=shutil.ignore_patterns("locale", "__pycache__", "static", "*.pyc", "*.mo"),
    )
    (copy / "locale").mkdir()
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["en"], verbosity=0, **MAKEMESSAGES)
    with (copy / "locale" / "en" / "LC_MESSAGES" / "django.po").open("rb") as f:
        sources = {key(message): message for message in read_po(f) if message.id}
    for lang in LANGUAGES:
        held = {key(message) for message in messages(lang)}
        new = [describe(sources[k]) for k in sorted(sources.keys() - held, key=str)]
        gone = sorted(str(k[1]) for k in held - sources.keys())
        assert not new, f"{lang}: not in the catalogue yet (run `make messages`):\n" + "\n".join(
            new
        )
        assert not gone, f"{lang}: no longer in the sources (run `make messages`):\n" + "\n".join(
            gone
        )


# --- messages of Django and allauth that readers meet ------------------------------------------


# The catalogues of the libraries whose messages readers meet: allauth's pages and e-mails,
# Django's form and validation errors, its password rules.
LIBRARY_CATALOGUES = {
    "allauth": ["locale"],
    "django": ["conf/locale", "contrib/auth/locale"],
}


def library_catalogue(package: str) -> list:
    root = Path(__import__(package).__file__).parent
    found = []
    for folder in LIBRARY_CATALOGUES[package]:
        with (root / folder / "en" / "LC_MESSAGES" / "django.po").open("rb") as f:
            found.extend(message for message in read_po(f) if message.id)
    return found


def test_the_django_messages_we_carry_still_exist_in_django():
    from dateline.accounts import library_messages

    ours = {
        key(message)
        for message in messages("en")
        if any(path.endswith("library_messages.py") for path, _ in message.locations)
    }
    assert len(ours) == len(library_messages.MESSAGES)
    django = {key(message) for message in library_catalogue("django")}
    assert ours <= django, f"Django no longer has: {sorted(ours - django, key=str)}"


# Messages of Django and allauth that translate to themselves or that no reader or editor of
# Dateline meets (names of languages and database types, the admin's IP address fields).
SAME_IN_EVERY_LANGUAGE = {"IPv4", "IPv6"}
LIBRARY_UNTRANSLATED = {
    "ar": {
        "Central Kurdish (Sorani)",
        "Malay",
        "Uyghur",
        "IPv4 or IPv6",
        "hash",
        "salt",
        "String (unlimited)",
        "Enter a valid %(protocol)s address.",
        "Ensure this value is a multiple of step size %(limit_value)s.",
        "Ensure this value is a multiple of step size %(limit_value)s, starting from "
        "%(offset)s, e.g. %(offset)s, %(valid_value1)s, %(valid_value2)s, and so on.",
        "Conflicting form data submitted. Please try again.",
        "Disabled",
        "Enabled",
        "Enable password-based authentication for this user by setting a password.",
        "Enter a valid username. This value may contain only unaccented lowercase a-z and "
        "uppercase A-Z letters, numbers, and @/./+/-/_ characters.",
        "Password-based authentication",
        "Password-based authentication was disabled.",
        "Raw passwords are not stored, so there is no way to see the user’s password.",
        "Reset password",
        "Set password",
        "Set password: %s",
        "Whether the user will be able to authenticate using a password or not. If disabled, "
        "they may still be able to authenticate using other backends, such as Single Sign-On "
        "or LDAP.",
    },
}


@pytest.mark.parametrize("lang", ["ru", "ar"])
def test_readers_meet_the_messages_of_django_and_allauth_in_their_language(lang):
    """Sign-in, registration, password and form errors come from allauth's and Django's own
    catalogues, or from ours where theirs lack a message."""
    exempt = LIBRARY_UNTRANSLATED.get(lang, set()) | SAME_IN_EVERY_LANGUAGE
    english = []
    for package in ("allauth", "django"):
        for message in library_catalogue(package):
            singular = message.id if isinstance(message.id, str) else message.id[0]
            words = PLACEHOLDER.sub("", singular)
            if singular in exempt or not re.search(r"[A-Za-z]{3}", words):
                continue
            with translation.override(lang):
                if message.pluralizable:
                    got = translation.ngettext(message.id[0], message.id[1], 5)
                    untranslated = got == message.id[1]
                elif message.context:
                    untranslated = translation.pgettext(message.context, singular) == singular
                else:
                    untranslated = translation.gettext(singular) == singular
            if untranslated and not re.search(r"[а-яА-Я؀-ۿ]", singular):
                english.append(f"{package}: {singular!r}")
    assert not english, f"Shown in English to {lang} readers:\n" + "\n".join(sorted(english))


# --- templates ---------------------------------------------------------------------------------

MARK = "\ue000"  # stands for a template tag or variable: not a letter
LETTER = re.compile(r"[^\W\d_]")
# Attributes whose values a reader sees or hears; scripts read their strings from data-text-*.
VISIBLE_ATTRIBUTES = {
    "alt",
    "title",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "label",
}
SCRIPT_TEXT_ATTRIBUTES = re.compile(r"data-(text\b.*|label|loading|failed|confirm.*)$")
# Blocks whose content is an attribute value or a list of names, not text.
NAME_BLOCKS = {"body_class", "stream_channels", "stream_last_event_id", "canonical"}
# Tags whose string arguments are names, paths or formats.
NAME_TAGS = {
    "load", "extends", "include", "static", "url", "block", "endblock", "csrf_token", "translate",
    "trans", "blocktranslate", "blocktrans", "endblocktranslate", "endblocktrans", "plural",
    "get_current_language", "get_current_language_bidi", "get_available_languages",
    "get_language_info", "language", "endlanguage", "now", "cache", "endcache", "localtime",
    "endlocaltime", "timezone", "endtimezone", "comment", "endcomment", "image", "picture",
    "srcset_image", "pageurl", "slugurl", "routablepageurl", "wagtail_site",
}  # fmt: skip
# String literals that are not text: the brand, date formats, sizes of images.
ALLOWED_LITERALS = [
    re.compile(r"Dateline"),
    re.compile(r"[A-Z_]*FORMAT"),  # Django's localised formats: DATE_FORMAT, …
    re.compile(r"[\w./:,{}-]*"),  # names, paths, machine formats ('Y-m-d', 'true,false')
    re.compile(r"\(min-width: [^)]*\) [\w, ]*"),  # an image's sizes
]
# Text that is the same in every language: names of formats and of the software.
ALLOWED_TEXT = {"Atom", "RSS", "JSON", "ninjs", "NewsML-G2", "Dateline"}
STRING = re.compile(r"""(_\()?("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""")


def shown(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent) if path.is_relative_to(PACKAGE.parent) else path)


class TemplateText(HTMLParser):
    """Collect the text a template shows outside {% translate %} and {% blocktranslate %}."""

    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.problems: list[str] = []
        self.raw_text = 0  # inside <script> or <style>

    def report(self, line: int, what: str, text: str):
        self.problems.append(f"{shown(self.path)}:{line}: {what}: {text!r}")

    def check(self, value: str, what: str):
        text = " ".join(value.replace(MARK, " ").split())
        if LETTER.search(text) and text not in ALLOWED_TEXT:
            self.report(self.getpos()[0], what, text)

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.raw_text += 1
        kinds = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            if (
                name in VISIBLE_ATTRIBUTES
                or SCRIPT_TEXT_ATTRIBUTES.match(name)
                or (name == "value" and kinds.get("type") in ("submit", "button", "reset"))
                or (name == "content" and kinds.get("name") == "description")
            ):
                self.check(value, f"attribute {name} outside translation")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self.raw_text -= 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.raw_text:
            self.raw_text -= 1

    def handle_data(self, data):
        if not self.raw_text:
            self.check(data, "text outside translation")


def untranslated_template_text(path: Path) -> list[str]:
    """Return "file:line: what: text" for each piece of text of the template at `path` that
    is not translated: text between tags, visible attributes, string literals in variables and
    tags (except _("…"), which is translated)."""
    problems = []
    parts = []
    translated = 0  # inside {% blocktranslate %}
    comment = False
    name_block = []  # stack of the blocks opened: True for those in NAME_BLOCKS
    for token in Lexer(path.read_text(encoding="utf-8")).tokenize():
        if token.token_type in (TokenType.BLOCK, TokenType.VAR):
            bits = token.contents.split()
            tag = bits[0] if bits and token.token_type == TokenType.BLOCK else ""
            if tag == "comment":
                comment = True
            elif tag == "endcomment":
                comment = False
            elif tag in ("blocktranslate", "blocktrans"):
                translated += 1
            elif tag in ("endblocktranslate", "endblocktrans"):
                translated -= 1
            elif tag == "block":
                name_block.append(len(bits) > 1 and bits[1] in NAME_BLOCKS)
            elif tag == "endblock" and name_block:
                name_block.pop()
            if not comment and tag not in NAME_TAGS:
                for match in STRING.finditer(token.contents):
                    literal = match.group(2)[1:-1]
                    if match.group(1) or not LETTER.search(literal):
                        continue
                    if any(allowed.fullmatch(literal) for allowed in ALLOWED_LITERALS):
                        continue
                    problems.append(
                        f"{shown(path)}:{token.lineno}: string outside "
                        f"translation (use _(…)): {match.group(2)} in {token.contents!r}"
                    )
            parts.append(MARK)
        elif token.token_type == TokenType.COMMENT:
            parts.append(MARK)
        elif comment or translated or any(name_block):
            parts.append(MARK + "\n" * token.contents.count("\n"))  # keep the line numbers
        else:
            parts.append(token.contents)
    parser = TemplateText(path)
    parser.feed("".join(parts))
    parser.close()
    return problems + parser.problems


def templates() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.glob("**/templates/**/*")
        if path.suffix in (".html", ".txt") and "tests" not in path.parts
    )


def test_no_template_holds_text_outside_translation():
    assert len(templates()) > 40
    problems = [problem for path in templates() for problem in untranslated_template_text(path)]
    assert not problems, "\n".join(problems)


def test_the_template_check_finds_untranslated_text(tmp_path):
    """The check itself: each kind of untranslated text is found, with its line."""
    template = tmp_path / "sample.html"
    template.write_text(
        '{% load i18n %}<h1>{% translate "Fine" %}</h1>\n'
        "<p>Left in English</p>\n"
        '<img src="x.png" alt="A photo">\n'
        '{{ value|default:"Nothing here" }}\n'
        '{% blocktranslate %}Also fine{% endblocktranslate %} {{ value|default:_("Fine too") }}\n'
        '<script type="application/json">{"key": "value"}</script>\n'
        '<div data-text-failed="It failed"></div>\n',
        encoding="utf-8",
    )
    problems = untranslated_template_text(template)
    assert [problem.split(": ", 1)[0].rsplit(":", 1)[1] for problem in problems] == [
        "4",
        "2",
        "3",
        "7",
    ]
    assert "Left in English" in problems[1]


# --- scripts -----------------------------------------------------------------------------------

SCRIPT_STRING = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`""")
WORDS = re.compile(r"[^\W\d_]{2,}\s+[^\W\d_]{2,}")
# Strings of several words that no one reads: directives, CSS selectors, internal errors.
SCRIPT_NAMES = {"use strict", "main article", "no article"}  # and selectors: "main p.note"


def test_scripts_hold_no_text():
    """The scripts take every text they show from the page (data-text-* attributes rendered
    with {% translate %}) or from the server's JSON; a sentence in a script would stay English."""
    scripts = sorted((PACKAGE / "static" / "dateline").glob("*.js"))
    assert scripts
    found = []
    for script in scripts:
        for number, line in enumerate(script.read_text(encoding="utf-8").splitlines(), 1):
            code = re.sub(r"(^|\s)//\s.*$", "", line)  # comments
            for match in SCRIPT_STRING.finditer(code):
                text = match.group(0)[1:-1]
                selector = re.search(r"[.#\[][\w-]", text)
                if WORDS.search(text) and not selector and text not in SCRIPT_NAMES:
                    found.append(f"{shown(script)}:{number}: {match.group(0)}")
    assert not found, "Text in scripts (render it into the page instead):\n" + "\n".join(found)
