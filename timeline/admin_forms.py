"""Admin forms: dates that make sense, quotes that are verbatim, evidence cited once."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from timeline.editing import QuoteNotFound, locate_quote
from timeline.models import Claim, Event, Evidence, Precision


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "title", "summary", "date_start", "date_end", "precision", "event_type", "mode",
            "actors", "place", "status", "verified", "needs_review",
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_start"), cleaned.get("date_end")
        precision = cleaned.get("precision")
        # The same rules as the model's check constraints, said in the editor's words.
        if precision == Precision.DAY and end:
            self.add_error(
                "date_end", "A single day has no end date: clear it or choose “Range of days”."
            )
        elif precision == Precision.RANGE and not end:
            self.add_error("date_end", "A range of days needs an end date.")
        elif start and end and end < start:
            self.add_error("date_end", "The end date is before the start date.")
        return cleaned


class EvidenceForm(forms.ModelForm):
    """Article and quote; the quote must be in the article word for word, and its offsets
    are found, not typed."""

    class Meta:
        model = Evidence
        fields = ["event", "article", "quote", "speaker", "date_text"]
        widgets = {"quote": forms.Textarea(attrs={"rows": 2, "cols": 60})}

    def clean(self):
        cleaned = super().clean()
        article, quote = cleaned.get("article"), cleaned.get("quote")
        if article is None or not quote:
            return cleaned
        if self.instance.pk and not {"event", "article", "quote"} & set(self.changed_data):
            # Stored rows keep the offsets extraction found; only what an editor types is
            # checked, so an unchanged row never blocks saving its event.
            return cleaned
        keep = self.instance.char_start if self.instance.pk else None
        try:
            start, end = locate_quote(article.text, quote, prefer_start=keep)
        except QuoteNotFound as error:
            self.add_error("quote", str(error))
            return cleaned
        self.instance.char_start, self.instance.char_end = start, end
        event = cleaned.get("event") or (self.instance.event if self.instance.event_id else None)
        if event is not None and event.pk is not None:
            taken = Evidence.objects.filter(event=event, article=article, char_start=start)
            if taken.exclude(pk=self.instance.pk).exists():
                self.add_error("quote", "The event already cites this place of the article.")
        return cleaned


class EvidenceInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        seen: set[tuple[int, int]] = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            article = form.cleaned_data.get("article")
            if article is None or form.instance.char_start is None:
                continue
            key = (article.pk, form.instance.char_start)
            if key in seen:
                raise ValidationError("Two evidence rows quote the same place of one article.")
            seen.add(key)


class ClaimForm(forms.ModelForm):
    class Meta:
        model = Claim
        fields = ["event", "kind", "value", "claimant", "claimant_actor", "evidence"]

    def clean(self):
        cleaned = super().clean()
        event, evidence = cleaned.get("event"), cleaned.get("evidence")
        if event is not None and evidence is not None and evidence.event_id != event.pk:
            self.add_error("evidence", "A claim can only rest on evidence of its own event.")
        return cleaned
