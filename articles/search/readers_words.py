"""Readers' words: the vocabulary of lay and medical names in readers-words.tsv, each with
its source, loaded as synonyms editors can see and change; and the words of the live pages
that a misspelt search is corrected to.

The models are passed in, so that a migration can pass its historical ones.
"""

import re
from pathlib import Path

from articles.models.search import MAX_WORD_LENGTH

FILE = Path(__file__).with_name("readers-words.tsv")
WORD = re.compile(r"\w+")
# Words asked about or written at once (under SQLite's 999 parameters a statement).
BATCH = 500


def entries(path=FILE):
    """The file's lines as (phrases, source), in file order; comments and blanks skipped."""
    found = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            words, source = line.split("\t")
            found.append((words.strip(), source.strip()))
    return found


def load(synonym_model, path=FILE):
    """Add the file's lines that are not synonyms yet, with their source as the note. A
    line is known by its phrases or its source: one an editor changed stays as they left
    it; one they deleted comes back. Returns how many were added."""
    rows = synonym_model.objects.values_list("words", "note")
    present = {value for row in rows for value in row}
    new = [
        synonym_model(words=words, note=source)
        for words, source in entries(path)
        if words not in present and source not in present
    ]
    synonym_model.objects.bulk_create(new)
    return len(new)


def words_in(texts):
    """The distinct words, lower case, made only of letters, in these texts."""
    lowered = (word.lower() for text in texts for word in WORD.findall(text or ""))
    # Lower case first: it can lengthen a word ("İ" is two characters lower-cased).
    return {word for word in lowered if word.isalpha() and len(word) <= MAX_WORD_LENGTH}


def remember_words(search_word_model, texts, language=None):
    """Keep the words of these texts, in `language`, as words readers see (those already
    kept stay). A migration's historical model may predate languages: no language, then."""
    words = sorted(words_in(texts))
    scope = {"language": language} if language else {}
    # Most of a page's words are known after its first indexing: asking which are known is
    # cheaper than inserting them all again for the database to refuse.
    known = set()
    for start in range(0, len(words), BATCH):
        batch = words[start : start + BATCH]
        rows = search_word_model.objects.filter(word__in=batch, **scope)
        known.update(rows.values_list("word", flat=True))
    search_word_model.objects.bulk_create(
        [search_word_model(word=word, **scope) for word in words if word not in known],
        ignore_conflicts=True,  # another writer may add the same word meanwhile
        batch_size=BATCH,
    )
