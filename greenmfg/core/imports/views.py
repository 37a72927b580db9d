"""The pages of an import: upload, the preview of each row, apply, the result.

One set of views for every kind; an app mounts them for its kind with :func:`import_urls`
(e.g. registry: ``registry/listings/import/``). Who may import is the importer's ``allowed``;
a run is shown to its uploader only.
"""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views import View

from greenmfg.core.errors import DomainError
from greenmfg.core.files import private_file_response
from greenmfg.core.forms import add_service_errors
from greenmfg.core.imports.forms import ApplyForm, UploadForm
from greenmfg.core.imports.models import ImportRun
from greenmfg.core.imports.services import (
    async_threshold,
    import_apply,
    import_upload,
    importer_for,
    run_progress,
)
from greenmfg.core.imports.spec import Outcome, outcome_labels
from greenmfg.core.imports.template import template_csv, template_xlsx

PAGE_SIZE = 50
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class _ImportView(LoginRequiredMixin, View):
    kind = ""
    name = ""  # the URL names' prefix, e.g. "registry:listing-import"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.importer = importer_for(self.kind)
        if not self.importer.allowed(request.user):
            raise PermissionDenied(_("您无权执行「%(title)s」。") % {"title": self.importer.title})
        return super().dispatch(request, *args, **kwargs)

    def url(self, suffix: str = "", *args) -> str:
        return reverse(f"{self.name}{suffix}", args=args)

    def context(self, **extra) -> dict:
        return {
            "importer": self.importer,
            "matched_label": outcome_labels(self.importer)[Outcome.MATCHED],
            "columns": self.importer.columns,
            "upload_url": self.url(),
            "template_xlsx_url": self.url("-template", "xlsx"),
            "template_csv_url": self.url("-template", "csv"),
            "async_rows": async_threshold(),
            **extra,
        }


class ImportUploadView(_ImportView):
    """GET: the upload form, the template and the user's recent imports. POST: upload."""

    def recent(self):
        return ImportRun.objects.filter(kind=self.kind, uploaded_by=self.request.user)[:10]

    def render_page(self, form):
        return render(
            self.request,
            "imports/upload.html",
            self.context(form=form, runs=self.recent(), run_url_name=f"{self.name}-run"),
        )

    def get(self, request):
        return self.render_page(UploadForm())

    def post(self, request):
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                run = import_upload(
                    kind=self.kind, uploaded=form.cleaned_data["file"], actor=request.user
                )
            except (DomainError, ValidationError) as error:
                add_service_errors(form, error)
            else:
                return redirect(self.url("-run", run.pk))
        return self.render_page(form)


def ordered_results(run: ImportRun) -> list[dict]:
    """Errors first, then in row order."""
    return sorted(
        run.results, key=lambda result: (result["outcome"] != Outcome.ERROR, result["row"])
    )


class ImportRunView(_ImportView):
    """GET: the run's progress or its preview (each row's outcome, errors first), and the apply
    form. POST: apply."""

    def get_run(self, pk) -> ImportRun:
        run = get_object_or_404(ImportRun, pk=pk, kind=self.kind)
        if run.uploaded_by_id != self.request.user.pk:
            raise Http404(_("导入记录不存在。"))
        return run

    def render_page(self, run, form):
        page = Paginator(ordered_results(run), PAGE_SIZE).get_page(self.request.GET.get("page"))
        labels = outcome_labels(self.importer)
        for result in page.object_list:
            result["outcome_label"] = labels.get(result["outcome"], result["outcome"])
        return render(
            self.request,
            "imports/run.html",
            self.context(
                run=run,
                form=form,
                page=page,
                progress=run_progress(run),
                run_url=self.url("-run", run.pk),
                file_url=self.url("-file", run.pk),
            ),
        )

    def get(self, request, pk):
        run = self.get_run(pk)
        return self.render_page(run, ApplyForm())

    def post(self, request, pk):
        run = self.get_run(pk)
        form = ApplyForm(request.POST)
        if form.is_valid():
            try:
                run = import_apply(
                    run=run, actor=request.user, keep_good_rows=form.cleaned_data["keep_good_rows"]
                )
            except (DomainError, ValidationError) as error:
                add_service_errors(form, error)
                run.refresh_from_db()
            else:
                if run.state == ImportRun.State.APPLIED:
                    messages.success(
                        request,
                        _("导入完成：写入 %(written)d 条记录。") % {"written": run.written},
                    )
                return redirect(self.url("-run", run.pk))
        return self.render_page(run, form)


class ImportFileView(ImportRunView):
    """The stored source file of a run, to its uploader."""

    def get(self, request, pk):
        run = self.get_run(pk)
        return private_file_response(
            run.file, filename=run.original_name, content_type=run.content_type
        )

    def post(self, request, pk):
        raise Http404


class ImportTemplateView(_ImportView):
    def get(self, request, extension):
        build = {"xlsx": template_xlsx, "csv": template_csv}.get(extension)
        if build is None:
            raise Http404
        response = HttpResponse(build(self.importer.columns), content_type=CONTENT_TYPES[extension])
        filename = f"{self.importer.title}模板.{extension}"
        response["Content-Disposition"] = (
            f'attachment; filename="import-template.{extension}"; '
            f"filename*=UTF-8''{quote(filename)}"
        )
        return response


def import_urls(*, kind: str, prefix: str, name: str, route_name: str) -> list:
    """The pages of ``kind`` under ``prefix`` (e.g. ``"registry/listings/import/"``), named
    ``route_name``, ``route_name-run``, ``route_name-template``; ``name`` is the namespaced
    prefix the views reverse (e.g. ``"registry:listing-import"``)."""
    options = {"kind": kind, "name": name}
    return [
        path(prefix, ImportUploadView.as_view(**options), name=route_name),
        path(f"{prefix}<int:pk>/", ImportRunView.as_view(**options), name=f"{route_name}-run"),
        path(
            f"{prefix}<int:pk>/file/",
            ImportFileView.as_view(**options),
            name=f"{route_name}-file",
        ),
        path(
            f"{prefix}template.<str:extension>",
            ImportTemplateView.as_view(**options),
            name=f"{route_name}-template",
        ),
    ]
