"""The editors' workbench: review queue, hand entry, merge and split, claims, history."""
from __future__ import annotations

from itertools import groupby

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from timeline import editing
from timeline.admin_forms import ClaimForm, EventForm, EvidenceForm, EvidenceInlineFormSet
from timeline.models import (
    Actor, Article, Claim, Event, EventKeyword, Evidence, Outlet, Place, Tombstone,
)
from timeline.services import refresh_event_summary, source_counts

admin.site.site_header = "Conflict timeline: editors"
admin.site.site_title = "Timeline editors"
admin.site.index_title = "Editors' workbench"

# Fields an editor can change that re-extraction might otherwise write again.
LOCKABLE_FIELDS = frozenset(EventForm.Meta.fields)
# A merge loads the selected events into one page; more is not a merge but a mistake.
MAX_MERGE = 50


def _mark_editor_made(instances) -> None:
    for instance in instances:
        if instance.pk is None and hasattr(instance, "origin"):
            instance.origin = Event.Origin.EDITOR


class EvidenceInline(admin.TabularInline):
    model = Evidence
    form = EvidenceForm
    formset = EvidenceInlineFormSet
    fields = ["article", "quote", "speaker", "char_start", "char_end", "origin"]
    readonly_fields = ["char_start", "char_end", "origin"]
    autocomplete_fields = ["article"]
    show_change_link = True

    def get_extra(self, request, obj=None, **kwargs) -> int:
        # A new event starts with one evidence row to fill; stored events list theirs.
        return 1 if obj is None else 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")


