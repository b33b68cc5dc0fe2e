"""The figures' formats, once (stations.figures): a rate as "87.5%", days as "3.5天", nothing as "—"."""
from django import template

from stations import figures

register = template.Library()

register.filter("percent", figures.percent)
register.filter("days", figures.days)
