"""Admin: feeds, and ingesting pasted text or a URL with its progress refreshed by htmx."""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone

from ingest.jobs import add_text, add_url, enqueue_job, start_job
from ingest.models import Feed, FeedEntry, IngestItem, IngestJob
from timeline.models import Article
from timeline.querysets import is_editor


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ("__str__", "url", "active", "poll_interval", "last_polled_at", "next_poll_at", "last_error")
    list_filter = ("active",)
    search_fields = ("title", "url")
    readonly_fields = ("etag", "last_modified", "last_polled_at", "last_error", "entries_seen")
    actions = ["poll_now"]

    @admin.action(description="Poll the selected feeds now")
    def poll_now(self, request, queryset) -> None:
        from ingest.tasks import poll_feed

        ids = list(queryset.values_list("pk", flat=True))
        queryset.update(next_poll_at=timezone.now())
        transaction.on_commit(lambda: [poll_feed.delay(pk) for pk in ids])
        self.message_user(request, f"{len(ids)} feed(s) will be polled shortly.", messages.SUCCESS)


@admin.register(FeedEntry)
class FeedEntryAdmin(admin.ModelAdmin):
    list_display = ("entry_id", "feed", "article", "seen_at")
    list_select_related = ("feed", "article")
    raw_id_fields = ("article",)
    search_fields = ("entry_id", "link")


class IngestForm(forms.Form):
    url = forms.URLField(
        label="URL", required=False, max_length=2000, assume_scheme="https",
        help_text="A page to fetch. Leave empty to paste the text instead.",
    )
    title = forms.CharField(required=False, max_length=500)
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 16, "cols": 100}))
    published = forms.DateField(
        label="Publication date", required=False,
        help_text="When you know it (YYYY-MM-DD). Otherwise the extractor finds it.",
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("url")) == bool((data.get("text") or "").strip()):
            raise forms.ValidationError("Give either a URL or the article's text, not both.")
        return data


class IngestItemInline(admin.TabularInline):
    model = IngestItem
    fields = ("label", "article", "duplicate", "finished", "events_created", "events_merged")
    readonly_fields = fields
    raw_id_fields = ("article",)
    extra = 0
    can_delete = False


@admin.register(IngestJob)
class IngestJobAdmin(admin.ModelAdmin):
    list_display = ("__str__", "origin", "created_by", "created_at")
    list_filter = ("origin",)
    readonly_fields = ("origin", "label", "created_by", "rejected", "created_at")
    inlines = [IngestItemInline]

    # Editors ingest articles: their group's timeline rights are enough for this page.
    def _may_ingest(self, request) -> bool:
        return request.user.has_perm("ingest.add_ingestjob") or is_editor(request.user)

    def has_add_permission(self, request) -> bool:
        return self._may_ingest(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return super().has_view_permission(request, obj) or self._may_ingest(request)

    def has_module_permission(self, request) -> bool:
        return super().has_module_permission(request) or self._may_ingest(request)

    def get_urls(self):
        return [
            path(
                "<int:job_id>/progress/",
                self.admin_site.admin_view(self.progress_view),
                name="ingest_ingestjob_progress",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        """The "ingest" page: paste text or give a URL; then follow its progress."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = IngestForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            job = self._submit(request, form.cleaned_data)
            return redirect(job.get_absolute_url())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Ingest an article",
            "form": form,
        }
        return render(request, "admin/ingest/ingestjob/ingest_form.html", context)

    def _submit(self, request, data: dict) -> IngestJob:
        with transaction.atomic():
            job = start_job(
                IngestJob.Origin.ADMIN, label=data["url"] or data["title"], user=request.user
            )
            if data["url"]:
                add_url(job, data["url"], title=data["title"], published=data["published"])
            else:
                add_text(
                    job, data["text"], title=data["title"], source=Article.Source.TEXT,
                    source_name=data["title"] or f"pasted by {request.user}",
                    published=data["published"], published_basis=Article.Basis.USER,
                )
            enqueue_job(job)
        return job

    def progress_view(self, request, job_id: int):
        """The job's progress; htmx asks again every second for the fragment until done."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        job = get_object_or_404(IngestJob, pk=job_id)
        items = job.items.select_related("article").order_by("id")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Ingest #{job.pk}",
            "job": job,
            "state": job.progress(),
            "items": items,
            "progress_url": reverse("admin:ingest_ingestjob_progress", args=[job.pk]),
        }
        template = "admin/ingest/ingestjob/progress.html"
        if request.htmx and not request.htmx.history_restore_request:
            template += "#progress"
        return render(request, template, context)
