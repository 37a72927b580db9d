"""What every list's filters share."""

import django_filters
from django.utils.translation import gettext_lazy as _


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's, with the descending choices labelled in Chinese."""

    descending_fmt = _("%s（降序）")
