"""The reviewer's comparison of the live version with the draft (articles.publishing.compare)."""

import re

import pytest
from django.template.loader import render_to_string

from articles.models import (
    Article,
    Callout,
    Cause,
    Evidence,
    PreventionTip,
    ReliefTechnique,
    Section,
    Source,
)
from articles.publishing.compare import compare
from articles.publishing.drafts import Snapshot, copy_into
from tests.factories import (
    ArticleFactory,
    CalloutFactory,
    CauseFactory,
    PreventionTipFactory,
    ReliefTechniqueFactory,
    SectionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

IMAGE = "![A calf being stretched](https://example.org/stretch.png)"


def live_page():
    page = ArticleFactory(title="Night calf cramps")
    SectionFactory(article=page, position=1, heading="What they are", body="Sudden pain.")
    nhs = SourceFactory(article=page, position=1, title="Leg cramps")
    SourceFactory(article=page, position=2, title="Cramp treatments", publisher="NICE")
    CauseFactory(article=page, position=1, name="Dehydration", source_ids=[nhs.pk])
    ReliefTechniqueFactory(article=page, position=1, body="Stretch your calf.")
    ReliefTechniqueFactory(article=page, position=2, body="Massage the muscle.")
    PreventionTipFactory(
        article=page,
        position=1,
        body="Stretch before bed.",
        evidence=Evidence.MAY_HELP,
        source_ids=[nhs.pk],
    )
    CalloutFactory(
        article=page,
        position=1,
        level=Callout.Level.URGENT,
        heading="Call 111 if:",
        body="- your calf is swollen",
    )
    return page


def draft_of(page):
    return copy_into(Article(draft_of=page), Snapshot.of_rows(page))


def compared(page, draft):
    return compare(Snapshot.of_rows(page), Snapshot.of_rows(draft))


def swap_steps(draft):
    steps = ReliefTechnique.objects.filter(article=draft)
    first, second = steps.order_by("position")
    steps.park()  # no two rows may share a position, even for a moment
    ReliefTechnique.objects.filter(pk=first.pk).update(position=2)
    ReliefTechnique.objects.filter(pk=second.pk).update(position=1)


def edited_draft(page):
    """A draft of `page` with a change of every kind a reviewer must be shown."""
    draft = draft_of(page)
    PreventionTipFactory(article=draft, position=2, body="Drink water in the evening.")
    Cause.objects.filter(article=draft, name="Dehydration").delete()
    Source.objects.filter(article=draft, title="Leg cramps").update(title="Leg cramps at night")
    swap_steps(draft)
    tip = PreventionTip.objects.get(article=draft, position=1)
    tip.evidence = Evidence.RECOMMENDED
    tip.source_ids = [Source.objects.get(article=draft, publisher="NICE").pk]
    tip.save()
    Callout.objects.filter(article=draft).update(body="- your calf is swollen\n- or red")
    return draft


def labels(parts):
    return [part.label for part in parts]


def field(part, label):
    return next(change for change in part.fields if change.label == label)


def test_an_unchanged_copy_has_no_differences():
    page = live_page()

    diff = compared(page, draft_of(page))

    assert diff.is_empty
    assert "No differences from the live version." in render_to_string(
        "admin/articles/article/version_diff.html", {"diff": diff, "against": "the live version"}
    )


def test_added_and_removed_parts_are_matched_by_key_not_by_id():
    page = live_page()

    diff = compared(page, edited_draft(page))

    assert labels(diff.group(PreventionTip).added) == ["Drink water in the evening."]
    assert labels(diff.group(Cause).removed) == ["Dehydration"]
    assert diff.group(Section) is None  # copied with new ids, yet unchanged


def test_a_changed_source_shows_its_new_title_word_by_word():
    page = live_page()

    (source,) = compared(page, edited_draft(page)).group(Source).changed

    assert source.label == "NHS: Leg cramps at night"
    assert source.move is None
    assert "<ins>" in str(field(source, "Title").diff)


def test_swapped_steps_are_moved_not_changed():
    page = live_page()

    steps = compared(page, edited_draft(page)).group(ReliefTechnique)

    assert not steps.added and not steps.removed
    moves = {part.label: part.move.text for part in steps.changed}
    assert moves == {
        "Massage the muscle.": "Moved from position 2 to 1",
        "Stretch your calf.": "Moved from position 1 to 2",
    }
    assert all(not part.fields for part in steps.changed)


def test_a_part_both_moved_and_changed_shows_both():
    page = live_page()
    draft = draft_of(page)
    swap_steps(draft)
    ReliefTechnique.objects.filter(article=draft, position=1).update(body="Massage it gently.")

    steps = compared(page, draft).group(ReliefTechnique)

    (both,) = [part for part in steps.changed if part.fields]
    assert both.move.text == "Moved from position 2 to 1"
    assert labels(both.fields) == ["Body"]
    html = render_to_string(
        "admin/articles/article/version_diff.html", {"diff": compared(page, draft)}
    )
    assert "Moved and changed:" in html


def test_a_cause_moved_to_the_other_group_says_so():
    page = live_page()
    draft = draft_of(page)
    Cause.objects.filter(article=draft).update(group=Cause.Group.DISEASE)

    (cause,) = compared(page, draft).group(Cause).changed

    assert cause.fields == []
    assert cause.move.text == "Moved from position 1 (Everyday cause) to position 1 (Disease)"


def test_evidence_is_shown_in_its_label_and_sources_by_number_and_title():
    page = live_page()

    (tip,) = compared(page, edited_draft(page)).group(PreventionTip).changed

    evidence = str(field(tip, "Evidence").diff)
    assert "May help" in evidence
    assert "Recommended by the NHS or NICE" in evidence
    sources = field(tip, "Sources")
    # The old version's own number and title for the source no longer cited.
    assert sources.removed == ["Source 1: Leg cramps"]
    assert sources.added == ["Source 2: Cramp treatments"]


def test_a_renumbered_source_is_not_a_change_of_what_a_claim_cites():
    page = live_page()
    draft = draft_of(page)
    sources = Source.objects.filter(article=draft)
    sources.park()
    sources.filter(title="Leg cramps").update(position=2)
    sources.filter(title="Cramp treatments").update(position=1)

    diff = compared(page, draft)

    assert diff.group(PreventionTip) is None
    assert diff.group(Cause) is None
    moves = [(part.label, part.move.text) for part in diff.group(Source).changed]
    assert moves == [
        ("NICE: Cramp treatments", "Moved from position 2 to 1"),
        ("NHS: Leg cramps", "Moved from position 1 to 2"),
    ]


def test_a_care_card_is_named_by_its_level_and_heading():
    page = live_page()

    (card,) = compared(page, edited_draft(page)).group(Callout).changed

    assert card.label == "Urgent: get help the same day: Call 111 if:"
    body = str(field(card, "Body").diff)
    # The added sign is marked, and announced to screen readers.
    assert re.search(r"<ins><span class=\"visually-hidden\">\[added: </span>[^<]*- or red", body)


def test_article_fields_and_related_articles_are_compared():
    page = live_page()
    draft = draft_of(page)
    other = ArticleFactory(title="Restless legs")
    Article.rows.filter(pk=draft.pk).update(title="Night-time calf cramps")
    draft.related_articles.add(other)

    diff = compare(Snapshot.of_rows(page), Snapshot.of_rows(Article.rows.get(pk=draft.pk)))

    assert labels(diff.fields) == ["Title"]
    assert diff.related_added == ["Restless legs"]
    assert diff.related_removed == []


def test_a_changed_text_with_an_image_is_also_drawn():
    page = live_page()
    draft = draft_of(page)
    Section.objects.filter(article=draft).update(body=f"Sudden pain.\n\n{IMAGE}")

    (section,) = compared(page, draft).group(Section).changed

    body = field(section, "Body")
    assert "<ins>" in str(body.diff)
    assert '<img alt="A calf being stretched"' in body.rendered


def test_the_page_shows_every_change_in_words():
    page = live_page()

    html = render_to_string(
        "admin/articles/article/version_diff.html", {"diff": compared(page, edited_draft(page))}
    )

    for text in [
        "<h3",
        "Prevention tips",
        "Added:",
        "Drink water in the evening.",
        "Removed:",
        "Dehydration",
        "Moved from position 2 to 1",
        "Recommended by the NHS or NICE",
        "No longer cited:",
        "Source 1: Leg cramps",
        "Now cited:",
        "Source 2: Cramp treatments",
        "Care cards",
        "Urgent: get help the same day: Call 111 if:",
        '<span class="visually-hidden">[removed: </span>',
    ]:
        assert text in html
    assert "No differences" not in html


def test_a_new_article_is_all_added_with_images_drawn():
    page = live_page()
    Section.objects.filter(article=page).update(body=f"Sudden pain.\n\n{IMAGE}")

    diff = compare(None, Snapshot.of_rows(page))

    assert diff.is_new and not diff.is_empty
    assert "Title" in labels(diff.fields)
    for group in diff.groups:
        assert group.added and not group.removed and not group.changed
    assert [group.model for group in diff.groups] == [
        Section, Cause, ReliefTechnique, PreventionTip, Callout, Source
    ]  # fmt: skip
    (section,) = diff.group(Section).added
    assert "<img" in field(section, "Body").rendered
    assert "![" not in str(field(section, "Body").rendered)
    (cause,) = diff.group(Cause).added
    assert field(cause, "Sources").diff == "Source 1: Leg cramps"
    html = render_to_string("admin/articles/article/version_diff.html", {"diff": diff})
    assert '<img alt="A calf being stretched"' in html
    assert "everything below is new" in html
