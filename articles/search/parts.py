"""Which parts of a found article answer the search: its sections, care cards, techniques,
tips and causes whose words match, best first, each with a passage of its own words, for a
link straight to it. A search for the signs on an urgent or emergency care card (a red
flag: "swollen calf", "chest pain") gets that card, whole, above the results.

The parts are matched in Python with the Snowball stemmer of the page's language, the
algorithm of PostgreSQL's configuration for it (for English, close to SQLite's Porter):
the index has found the articles; this only picks, within each, the parts to lead to.
"""

import itertools
from dataclasses import dataclass

from django.db.models import prefetch_related_objects

from articles.markdown import markdown_to_text
from articles.models import PART_MODELS, Advice, Article, Callout, Cause, Section
from articles.search.database import configuration
from articles.search.query import WORD, contains, marked_passage, passage, stems

# Results whose parts are looked at, and the parts shown under each.
ARTICLES_ANSWERED = 5
PARTS_SHOWN = 3
# A match in what names the part (a heading, a card's title, a cause's name) counts more.
HEADING_WEIGHT = 3
# A part's text must hold a stem's first letters, all but its last (Snowball changes at
# most the end of a word: happy, happi), and at least this many, to be looked at closely.
PREFIX = 3
RED_FLAG_LEVELS = (Callout.Level.EMERGENCY, Callout.Level.URGENT)
# Words that name no warning sign (as stems, in each text-search language): those of
# every page of this site, and everyday verbs that many signs use ("you get cramps
# after…"). A search made only of them ("leg cramps") names no red flag, however many of
# the card's lines say them.
TOPIC_STEMS = {
    "english": frozenset({
        "cramp", "leg", "calf", "calv", "night", "muscl", "pain", "foot", "feet",
        "get", "got", "have", "go", "make", "take", "one",
    }),
    "russian": frozenset({
        "судорог", "ног", "икр", "икроножн", "ноч", "ночн", "мышц", "мышечн", "бол",
        "стоп", "свод", "свел", "быва", "ест",
    }),
}  # fmt: skip
# With equal scores: a card, then advice, then text, then causes.
KIND_ORDER = (Callout, Advice, Section, Cause)


@dataclass
class Answer:
    """A part of a found article that matches the search."""

    part: object
    passage: str  # HTML, escaped, with the matched words marked
    score: int

    @property
    def anchor(self):
        return self.part.anchor

    @property
    def name(self):
        part = self.part
        if isinstance(part, Callout):
            return part.title or part.heading
        if isinstance(part, Section):
            return part.heading or "Section"
        if isinstance(part, Cause):
            return part.name
        if isinstance(part, Advice):
            return part.short_name()
        return str(part)


@dataclass
class Answers:
    """What search gives beyond the articles: the red-flag card, if the search is one."""

    red_flag: Callout | None = None
    found_in: Article | None = None


def answer(results):
    """Attach to each of the first results (search.Results) its best parts
    (result.parts) and return the red-flag card, if the search names the signs of one."""
    wanted = [[tuple(stems(phrase)) for phrase in group] for group in results.groups]
    answered = results[:ARTICLES_ANSWERED]
    prefetch_related_objects([r.article for r in answered], *Article.part_accessors())
    answers = Answers()
    # A group is a topic word if any of its phrases is (its synonyms mean the same).
    topic = TOPIC_STEMS[configuration()]
    signs = [group for group in wanted if not any(topic.issuperset(p) for p in group)]
    for result in answered:
        found = sorted(best_parts(result.article, wanted), key=_rank)
        result.parts = found[:PARTS_SHOWN]
        flags = [
            (named, a)
            for a in found
            if signs and _is_red_flag(a.part) and (named := _signs_named(a, wanted, signs))
        ]
        if flags and answers.red_flag is None:
            # The card whose sign has the most of the words; of two as close, the emergency
            # one before the urgent.
            flags.sort(key=lambda flag: (-flag[0], RED_FLAG_LEVELS.index(flag[1].part.level)))
            answers.red_flag, answers.found_in = flags[0][1].part, result.article
    return answers


def _rank(answer):
    kind = next(i for i, kind in enumerate(KIND_ORDER) if isinstance(answer.part, kind))
    return (-answer.score, kind)


def _is_red_flag(part):
    return isinstance(part, Callout) and part.level in RED_FLAG_LEVELS


def _signs_named(answer, wanted, signs):
    """How many of the words searched the card's signs have, if the search names one of
    them; else 0. A sign is a line of the card. It is named if it has every word searched,
    a sign word among them ("swollen calf", "mercury"); or, as a frightened reader types
    ("leg swollen and cant get my breath"), if two sign words or more and at least half
    of the words searched stand on it, or on it and the next sign, as a card lists one
    condition's signs one after another ("calf swollen and warm")."""
    lines = [stems(WORD.findall(line)) for line in markdown_to_text(answer.part.body).splitlines()]
    best = 0
    for window in [[line] for line in lines] + [list(pair) for pair in itertools.pairwise(lines)]:
        found = [g for g in wanted if any(contains(line, p) for line in window for p in g)]
        found_signs = sum(group in found for group in signs)
        if (found_signs > 1 and 2 * len(found) >= len(wanted)) or (
            found_signs and len(found) == len(wanted) and len(window) == 1
        ):
            best = max(best, len(found))
    return best


def best_parts(article, wanted):
    """Every part of `article` that matches a group of `wanted`, scored, in page order."""
    # A stem's first letters stand in every word it comes from: parts without any are
    # passed over before their words are stemmed (rendering their Markdown costs most).
    words = {word for group in wanted for phrase in group for word in phrase}
    clues = {word[: max(PREFIX, len(word) - 1)] for word in words}
    for model in PART_MODELS:
        for part in getattr(article, model.accessor()).all():
            raw = " ".join(getattr(part, name) or "" for name in model.searchable_fields)
            if not any(clue in raw.lower() for clue in clues):
                continue
            naming = [markdown_to_text(getattr(part, name)) for name in model.heading_fields]
            if isinstance(part, Advice):  # its bold first words name it
                naming.append(part.short_name())
            texts = [
                markdown_to_text(getattr(part, name))
                for name in model.searchable_fields
                if name not in model.heading_fields
            ]
            heading, body = " ".join(filter(None, naming)), " ".join(filter(None, texts))
            heading_stems, body_stems = stems(WORD.findall(heading)), stems(WORD.findall(body))
            score, matched = 0, 0
            for group in wanted:
                if any(contains(heading_stems, phrase) for phrase in group):
                    score, matched = score + HEADING_WEIGHT, matched + 1
                elif any(contains(body_stems, phrase) for phrase in group):
                    score, matched = score + 1, matched + 1
            if score:
                # Every word matched counts before how they matched.
                score += matched * HEADING_WEIGHT * len(wanted)
                text = body if words & set(body_stems) else heading
                yield Answer(part, marked_passage(passage(text, words)), score)
