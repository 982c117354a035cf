"""Reads: the querysets the page, the API and the pipeline share."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta

from django.db import models
from django.db.models import Prefetch


def is_editor(user) -> bool:
    """Editors see drafts and rejected events; everybody else sees what is published."""
    return bool(
        user
        and user.is_authenticated
        and (user.is_superuser or user.has_perm("timeline.change_event"))
    )


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published")

    def visible_to(self, user):
        return self if is_editor(user) else self.published()

    def for_timeline(self):
        """Everything a timeline row shows, in a constant number of queries."""
        from timeline.models import Evidence

        return (
            self.select_related("place")
            .prefetch_related(
                "actors",
                Prefetch(
                    "evidence",
                    queryset=Evidence.objects.select_related("article__outlet").order_by(
                        "article_id", "char_start"
                    ),
                ),
            )
            .order_by("date_start", "id")
        )

    def overlapping(self, date_from, date_to):
        """Events whose days overlap [date_from, date_to]."""
        return self.overlapping_any([(date_from, date_to)])

    def overlapping_any(self, spans):
        """Events whose days overlap any of the spans [date_from, date_to] (overlapping or
        touching spans are joined first, so the query has one condition per run of days)."""
        from django.db.models import Q
        from django.db.models.functions import Coalesce

        condition = Q(pk__in=[])
        for low, high in day_runs(spans):
            condition |= Q(date_start__lte=high) & Q(last_day__gte=low)
        return self.alias(last_day=Coalesce("date_end", "date_start")).filter(condition)


def union_all(
    selects: Iterable[tuple[str, Sequence]], each: str = "({sql})", each_params: Sequence = ()
) -> tuple[str, list]:
    """Compiled selects (`query.sql_with_params()`) as one UNION ALL and its parameters.

    Each select is written as `each` with its SQL for {sql} and its position for {number};
    `each_params` are the parameters `each` adds after the select's own (a LIMIT).
    """
    parts, params = [], []
    for number, (sql, select_params) in enumerate(selects):
        parts.append(each.format(sql=sql, number=number))
        params += [*select_params, *each_params]
    return " UNION ALL ".join(parts), params


def day_runs(spans):
    """The spans [first day, last day], overlapping or touching ones joined, in order."""
    runs: list[list] = []
    for low, high in sorted(spans):
        if runs and low <= runs[-1][1] + timedelta(days=1):
            runs[-1][1] = max(runs[-1][1], high)
        else:
            runs.append([low, high])
    return [(low, high) for low, high in runs]


class ArticleQuerySet(models.QuerySet):
    def failed(self):
        return self.filter(status="failed")
