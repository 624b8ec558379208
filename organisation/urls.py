from django.urls import path

from organisation import views

urlpatterns = [
    path("", views.home, name="home"),
    path("roles/<slug:role>/", views.role_page, name="role_page"),
    path("people/", views.people_list, name="people_list"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("session/keepalive/", views.session_keepalive, name="session_keepalive"),
]
