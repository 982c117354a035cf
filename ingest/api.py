"""POST /api/v1/articles/: editors send an article's text, or a URL to fetch."""
from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from ingest.jobs import add_text, add_url, enqueue_job, start_job
from ingest.models import IngestJob
from timeline.api.reference import ArticleViewSet
from timeline.api.serializers import ArticleSerializer
from timeline.models import Article
from timeline.querysets import is_editor


class ArticleSubmitSerializer(serializers.Serializer):
    url = serializers.URLField(required=False, max_length=2000)
    text = serializers.CharField(required=False, trim_whitespace=False, max_length=5_000_000)
    title = serializers.CharField(required=False, allow_blank=True, max_length=500)
    published_on = serializers.DateField(
        required=False, allow_null=True, help_text="When known; otherwise the extractor finds it."
    )

    def validate(self, data: dict) -> dict:
        if bool(data.get("url")) == bool((data.get("text") or "").strip()):
            raise serializers.ValidationError("Send either `url` or `text`, not both.")
        return data


class IngestArticleSerializer(ArticleSerializer):
    """The read serializer plus why an article failed (editors see failed articles)."""

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "error"]


class CanSubmitArticles(permissions.BasePermission):
    """Reading as the read-only view allows; sending articles takes an editor."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        user = request.user
        return bool(user and user.is_authenticated) and (
            is_editor(user) or user.has_perm("timeline.add_article")
        )


@extend_schema_view(
    create=extend_schema(
        summary="Send an article (its text, or a URL to fetch) to be ingested",
        request=ArticleSubmitSerializer,
        responses={201: IngestArticleSerializer, 200: IngestArticleSerializer},
    )
)
class IngestArticleViewSet(mixins.CreateModelMixin, ArticleViewSet):
    """The read-only article API, plus POST for editors."""

    serializer_class = IngestArticleSerializer
    permission_classes = [CanSubmitArticles]

    def get_serializer_class(self):
        return ArticleSubmitSerializer if self.action == "create" else IngestArticleSerializer

    def create(self, request, *args, **kwargs) -> Response:
        submitted = ArticleSubmitSerializer(data=request.data)
        submitted.is_valid(raise_exception=True)
        data = submitted.validated_data
        with transaction.atomic():
            job = start_job(IngestJob.Origin.API, label=data.get("url") or data.get("title", ""), user=request.user)
            if data.get("url"):
                item = add_url(
                    job, data["url"], source=Article.Source.API, title=data.get("title", ""),
                    published=data.get("published_on"),
                )
            else:
                item = add_text(
                    job, data["text"], title=data.get("title", ""), source=Article.Source.API,
                    source_name=f"API: {request.user}", published=data.get("published_on"),
                    published_basis=Article.Basis.USER,
                )
            enqueue_job(job)
        article = self.get_queryset().get(pk=item.article_id)
        body = IngestArticleSerializer(article, context=self.get_serializer_context()).data
        # 200 for an article stored before (same URL or text): nothing new was created.
        code = status.HTTP_200_OK if item.duplicate else status.HTTP_201_CREATED
        headers = {"Location": request.build_absolute_uri(f"{request.path}{article.pk}/")}
        return Response(body, status=code, headers=headers)


router = SimpleRouter()
router.register("articles", IngestArticleViewSet, basename="article")
