"""The ids headings have on a page, for "On this page" links and search results to lead
to."""

from django import template

from articles.models.content import anchor_of

register = template.Library()
register.filter("anchor", anchor_of)
