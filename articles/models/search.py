"""What search knows of readers' words: synonyms editors keep, and what readers looked for."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

# A phrase is at most this many words; a list at most this many phrases.
MAX_PHRASE_WORDS = 5
MAX_ALTERNATIVES = 10
# Longer "words" are codes or addresses, never something a reader misspells.
MAX_WORD_LENGTH = 30


def phrase_words(text):
    """The words of a query or phrase as search compares them: lower case, no punctuation."""
    return tuple(word.lower() for word in re.findall(r"\w+", text))


class Synonym(models.Model):
    """Words and phrases readers use for the same thing: a search for one finds them all."""

    language = models.CharField(
        max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE,
        help_text="The language of the words: searches in it use them.",
    )  # fmt: skip
    words = models.CharField(
        "words and phrases",
        max_length=300,
        help_text="Two or more words or phrases that mean the same to readers, separated by "
        "commas, such as “water tablets, diuretics”.",
    )
    note = models.CharField(
        max_length=200,
        blank=True,
        help_text="Optional: where these come from, for other editors (such as “NHS: also "
        "known as”).",
    )

    class Meta:
        ordering = ["language", "words"]
        constraints = [
            models.UniqueConstraint(fields=["language", "words"], name="one_synonym_per_language")
        ]

    def __str__(self):
        return self.words

    def alternatives(self):
        """The phrases, as tuples of words, each once."""
        found = []
        for phrase in self.words.split(","):
            words = phrase_words(phrase)
            if words and words not in found:
                found.append(words)
        return found[:MAX_ALTERNATIVES]

    def clean(self):
        phrases = [phrase_words(phrase) for phrase in self.words.split(",")]
        if len({words for words in phrases if words}) < 2:
            raise ValidationError(
                {"words": "Give at least two different words or phrases, separated by commas."}
            )
        if len(phrases) > MAX_ALTERNATIVES:
            raise ValidationError({"words": f"Give at most {MAX_ALTERNATIVES} phrases."})
        if any(len(words) > MAX_PHRASE_WORDS for words in phrases):
            raise ValidationError(
                {"words": f"Keep each phrase to {MAX_PHRASE_WORDS} words or fewer."}
            )


class SearchWord(models.Model):
    """A word that live pages show readers: what a misspelt search is corrected to.

    The write path adds each page's words when it indexes the page; words a page no longer
    has stay, as a correction is only offered when it finds pages."""

    language = models.CharField(
        max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    word = models.CharField(max_length=MAX_WORD_LENGTH)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["language", "word"], name="one_word_per_language")
        ]

    def __str__(self):
        return self.word


class SearchCount(models.Model):
    """How often readers searched for a query on a day, and how often it found nothing.

    Only the words are kept: no address, cookie or browser detail, and never a query with
    a digit or an @ in it (a phone number, a date, an email address)."""

    day = models.DateField()
    query = models.CharField(max_length=200)
    searches = models.PositiveIntegerField(default=0)
    found_nothing = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "query"], name="one_count_per_query_a_day")
        ]
        indexes = [models.Index(fields=["day"], name="searchcount_day")]

    def __str__(self):
        return f"{self.query} ({self.day})"