class ClaimInline(admin.TabularInline):
    model = Claim
    fields = ["kind", "value", "claimant", "claimant_actor", "evidence", "origin"]
    readonly_fields = ["origin"]
    autocomplete_fields = ["claimant_actor"]
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        request.timeline_event = obj  # read by formfield_for_foreignkey below
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "evidence":
            # A claim rests on evidence of its own event only.
            event = getattr(request, "timeline_event", None)
            kwargs["queryset"] = (
                Evidence.objects.filter(event=event) if event else Evidence.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class EventChangeList(ChangeList):
    """The event list; in the review queue its default order (and its column arrows) are
    the queue's."""

    def __init__(self, request, *args, **kwargs):
        self.review_queue = getattr(request, "review_queue", False)
        super().__init__(request, *args, **kwargs)

    def _get_default_ordering(self):
        if self.review_queue:
            return list(editing.REVIEW_QUEUE_ORDERING)
        return super()._get_default_ordering()


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    form = EventForm
    list_display = [
        "date_start", "title", "event_type", "status", "verified", "origin", "confidence",
        "source_count", "place",
    ]
    list_display_links = ["title"]
    list_filter = ["status", "verified", "origin", "needs_review", "event_type", "precision"]
    # search_text holds title, actor names and quotes, behind a trigram index ILIKE can use.
    search_fields = ["search_text"]
    list_select_related = ["place"]
    show_full_result_count = False
    autocomplete_fields = ["actors", "place"]
    inlines = [EvidenceInline, ClaimInline]
    actions = ["publish_events", "reject_events", "verify_events", "unverify_events", "merge"]
    readonly_fields = [
        "origin", "confidence", "source_count", "claims_compared", "locked_fields",
        "extractor_version", "created_at", "updated_at",
    ]
    fieldsets = [
        (None, {"fields": [
            "title", "summary", ("date_start", "date_end", "precision"), ("event_type", "mode"),
            "actors", "place",
        ]}),
        ("Review", {"fields": [
            ("status", "verified", "needs_review"), ("origin", "confidence", "source_count"),
        ]}),
        ("Claims side by side", {"fields": ["claims_compared"]}),
        ("Machine and editor", {"fields": [
            "locked_fields", "extractor_version", ("created_at", "updated_at"),
        ]}),
    ]

    # The review queue is this changelist, narrowed and reordered (see review_queue_view).
    def get_urls(self):
        queue = path(
            "review/",
            self.admin_site.admin_view(self.review_queue_view),
            name="timeline_event_review",
        )
        return [queue, *super().get_urls()]

    def review_queue_view(self, request):
        request.review_queue = True
        return self.changelist_view(
            request,
            extra_context={
                "title": "Review queue: machine-extracted drafts",
                "review_queue": True,
            },
        )

    def _in_queue(self, request) -> bool:
        return getattr(request, "review_queue", False)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return editing.review_queue(queryset) if self._in_queue(request) else queryset

    def get_changelist(self, request, **kwargs):
        return EventChangeList

    def get_list_display(self, request):
        if self._in_queue(request):
            return [
                "title", "date_start", "confidence", "source_count", "event_type", "place",
                "needs_review", "verified",
            ]
        return super().get_list_display(request)

    def get_list_filter(self, request):
        if self._in_queue(request):
            # Every row is a machine draft; status and origin would filter nothing.
            return ["event_type", "needs_review", "verified", "precision"]
        return super().get_list_filter(request)

    # Saving: hand-made events are the editor's; changed fields are locked against
    # re-extraction; the denormalized summary follows the evidence.
    def save_model(self, request, obj, form, change):
        if not change:
            obj.origin = Event.Origin.EDITOR
        else:
            editing.lock_fields(obj, (n for n in form.changed_data if n in LOCKABLE_FIELDS))
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        _mark_editor_made(instances)
        for instance in instances:
            instance.save()
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_event_summary(form.instance)

    @admin.display(description="Claims")
    def claims_compared(self, obj: Event):
        """Each kind of claim on one row, differing values side by side with who claims them."""
        if obj.pk is None:
            return "—"
        claims = obj.claims.select_related("claimant_actor", "evidence__article__outlet")
        claims = sorted(claims, key=lambda c: (c.kind, c.pk))
        if not claims:
            return "No claims yet."
        rows = []
        for kind, group in groupby(claims, key=lambda c: c.kind):
            group = list(group)
            cells = format_html_join(
                "", '<td class="claim"><strong>{}</strong><br>{}<br><small>{}</small></td>',
                ((c.value, _claimant(c), _claim_source(c)) for c in group),
            )
            differs = len({c.value for c in group}) > 1
            rows.append(format_html(
                '<tr><th scope="row">{}{}</th>{}</tr>',
                group[0].get_kind_display(),
                format_html(" <em>(differing)</em>") if differs else "",
                cells,
            ))
        return format_html(
            '<table class="claims-compared">{}</table>',
            format_html_join("", "{}", ((row,) for row in rows)),
        )

    # Review actions. "Verified" (facts checked) and "published" (shown) stay separate.
    @admin.action(description="Publish selected events", permissions=["change"])
    def publish_events(self, request, queryset):
        count = editing.publish(queryset)
        self.message_user(request, f"Published {count} event(s).", messages.SUCCESS)

    @admin.action(description="Reject selected events", permissions=["change"])
    def reject_events(self, request, queryset):
        count = editing.reject(queryset)
        self.message_user(request, f"Rejected {count} event(s).", messages.SUCCESS)

    @admin.action(description="Mark selected events verified", permissions=["change"])
    def verify_events(self, request, queryset):
        count = editing.mark_verified(queryset, True)
        self.message_user(request, f"Marked {count} event(s) verified.", messages.SUCCESS)

    @admin.action(description="Mark selected events unverified", permissions=["change"])
    def unverify_events(self, request, queryset):
        count = editing.mark_verified(queryset, False)
        self.message_user(request, f"Marked {count} event(s) unverified.", messages.SUCCESS)

    @admin.action(description="Merge selected events into one", permissions=["change", "delete"])
    def merge(self, request, queryset):
        events = list(queryset.order_by("date_start", "pk")[: MAX_MERGE + 1])
        if not 2 <= len(events) <= MAX_MERGE:
            self.message_user(
                request, f"Select between 2 and {MAX_MERGE} events to merge.", messages.ERROR
            )
            return None
        if request.POST.get("post") == "yes":
            chosen = request.POST.get("survivor", "")
            survivor = next((e for e in events if str(e.pk) == chosen), None)
            try:
                kept = editing.merge_events(events, survivor)
            except editing.EditingError as error:
                self.message_user(request, str(error), messages.ERROR)
                return None
            self.message_user(
                request,
                format_html(
                    "Merged {} events into “{}”; the others now redirect to it.",
                    len(events), kept.title,
                ),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:timeline_event_change", args=[kept.pk]))
        counts = source_counts(e.pk for e in events)
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge events",
            "opts": self.model._meta,
            "events": [(e, counts.get(e.pk, 0)) for e in events],
            "survivor": editing.pick_survivor(events),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": "merge",
        }
        return TemplateResponse(request, "admin/timeline/event/merge_confirmation.html", context)


def _claimant(claim: Claim) -> str:
    name = claim.claimant_actor.name if claim.claimant_actor else ""
    return claim.claimant or name or "claimant not named"


def _claim_source(claim: Claim) -> str:
    if claim.evidence is None:
        return "entered by an editor" if claim.origin == Event.Origin.EDITOR else ""
    article = claim.evidence.article
    return (article.outlet.name if article.outlet else "") or str(article)


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    form = EvidenceForm
    list_display = ["short_quote", "event", "article", "char_start", "origin"]
    list_filter = ["origin"]
    search_fields = ["quote"]
    list_select_related = ["event", "article"]
    show_full_result_count = False
    autocomplete_fields = ["event", "article"]
    fields = [
        "event", "article", "quote", "speaker", "date_text", "char_start", "char_end",
        "date_rule", "anchor_date", "origin", "created_at",
    ]
    readonly_fields = ["char_start", "char_end", "date_rule", "anchor_date", "origin", "created_at"]
    actions = ["split"]

    @admin.display(description="Quote")
    def short_quote(self, obj: Evidence) -> str:
        return obj.quote[:100]

    def save_model(self, request, obj, form, change):
        before = Evidence.objects.filter(pk=obj.pk).values_list("event_id", flat=True).first()
        _mark_editor_made([obj])
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            for event in Event.objects.filter(pk__in={before, obj.event_id} - {None}):
                refresh_event_summary(event)

    def delete_model(self, request, obj):
        event = obj.event
        super().delete_model(request, obj)
        refresh_event_summary(event)

    def delete_queryset(self, request, queryset):
        event_ids = set(queryset.values_list("event_id", flat=True))
        super().delete_queryset(request, queryset)
        for event in Event.objects.filter(pk__in=event_ids):
            refresh_event_summary(event)

    @admin.action(description="Move selected evidence to a new event", permissions=["change"])
    def split(self, request, queryset):
        if not request.user.has_perm("timeline.add_event"):
            self.message_user(request, "You may not create events.", messages.ERROR)
            return None
        try:
            new = editing.split_event(queryset)
        except editing.EditingError as error:
            self.message_user(request, str(error), messages.ERROR)
            return None
        self.message_user(
            request,
            "Moved the evidence to a new draft event; correct its date and title, then publish it.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:timeline_event_change", args=[new.pk]))


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    form = ClaimForm
    list_display = ["event", "kind", "value", "claimant", "claimant_actor", "origin"]
    list_filter = ["kind", "origin"]
    search_fields = ["value", "claimant"]
    list_select_related = ["event", "claimant_actor"]
    show_full_result_count = False
    autocomplete_fields = ["event", "claimant_actor", "evidence"]
    readonly_fields = ["origin", "created_at"]

    def save_model(self, request, obj, form, change):
        _mark_editor_made([obj])
        super().save_model(request, obj, form, change)


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country"]
    list_filter = ["kind"]
    search_fields = ["name", "country"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "region", "latitude", "longitude"]
    list_filter = ["country"]
    search_fields = ["name", "region", "country"]


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "country"]
    search_fields = ["name", "domain"]


@admin.register(EventKeyword)
class EventKeywordAdmin(admin.ModelAdmin):
    list_display = ["phrase", "event_type", "mode"]
    list_filter = ["event_type"]
    search_fields = ["phrase", "mode"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "outlet", "published_on", "published_basis", "source", "status"]
    list_filter = ["status", "source", "published_basis"]
    search_fields = ["title", "url", "source_name"]
    list_select_related = ["outlet"]
    show_full_result_count = False
    exclude = ["raw"]
    readonly_fields = ["content_sha256", "claimed_at", "attempts", "created_at", "updated_at"]


@admin.register(Tombstone)
class TombstoneAdmin(admin.ModelAdmin):
    """Written by merges and deletions; read-only for everyone."""

    list_display = ["event_id", "reason", "merged_into", "deleted_at"]
    list_filter = ["reason"]
    search_fields = ["=event_id"]
    list_select_related = ["merged_into"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
