"""What the site shows: events, the evidence they rest on, actors, places and articles."""
from __future__ import annotations

from django.contrib.postgres.fields import ArrayField, DateRangeField
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.lookups import GreaterThan
from django.urls import reverse
from simple_history.models import HistoricalRecords

from timeline.querysets import ArticleQuerySet, EventQuerySet


class EventType(models.TextChoices):
    """PLOVER event categories."""

    AGREE = "AGREE", "Agree"
    CONSULT = "CONSULT", "Consult"
    SUPPORT = "SUPPORT", "Support"
    CONCEDE = "CONCEDE", "Concede"
    COOPERATE = "COOPERATE", "Cooperate"
    AID = "AID", "Aid"
    RETREAT = "RETREAT", "Retreat"
    REQUEST = "REQUEST", "Request"
    ACCUSE = "ACCUSE", "Accuse"
    REJECT = "REJECT", "Reject"
    THREATEN = "THREATEN", "Threaten"
    PROTEST = "PROTEST", "Protest"
    SANCTION = "SANCTION", "Sanction"
    MOBILIZE = "MOBILIZE", "Mobilize"
    COERCE = "COERCE", "Coerce"
    ASSAULT = "ASSAULT", "Assault"


class Precision(models.TextChoices):
    DAY = "day", "Day"
    RANGE = "range", "Range of days"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class Outlet(models.Model):
    name = models.CharField(max_length=200)
    domain = models.CharField(max_length=253, unique=True)
    country = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        PROCESSING = "processing", "Processing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class Basis(models.TextChoices):
        """How the publication date is known."""

        METADATA = "metadata", "Page metadata"
        DATELINE = "dateline", "Dateline"
        TEXT = "text", "Full date in the text"
        WEEKDAY = "weekday", "Weekday and day-month agree"
        USER = "user", "Given by the user"
        RELATED = "related", "Fallback: a related stored article"
        INGEST = "ingest", "Fallback: the ingest date"
        UNKNOWN = "unknown", "Unknown"

    class Source(models.TextChoices):
        FILE = "file", "File"
        TEXT = "text", "Pasted text"
        URL = "url", "URL"
        FEED = "feed", "Feed"
        API = "api", "API"

    url = models.URLField(max_length=2000, unique=True, null=True, blank=True)
    outlet = models.ForeignKey(Outlet, null=True, blank=True, on_delete=models.SET_NULL)
    title = models.CharField(max_length=500, blank=True)
    text = models.TextField(blank=True)
    language = models.CharField(max_length=12, blank=True)
    published_on = models.DateField(null=True, blank=True)
    published_basis = models.CharField(
        max_length=12, choices=Basis.choices, default=Basis.UNKNOWN
    )
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.FILE)
    source_name = models.CharField(
        max_length=500, blank=True, help_text="File name or feed entry the article came from."
    )
    # Unique, so the same text arriving twice (file, URL, feed) is one article. Null until
    # the text is known (a queued URL).
    content_sha256 = models.CharField(max_length=64, unique=True, null=True, blank=True)
    raw = models.BinaryField(null=True, blank=True, editable=False)
    metadata = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    extractor_version = models.CharField(max_length=40, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "claimed_at"], name="article_status_claimed"),
            models.Index(fields=["published_on"], name="article_published"),
        ]

    def __str__(self) -> str:
        return self.title or self.source_name or self.url or f"Article {self.pk}"


