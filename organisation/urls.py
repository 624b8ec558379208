from django.urls import path

from organisation import views

urlpatterns = [
    path("roles/<slug:role>/", views.role_page, name="role_page"),
    path("people/", views.people_list, name="people_list"),
    path("session/keepalive/", views.session_keepalive, name="session_keepalive"),
]
