"""Bad settings stop a command with one clear line naming the field, and never echo a value:
a mistyped key may still be most of a secret."""

from __future__ import annotations

from click.testing import CliRunner

from keeper.cli import main


def test_web__short_keys__clear_error_without_the_values() -> None:
    secret, jwt = "anothersecretvalue456", "shortsecretvalue123"
    r = CliRunner().invoke(main, ["web"], env={"FLASHKEEPER_WEB_SECRET_KEY": secret,
                                               "FLASHKEEPER_WEB_JWT_KEY": jwt})
    assert r.exit_code == 1
    assert "FLASHKEEPER_WEB_SECRET_KEY must be at least 32 bytes" in r.output
    assert secret[:6] not in r.output and jwt[:6] not in r.output
    assert "Traceback" not in r.output


def test_web__malformed_port_and_mode__each_field_named() -> None:
    r = CliRunner().invoke(main, ["web"], env={"FLASHKEEPER_WEB_PORT": "abc",
                                               "FLASHKEEPER_WEB_ASYNC_MODE": "eventlet"})
    assert r.exit_code == 1
    assert "port:" in r.output and "async_mode:" in r.output and "eventlet" not in r.output


def test_keeper__out_of_range_setting__clear_error() -> None:
    r = CliRunner().invoke(main, ["keeper"], env={"FLASHKEEPER_MAX_HOPS": "9"})
    assert r.exit_code == 1 and "max_hops: Input should be less than or equal to 4" in r.output


def test_web_with_keeper__missing_manifest__clear_error_before_serving(tmp_path) -> None:
    missing = tmp_path / "nowhere.json"
    r = CliRunner().invoke(main, ["web", "--with-keeper"], env={
        "FLASHKEEPER_WEB_DEMO": "1", "FLASHKEEPER_MANIFEST": str(missing)})
    assert r.exit_code == 1
    assert "--with-keeper" in r.output and str(missing) in r.output


def test_keeper__config_file_missing_or_not_toml__clear_error(tmp_path) -> None:
    """A typo in FLASHKEEPER_CONFIG's path used to run on the defaults, silently; a TOML
    syntax error was a traceback."""
    bad = tmp_path / "bad.toml"
    bad.write_text("max_hops = [\n")
    for path, error in ((tmp_path / "nope.toml", "which is not a file"),
                        (bad, "is not valid TOML")):
        r = CliRunner().invoke(main, ["keeper"], env={"FLASHKEEPER_CONFIG": str(path)})
        assert r.exit_code == 1 and error in r.output, r.output
        assert isinstance(r.exception, SystemExit)  # click's exit, not a traceback


def test_keeper__list_setting_not_json__clear_error() -> None:
    r = CliRunner().invoke(main, ["keeper"], env={"FLASHKEEPER_BASE_TOKENS": "WETH"})
    assert r.exit_code == 1 and 'parsing value for field "base_tokens"' in r.output, r.output
    assert isinstance(r.exception, SystemExit)


def test_users__unusable_database_url__clear_error_without_the_url() -> None:
    for url, error in (("nonsense", "not one SQLAlchemy can parse"),
                       # host left out: the password is read as the port
                       ("postgresql://flashkeeper:hunter2", "not one SQLAlchemy can parse"),
                       ("postgresql+nodriver://u:hunter2@db/x", "'postgresql+nodriver'"),
                       # a dialect SQLAlchemy has, whose driver is not installed
                       ("mysql://u:hunter2@db/x", "'mysql'")):
        r = CliRunner().invoke(main, ["users", "list"], env={"FLASHKEEPER_DATABASE_URL": url})
        assert r.exit_code == 1 and error in r.output, r.output
        assert "hunter2" not in r.output
        assert isinstance(r.exception, SystemExit)


def test_web_settings__public_url_unset__follows_the_port_and_host() -> None:
    """`flashkeeper web --port 9000` alone used to build its OAuth redirect URIs on :8000."""
    from web.config import WebSettings

    demo = {"demo": True}
    assert WebSettings(**demo).public_url == "http://127.0.0.1:8000"
    assert WebSettings(**demo, port=9000).public_url == "http://127.0.0.1:9000"
    assert WebSettings(**demo, host="0.0.0.0", port=9001).public_url == "http://127.0.0.1:9001"
    set_explicitly = WebSettings(**demo, port=9000, public_url="https://dash.example.test/")
    assert set_explicitly.public_url == "https://dash.example.test"


def test_web__fd_not_a_listening_socket__clear_error(tmp_path) -> None:
    """`--fd` takes a listening TCP socket a parent bound for it; anything else is one line
    before gunicorn starts (gunicorn itself would fail in its arbiter, with a traceback)."""
    import os
    import socket

    file_fd = os.open(tmp_path / "g", os.O_CREAT | os.O_WRONLY)
    bound = socket.socket()
    bound.bind(("127.0.0.1", 0))
    udp = socket.socket(type=socket.SOCK_DGRAM)
    # opened last, so that its number is not given again to any of the above
    closed = os.open(tmp_path / "f", os.O_CREAT | os.O_WRONLY)
    os.close(closed)
    try:
        for fd, error in ((closed, "(Bad file descriptor)"), (file_fd, "is not an open socket"),
                          (bound.fileno(), "is not listening"), (udp.fileno(), "not a TCP")):
            r = CliRunner().invoke(main, ["web", "--fd", str(fd)])
            assert r.exit_code == 2 and error in r.output, (fd, r.output)
        bound.listen(1)
        r = CliRunner().invoke(main, ["web", "--fd", str(bound.fileno()), "--port", "9000"])
        assert r.exit_code == 2 and "not with --dev, --host or --port" in r.output, r.output
    finally:
        os.close(file_fd)
        bound.close()
        udp.close()
