from django.urls import path

from timeline import views
from timeline.feeds import FilteredEventsFeed

app_name = "timeline"
urlpatterns = [
    path("", views.timeline_page, name="index"),
    path("feed/", FilteredEventsFeed(), name="feed"),
    path("events/<int:pk>/", views.event_page, name="event"),
    path("events/<int:pk>/sources/", views.event_sources, name="event-sources"),
]
