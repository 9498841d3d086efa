"""Routes of the stand-in provider under /standin."""

from __future__ import annotations

import re
import secrets

from authlib.oauth2 import OAuth2Error
from flask import Blueprint, Flask, jsonify, request
from joserfc.jwk import RSAKey
from markupsafe import escape

from web.config import WebSettings
from web.oauth_standin.models import Memory, StandinClient, StandinUser
from web.oauth_standin.server import make_server

CLIENT_ID = "flashkeeper-dashboard"
LOGIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,38}$")
EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[A-Za-z0-9.-]{1,190}$")

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Stand-in sign-in</title></head><body>
<h1>Flashkeeper stand-in identity provider</h1>
<p>Demo/test only: this page stands in for GitHub or Google. Enter who you are.</p>
<p>{error}</p>
<form method="post" action="{action}">
<input type="hidden" name="form_token" value="{form_token}">
<label>Login <input name="login" id="login" required value="{login}"></label><br>
<label>Email <input name="email" id="email" type="email" required value="{email}"></label><br>
<label>Name <input name="name" id="name" value="{name}"></label><br>
<button type="submit" id="sign-in">Sign in</button>
</form></body></html>"""


def init_standin(app: Flask, settings: WebSettings) -> str:
    """Mount the provider; returns the client secret the dashboard's OAuth client uses."""
    memory = Memory()
    secret = secrets.token_urlsafe(32)
    memory.clients[CLIENT_ID] = StandinClient(CLIENT_ID, secret,
                                              [settings.redirect_uri("standin")])
    key = RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(8)}, private=True)
    issuer = f"{settings.public_url}/standin"
    # the GitHub / Google clients, when their endpoints are pointed at the stand-in (tests)
    for provider, endpoint in (("github", settings.github_oauth_base),
                               ("google", settings.google_metadata_url)):
        client_id = getattr(settings, f"{provider}_client_id")
        client_secret = getattr(settings, f"{provider}_client_secret")
        if client_id and client_secret and endpoint.startswith(issuer):
            memory.clients[client_id] = StandinClient(
                client_id, client_secret.get_secret_value(), [settings.redirect_uri(provider)])
    server = make_server(memory, key, issuer)
    server.init_app(app)
    app.register_blueprint(_blueprint(memory, server, key, issuer))
    return secret


def _blueprint(memory: Memory, server, key: RSAKey, issuer: str) -> Blueprint:  # type: ignore[no-untyped-def]
    bp = Blueprint("standin", __name__, url_prefix="/standin")

    @bp.get("/.well-known/openid-configuration")
    def metadata():  # type: ignore[no-untyped-def]
        return jsonify(
            issuer=issuer, authorization_endpoint=f"{issuer}/authorize",
            token_endpoint=f"{issuer}/token", userinfo_endpoint=f"{issuer}/userinfo",
            jwks_uri=f"{issuer}/jwks", response_types_supported=["code"],
            grant_types_supported=["authorization_code"], subject_types_supported=["public"],
            id_token_signing_alg_values_supported=["RS256"],
            code_challenge_methods_supported=["S256"],
            scopes_supported=["openid", "profile", "email", "read:user", "user:email"],
            token_endpoint_auth_methods_supported=["client_secret_basic",
                                                   "client_secret_post"])

    @bp.get("/jwks")
    def jwks():  # type: ignore[no-untyped-def]
        return jsonify(keys=[key.as_dict(private=False)])

    @bp.route("/authorize", methods=["GET", "POST"])
    def authorize():  # type: ignore[no-untyped-def]
        try:
            server.get_consent_grant(end_user=None)  # client, redirect URI, PKCE, scope
        except OAuth2Error as e:
            return jsonify(error=e.error, message=e.description or e.error), 400
        values = {"login": "", "email": "", "name": "", "error": ""}
        if request.method == "POST":
            form = request.form
            values.update(login=form.get("login", ""), email=form.get("email", ""),
                          name=form.get("name", ""))
            if not memory.spend_form_token(form.get("form_token", "")):
                values["error"] = "The form expired; try again."
            elif not LOGIN.match(values["login"]) or not EMAIL.match(values["email"]):
                values["error"] = "Enter a login (letters, digits, . _ -) and an email."
            else:
                user = StandinUser(values["login"], values["email"],
                                   values["name"] or values["login"])
                return server.create_authorization_response(grant_user=user)
        html = PAGE.format(action=escape(request.full_path), form_token=memory.new_form_token(),
                           **{k: escape(v) for k, v in values.items()})
        return html, 200, {"Content-Type": "text/html; charset=utf-8"}

    @bp.post("/token")
    @bp.post("/access_token")  # GitHub's name for it
    def token():  # type: ignore[no-untyped-def]
        return server.create_token_response()

    def bearer():  # type: ignore[no-untyped-def]
        header = request.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() not in ("bearer", "token") or not value:
            return None
        return memory.bearer(value.strip())

    @bp.get("/userinfo")
    def userinfo():  # type: ignore[no-untyped-def]
        grant = bearer()
        if grant is None:
            return jsonify(error="invalid_token"), 401
        u = grant.user
        return jsonify(sub=u.sub, preferred_username=u.login, name=u.name, email=u.email,
                       email_verified=True)

    # GitHub-shaped API (https://docs.github.com/en/rest/users): the GitHub client path
    @bp.get("/github/user")
    def github_user():  # type: ignore[no-untyped-def]
        grant = bearer()
        if grant is None:
            return jsonify(message="Bad credentials"), 401
        u = grant.user
        return jsonify(id=u.numeric_id, login=u.login, name=u.name, email=None)

    @bp.get("/github/user/emails")
    def github_emails():  # type: ignore[no-untyped-def]
        grant = bearer()
        if grant is None:
            return jsonify(message="Bad credentials"), 401
        return jsonify([{"email": grant.user.email, "primary": True, "verified": True,
                         "visibility": "private"}])

    return bp
