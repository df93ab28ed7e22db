"""Display names readers cannot use to pass for someone else.

A name is refused when it is, or looks like, a word kept for the newsroom (staff roles in the
three languages, "admin", the site's and each edition's name) or another reader's name. "Looks
like" is decided on skeletons, after Unicode's confusables (UTS #39): each character is
replaced by a representative of the characters that look like it, from the data that
``confusable_homoglyphs`` ships (derived from confusables.txt, used offline). Cyrillic "а" and
Latin "a", "0" and "O", "l" and "1" then share a skeleton. Before that, names are refused when
they hide or disguise letters: invisible characters (zero-width joiners and spaces), styled or
full-width letters (NFKC changes them), floods of combining marks, and words that mix scripts
(a Russian name in Cyrillic and an Arabic name in Arabic are fine; "аdmin" with a Cyrillic "а"
is not). Direction controls are removed (dateline.text.strip_bidi_controls).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dateline.text import strip_bidi_controls

# Words kept for the newsroom, in English, Russian and Arabic (compared by skeleton, whole
# words or the whole name without spaces, with a trailing number ignored: "Admin 2").
RESERVED_WORDS = [
    "admin", "administrator", "administration", "moderator", "moderators", "editor",
    "editors", "staff", "newsroom", "dateline", "official", "support", "root", "webmaster",
    "journalist", "reporter", "editorial", "superuser",
    "админ", "администратор", "администрация", "модератор", "редактор", "редакция",
    "сотрудник", "журналист", "поддержка", "корреспондент",
    "مشرف", "المشرف", "مدير", "المدير", "محرر", "المحرر", "الإدارة", "إدارة", "التحرير",
    "صحفي", "الدعم", "مراسل",
]  # fmt: skip
# Lower-case Cyrillic letters that read as Latin ones in most fonts but that confusables.txt
# leaves apart (its data is about the glyphs' shapes at one size): "аԁміп" reads as "admin".
LOOKALIKE_CYRILLIC = {"м": "m", "п": "n", "к": "k", "т": "t", "в": "b", "н": "h", "г": "r"}
MAX_MARKS = 3  # combining marks on one letter (Arabic needs two: shadda and a vowel)
_WORD = re.compile(r"[\w\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]+")


@functools.cache
def _table() -> dict[str, str]:
    """Map each confusable character to the representative of its look-alike class (the
    lowest code point), or to a sequence (as "m" to "rn")."""
    from confusable_homoglyphs.confusables import confusables_data

    parent: dict[str, str] = {}

    def find(char: str) -> str:
        while parent.get(char, char) != char:
            parent[char] = parent.get(parent[char], parent[char])
            char = parent[char]
        return char

    sequences: dict[str, str] = {}
    for char, glyphs in confusables_data.items():
        for glyph in glyphs:
            other = strip_bidi_controls(glyph["c"])
            if len(char) != 1:
                continue
            if len(other) == 1:
                a, b = find(char), find(other)
                if a != b:
                    low, high = sorted((a, b))
                    parent[high] = low
            elif len(glyphs) == 1 and other:
                sequences[char] = other
    table = {char: find(char) for char in parent}
    for char, latin in LOOKALIKE_CYRILLIC.items():
        table[char] = table.get(latin, latin)
    for char, sequence in sequences.items():
        table.setdefault(char, "".join(find(c) for c in sequence))
    return table


def skeleton(text: str) -> str:
    """The confusables skeleton of ``text``, case-folded, without spaces, marks, invisible
    characters or punctuation that looks like no letter."""
    table = _table()
    kept = []
    for char in unicodedata.normalize("NFKD", strip_bidi_controls(text)):
        category = unicodedata.category(char)
        if category[0] in "ZCM" or (category[0] in "PS" and char not in table):
            continue
        kept.append(table.get(char, char))
    mapped = unicodedata.normalize("NFKD", "".join(kept)).casefold()
    return "".join(table.get(char, char) for char in mapped if not _is_mark(char))


def name_keys(text: str) -> set[str]:
    """The skeletons by which ``text`` is compared, whatever its case: its own, and those of
    its upper and lower case (a capital I looks like a small L, but "i" does not). Two names
    look alike when they share a key."""
    return {skeleton(text), skeleton(text.upper()), skeleton(text.lower())} - {""}


def _is_mark(char: str) -> bool:
    return unicodedata.category(char).startswith("M")


def _script(char: str) -> str:
    from confusable_homoglyphs.categories import alias

    return alias(char)


def check_disguise(name: str) -> None:
    """Refuse a name that hides or disguises its letters (see the module's docstring)."""
    if any(unicodedata.category(char) == "Cf" for char in name):
        raise ValidationError(
            _("The name holds invisible characters (such as zero-width joiners); remove them."),
            code="invisible",
        )
    if unicodedata.normalize("NFKC", name) != name:
        raise ValidationError(
            _("Write the name in ordinary letters: styled or full-width letters are not allowed."),
            code="styled",
        )
    marks = 0
    for char in name:
        marks = marks + 1 if _is_mark(char) else 0
        if marks > MAX_MARKS:
            raise ValidationError(_("The name has too many accents on one letter."), code="marks")
    for word in _WORD.findall(name):
        scripts = {_script(char) for char in word if char.isalpha()} - {"COMMON", "INHERITED"}
        if len(scripts) > 1:
            raise ValidationError(
                _(
                    "Write each word of the name in one alphabet: “%(word)s” mixes letters "
                    "that look alike from different alphabets."
                )
                % {"word": word},
                code="mixed_scripts",
            )


def _reserved_keys() -> tuple[set[str], set[str]]:
    """The keys of the reserved words, and those of the site's and editions' names."""
    from dateline.editions.models import Edition

    words = set().union(*(name_keys(word) for word in RESERVED_WORDS))
    sites = set()
    for edition in Edition.objects.all():
        sites |= name_keys(edition.site_name)
    return words, sites


def _without_number(key: str) -> str:
    return key.rstrip("0123456789") or key


def check_reserved(name: str) -> None:
    """Refuse a name that is, or looks like, a word kept for the newsroom, or that holds the
    name of the site or an edition."""
    words, sites = _reserved_keys()
    keys = name_keys(name).union(*(name_keys(word) for word in _WORD.findall(name)))
    keys |= {_without_number(key) for key in keys}
    whole = name_keys(name)
    if keys & (words | sites) or any(site in key for site in sites for key in whole):
        raise ValidationError(
            _("That name is kept for the newsroom, or looks like one that is; choose another."),
            code="reserved",
        )


def check_taken(name: str, *, user=None) -> None:
    """Refuse a name that is, or looks like, another reader's or a staff member's name."""
    from django.db.models import Q

    from dateline.accounts.models import ReaderProfile, newsroom_accounts

    keys = name_keys(name)
    others = ReaderProfile.objects.filter(
        Q(name_key__in=keys) | Q(name_key_upper__in=keys) | Q(name_key_lower__in=keys)
    )
    staff = newsroom_accounts()
    if user is not None and user.pk is not None:
        others = others.exclude(user=user)
        staff = staff.exclude(pk=user.pk)
    staff_keys = set().union(
        *(name_keys(n) for member in staff for n in (member.get_full_name(), member.get_username()))
    )
    if others.exists() or keys & staff_keys:
        raise ValidationError(
            _("Another reader has that name, or one that looks the same; choose another."),
            code="taken",
        )


def validate_display_name(name: str, *, user=None) -> None:
    check_disguise(name)
    if not any(char.isalnum() for char in name):
        raise ValidationError(_("A name needs letters or digits."), code="no_letters")
    check_reserved(name)
    check_taken(name, user=user)
