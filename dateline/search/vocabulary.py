"""The words of an edition's stories, and "Did you mean" from them.

Each publish of a story adds its words (headline, standfirst, body, bylines) to the edition's
vocabulary (``Word``, one row per word and edition with a count); a withdrawal takes them off
again. A query word the vocabulary does not hold, and that starts none of its words, is
corrected to the most used word one edit away (a letter missing, added, changed, or two
letters swapped): the candidates are generated from the word and looked up in one indexed
query, so the cost depends on the word's length, never on the size of the archive.
``dateline search-words`` rebuilds the vocabulary from the visible stories.
"""

from django.db import connection, transaction
from django.db.models import F

from dateline.search.engine import WORD, query_words
from dateline.search.models import Word
from dateline.search.snippets import story_text

# Words shorter than this are not corrected (too many neighbours), longer ones not kept.
MIN_LENGTH = 3
MAX_LENGTH = 40
# Unknown words of one query corrected at most (each is looked up by its ~50 neighbours a letter).
MAX_CORRECTED = 4
# The letters an edit may bring in, by script; a word's own letters are always tried too.
ALPHABETS = [
    "abcdefghijklmnopqrstuvwxyz",
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي",
]


def words_of(text: str) -> set[str]:
    """The words of ``text`` worth keeping: letters (no digits), lower case."""
    return {
        word
        for word in WORD.findall(text.lower())
        if MIN_LENGTH <= len(word) <= MAX_LENGTH and word.isalpha()
    }


def story_words(story) -> set[str]:
    names = " ".join(byline.person.name for byline in story.bylines.all())
    return words_of(f"{story.title} {story_text(story)} {names}")


def add_story(story, step: int = 1) -> None:
    """Count ``story``'s words in its edition's vocabulary once more (``step`` -1: once less,
    dropping the words no story holds any more)."""
    words = story_words(story)
    if not words or not story.edition_id:
        return
    with transaction.atomic():
        if step > 0:
            Word.objects.bulk_create(
                [Word(edition_id=story.edition_id, word=word) for word in words],
                ignore_conflicts=True,
            )
        mine = Word.objects.filter(edition_id=story.edition_id, word__in=words)
        mine.update(uses=F("uses") + step)
        if step < 0:
            mine.filter(uses__lte=0).delete()


def rebuild(edition, stories) -> int:
    """Replace ``edition``'s vocabulary with the words of ``stories``; return its size."""
    counts: dict[str, int] = {}
    for story in stories.iterator(chunk_size=500):
        for word in story_words(story):
            counts[word] = counts.get(word, 0) + 1
    with transaction.atomic():
        Word.objects.filter(edition=edition).delete()
        Word.objects.bulk_create(
            (Word(edition=edition, word=word, uses=n) for word, n in counts.items()),
            batch_size=1000,
        )
    return len(counts)


def edits(word: str) -> set[str]:
    """The strings one edit away from ``word``."""
    letters = set(word)
    for alphabet in ALPHABETS:
        if letters & set(alphabet):
            letters |= set(alphabet)
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return {
        *(a + b[1:] for a, b in splits if b),
        *(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1),
        *(a + c + b[1:] for a, b in splits if b for c in letters),
        *(a + c + b for a, b in splits for c in letters),
    } - {word}


def starts_a_word(vocabulary, word: str) -> bool:
    """Whether ``word`` starts a longer word of ``vocabulary``, found through an index: on
    SQLite the words' own (in code point order), on PostgreSQL the pattern index of ``word``
    (its collation need not order "\uffff" last)."""
    if connection.vendor == "sqlite":
        return vocabulary.filter(word__gt=word, word__lt=word + "\uffff").exists()
    return vocabulary.filter(word__startswith=word).exclude(word=word).exists()


def suggest(query: str, edition) -> str | None:
    """Return ``query`` with its unknown words corrected from ``edition``'s vocabulary, or
    None when there is nothing to correct."""
    words = query_words(query)
    checked = [w for w in words if MIN_LENGTH <= len(w) <= MAX_LENGTH and w.isalpha()]
    if not checked:
        return None
    vocabulary = Word.objects.filter(edition=edition)
    known = set(vocabulary.filter(word__in=checked).values_list("word", flat=True))
    unknown = [word for word in checked if word not in known][:MAX_CORRECTED]
    neighbours = {word: edits(word) for word in unknown}
    if not neighbours:
        return None
    # Every unknown word's neighbours in one indexed look-up, the most used first.
    found = list(
        vocabulary.filter(word__in=set().union(*neighbours.values()))
        .order_by("-uses", "word")
        .values_list("word", flat=True)
    )
    corrections = {}
    for word, near in neighbours.items():
        best = next((candidate for candidate in found if candidate in near), None)
        # The start of a word the vocabulary holds is not a misspelling: the index matches
        # words as prefixes.
        if best and not starts_a_word(vocabulary, word):
            corrections[word] = best
    if not corrections:
        return None
    return " ".join(corrections.get(word, word) for word in words)
