from django.db import models


class Word(models.Model):
    """A word of an edition's published stories, with the number of publishes that held it:
    the vocabulary "Did you mean" corrects a query from (dateline.search.vocabulary)."""

    edition = models.ForeignKey("editions.Edition", on_delete=models.CASCADE, related_name="+")
    # Indexed alone too: on PostgreSQL that adds the pattern index a prefix look-up needs.
    word = models.CharField(max_length=40, db_index=True)
    uses = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "word"], name="search_word_unique")
        ]

    def __str__(self) -> str:
        return self.word
