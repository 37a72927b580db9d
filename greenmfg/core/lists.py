"""The one shape of our list pages: a scoped queryset, a FilterSet, pagination and sorting."""

from django.views.generic import ListView

from greenmfg.core.export import ExcelExportMixin
from greenmfg.core.pagination import CappedPaginator


def querystring_without_page(request) -> str:
    """The current filters and sort, for the pagination links to keep."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class FilteredListView(ExcelExportMixin, ListView):
    """Subclasses name ``filterset_class`` and give their scoped ``base_queryset()``.

    The FilterSet is shared with the API, so a page and its endpoint filter the same way.
    Naming ``export_columns`` (and ``export_filename``/``export_title``) adds the page's
    ``?export=xlsx`` download of every filtered row (see greenmfg.core.export).

    Pages are counted no further than ``settings.LIST_COUNT_CAP`` (see
    greenmfg.core.pagination): past it the page states an estimate, and says so.
    """

    paginate_by = 25
    paginator_class = CappedPaginator
    filterset_class = None

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=self.base_queryset(), request=self.request
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter=self.filterset, querystring=querystring_without_page(self.request), **kwargs
        )