class Actor(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        STATE = "state", "State"
        ORGANIZATION = "organization", "Organization"
        GOVERNMENT = "government", "Government"
        ARMED_GROUP = "armed_group", "Armed group"
        MEDIA = "media", "Media"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    country = models.CharField(max_length=100, blank=True)
    aliases = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    # Words for a state's people or forces ("Russian"): the extractor reads them as the state.
    demonyms = ArrayField(models.CharField(max_length=200), default=list, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [GinIndex(fields=["aliases"], name="actor_aliases")]

    def __str__(self) -> str:
        return self.name


class Place(models.Model):
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=200, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    gazetteer_id = models.CharField(max_length=40, blank=True)
    aliases = ArrayField(models.CharField(max_length=200), default=list, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="place_name_country"),
        ]
        indexes = [
            GinIndex(fields=["aliases"], name="place_aliases"),
            models.Index(fields=["country"], name="place_country"),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.country}" if self.country else self.name

    @property
    def located(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class EventKeyword(models.Model):
    """A phrase that marks an event of a type ("shelled" -> ASSAULT, mode artillery)."""

    phrase = models.CharField(max_length=200, unique=True)
    event_type = models.CharField(max_length=12, choices=EventType.choices)
    mode = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["phrase"]

    def __str__(self) -> str:
        return f"{self.phrase} -> {self.event_type}"


def day_span() -> Func:
    """The days an event covers, as a Postgres daterange (only for events with an end).

    The `event_span` index is on this exact expression: filters must build it here.
    """
    return Func(
        F("date_start"), F("date_end"), Value("[]"), function="daterange",
        output_field=DateRangeField(),
    )


# Events that run into a day after beginning before it are found in two ways: those that
# began at most this many days earlier by a bounded range scan of the date indexes (which
# carry date_end), the longer ones by the GiST indexes, which hold only those (month
# precision spans at most 31 days; "year" precision and longer ranges are rare). The GiST
# scan over all multi-day events cost 1-10 ms per day asked on a million events; over the
# long ones only, 0.2 ms.
SHORT_SPAN_DAYS = 31


def span_days() -> Func:
    """The days from an event's first day to its last (NULL for a one-day event). Postgres
    keeps statistics on this expression (migration 0011), so it knows how few long events
    there are."""
    # The keywords in the order a migration writes them: Func compares them in order, and
    # the other order made makemigrations see the GiST indexes as changed.
    return Func(
        F("date_end"), F("date_start"), arg_joiner=" - ", template="(%(expressions)s)",
        output_field=models.IntegerField(),
    )


def long_span() -> Q:
    """Events that end more than SHORT_SPAN_DAYS after they begin: the condition of the
    GiST indexes, which Postgres uses only where a query states it in this exact form."""
    return Q(GreaterThan(span_days(), SHORT_SPAN_DAYS))


def multi_day() -> Q:
    """Events that end after the day they begin: the condition of the `*_multiday` indexes,
    which Postgres uses only where a query states it in this exact form. Only these can
    run into a day from before it, and most events last one day."""
    return Q(GreaterThan(span_days(), 0))


class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        REJECTED = "rejected", "Rejected"

    class Origin(models.TextChoices):
        EXTRACTED = "extracted", "Extracted by the machine"
        EDITOR = "editor", "Entered by an editor"

    date_start = models.DateField()
    date_end = models.DateField(null=True, blank=True)
    precision = models.CharField(max_length=8, choices=Precision.choices, default=Precision.DAY)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    event_type = models.CharField(max_length=12, choices=EventType.choices)
    mode = models.CharField(max_length=40, blank=True)
    actors = models.ManyToManyField(Actor, blank=True, related_name="events")
    place = models.ForeignKey(  # event_place_date begins with it
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="events",
        db_index=False,
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.EXTRACTED)
    verified = models.BooleanField(default=False, help_text="An editor checked the facts.")
    needs_review = models.BooleanField(
        default=False, help_text="The date rests on a fallback (no publication date found)."
    )
    confidence = models.FloatField(default=0.0)
    # Denormalized: the number of distinct articles citing the event (filters and ordering
    # on 1M events cannot count evidence rows per request).
    source_count = models.PositiveIntegerField(default=0)
    # Title, quotes and actor names, for full-text and trigram search.
    search_text = models.TextField(blank=True, editable=False)
    # Fields an editor set by hand; re-extraction never overwrites them.
    locked_fields = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    extractor_version = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[actors])
    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["date_start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_end__isnull=True) | Q(date_end__gte=F("date_start")),
                name="event_end_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(precision="range") | Q(date_end__isnull=False),
                name="event_range_has_end",
            ),
            models.CheckConstraint(
                condition=~Q(precision="day") | Q(date_end__isnull=True),
                name="event_day_has_no_end",
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1),
                name="event_confidence_0_1",
            ),
        ]
        indexes = [
            # Keyset pagination of the public timeline: WHERE status = 'published'
            # ORDER BY date_start, id. With place_id, the histogram and map count the
            # events of a date range from the index alone (maps.day_and_place_counts);
            # with date_end, the events that began shortly before a day and run into it
            # are found from the index alone too (filters.began_into).
            models.Index(
                fields=["status", "date_start", "id"], include=["place", "date_end"],
                name="event_status_date_id",
            ),
            models.Index(
                fields=["event_type", "status", "date_start", "id"],
                include=["place", "date_end"], name="event_type_date_id",
            ),
            # The same, for the multi-day events alone: those running into a day from the
            # month before it (filters.began_into) are found among them, not among all
            # the events of that month.
            models.Index(
                fields=["status", "date_start", "id"], include=["place", "date_end"],
                condition=multi_day(), name="event_status_multiday",
            ),
            models.Index(
                fields=["event_type", "status", "date_start", "id"],
                include=["place", "date_end"], condition=multi_day(), name="event_type_multiday",
            ),
            models.Index(fields=["place", "date_start"], name="event_place_date"),
            models.Index(fields=["updated_at", "id"], name="event_updated"),
            models.Index(
                fields=["-confidence", "-source_count"],
                name="event_review_queue",
                condition=Q(status="draft"),
            ),
            GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="event_search_trgm"),
            GinIndex(SearchVector("search_text", config="english"), name="event_search_fts"),
            # Long events that began well before a date and run into it (the first part of
            # filters.began_into, see SHORT_SPAN_DAYS): found by containment.
            GistIndex(day_span(), condition=long_span(), name="event_span"),
            # The same for one type (btree_gist): with only `event_span`, Postgres ANDed it
            # with the type's whole history before the date from `event_type_date_id`
            # (51,000 index entries for ASSAULT in 2020: 18 ms, now 1 ms).
            GistIndex(
                F("event_type"), F("status"), day_span(),
                condition=long_span(), name="event_type_span",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date_start} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("timeline:event", args=[self.pk])

    @property
    def date_end_or_start(self):
        return self.date_end or self.date_start


