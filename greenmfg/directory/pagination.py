"""The organisations' pages: the generic capped count (greenmfg.core.pagination), except that
a count the maintained summary answers is taken from it."""

from django.utils.functional import cached_property

from greenmfg.core.pagination import CappedPaginator


class OrganisationPaginator(CappedPaginator):
    """``known_count`` (from ``OrganisationFilter.summary_count``: no name search) is exact at
    any size and costs one small query; without it, the capped count and its stated estimate."""

    def __init__(self, *args, known_count: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.known_count = known_count

    @cached_property
    def exact_count(self) -> int | None:
        if self.known_count is not None:
            return self.known_count
        return super().exact_count
