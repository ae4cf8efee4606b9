from django import template

from articles.seo.structured_data import article_graph, json_ld_script

register = template.Library()


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    return json_ld_script(article_graph(article, context["request"].build_absolute_uri))
