"""`make run` serves the site on PORT; e-mails link to where it is served unless SITE_URL says otherwise."""

from devserver.__main__ import run_environment


def test_site_url_follows_the_port_when_unset():
    env, port = run_environment({"PORT": "8123"})
    assert port == "8123"
    assert env["SITE_URL"] == "http://127.0.0.1:8123"


def test_the_default_port_gives_the_default_address():
    env, port = run_environment({})
    assert (port, env["SITE_URL"], env["DEBUG"]) == ("8000", "http://127.0.0.1:8000", "1")


def test_a_site_url_set_is_kept():
    env, _ = run_environment({"PORT": "8123", "SITE_URL": "https://qa.example.org"})
    assert env["SITE_URL"] == "https://qa.example.org"


def test_it_does_not_change_the_environment_given():
    environ = {"PORT": "8123"}
    run_environment(environ)
    assert environ == {"PORT": "8123"}
