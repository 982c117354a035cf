from django.urls import path

from timeline import views

app_name = "timeline"
urlpatterns = [
    path("", views.timeline_page, name="index"),
    path("events/<int:pk>/", views.event_page, name="event"),
]