class Evidence(models.Model):
    """One quote of one article that reports the event."""

    # No index of their own: evidence_once_per_place and evidence_article begin with them,
    # and each index is one more write for every row.
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="evidence", db_index=False
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="evidence", db_index=False
    )
    quote = models.TextField()
    char_start = models.PositiveIntegerField()
    char_end = models.PositiveIntegerField()
    date_text = models.CharField(max_length=200, blank=True, help_text="The date as written.")
    date_rule = models.CharField(max_length=200, blank=True, help_text="How it was resolved.")
    anchor_date = models.DateField(null=True, blank=True)
    speaker = models.CharField(max_length=200, blank=True)
    origin = models.CharField(
        max_length=10, choices=Event.Origin.choices, default=Event.Origin.EXTRACTED
    )
    # What the extractor read in the quote (agent, actors, cue, type, dates...): merging a
    # later article with this event compares mentions as the extractor made them.
    mention = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["article_id", "char_start"]
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(
                fields=["event", "article", "char_start"], name="evidence_once_per_place"
            ),
            models.CheckConstraint(
                condition=Q(char_end__gt=F("char_start")), name="evidence_span_not_empty"
            ),
        ]
        indexes = [models.Index(fields=["article", "char_start"], name="evidence_article")]

    def __str__(self) -> str:
        return self.quote[:80]


class JSONText(models.TextField):
    """A Postgres `json` column: the text as written (key order and all), checked on input."""

    def db_type(self, connection) -> str:
        return "json"


class EventJSON(models.Model):
    """An event's actors and evidence as the API writes them (timeline.api.reading), kept
    by triggers (migration 0010): every statement that changes an event's evidence or
    actors, or what they show of an actor, article or outlet, rebuilds them in the same
    transaction. The API's list reads them instead of joining 150 evidence rows with their
    articles per page. Events without a row have neither actors nor evidence."""

    event = models.OneToOneField(
        Event, primary_key=True, related_name="+",
        # Postgres deletes the row with its event (ON DELETE CASCADE, migration 0010).
        on_delete=models.DO_NOTHING, db_constraint=False,
    )
    actors = JSONText()
    evidence = JSONText()


class Claim(models.Model):
    """A figure or fact claimed about an event, and who claims it."""

    class Kind(models.TextChoices):
        FATALITIES = "fatalities", "Fatalities"
        INJURED = "injured", "Injured"
        AIRCRAFT_DESTROYED = "aircraft_destroyed", "Aircraft destroyed"
        DRONES = "drones", "Drones launched"
        MISSILES = "missiles", "Missiles launched"
        DAMAGE = "damage", "Damage"
        DATE = "date", "The date"
        OTHER = "other", "Other"

    event = models.ForeignKey(  # claim_once begins with it
        Event, on_delete=models.CASCADE, related_name="claims", db_index=False
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    value = models.CharField(max_length=200)
    claimant = models.CharField(max_length=200, blank=True)
    claimant_actor = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.SET_NULL)
    evidence = models.ForeignKey(Evidence, null=True, blank=True, on_delete=models.SET_NULL)
    origin = models.CharField(
        max_length=10, choices=Event.Origin.choices, default=Event.Origin.EXTRACTED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "kind", "value", "evidence"], name="claim_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class Tombstone(models.Model):
    """An event that was deleted or merged into another, for mirrors and old permalinks."""

    event_id = models.BigIntegerField(unique=True)
    merged_into = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=20, default="deleted")  # deleted | merged
    deleted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # "article_id:char_start" of the deleted event's evidence: re-extracting those
    # articles must not bring back an event an editor deleted.
    evidence_keys = ArrayField(models.CharField(max_length=40), default=list, blank=True)

    class Meta:
        ordering = ["deleted_at", "id"]
        indexes = [GinIndex(fields=["evidence_keys"], name="tombstone_evidence_keys")]

    def __str__(self) -> str:
        return f"event {self.event_id} {self.reason}"
