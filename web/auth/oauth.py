"""OAuth2 / OIDC clients (Authlib): GitHub (OAuth2 + PKCE), Google (OIDC + PKCE) and the
stand-in (OIDC + PKCE). Authlib keeps `state`, the PKCE verifier and the OIDC nonce in the
signed session cookie and checks them on the callback; redirect URIs come from settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app

from web.config import WebSettings


@dataclass(frozen=True)
class Profile:
    provider: str
    subject: str
    login: str
    email: str | None  # verified emails only
    name: str | None


def init_oauth(app: Flask, settings: WebSettings, standin_secret: str | None) -> OAuth:
    oauth = OAuth(app)
    pkce = {"code_challenge_method": "S256"}
    if settings.github_client_id:
        oauth.register(
            "github", client_id=settings.github_client_id,
            client_secret=_secret(settings.github_client_secret),
            authorize_url=f"{settings.github_oauth_base}/authorize",
            access_token_url=f"{settings.github_oauth_base}/access_token",
            api_base_url=settings.github_api_base,
            client_kwargs={"scope": "read:user user:email", **pkce})
    if settings.google_client_id:
        oauth.register(
            "google", client_id=settings.google_client_id,
            client_secret=_secret(settings.google_client_secret),
            server_metadata_url=settings.google_metadata_url,
            client_kwargs={"scope": "openid email profile", **pkce})
    if settings.oauth_standin and standin_secret:
        from web.oauth_standin import CLIENT_ID

        oauth.register(
            "standin", client_id=CLIENT_ID, client_secret=standin_secret,
            server_metadata_url=f"{settings.public_url}/standin/.well-known/openid-configuration",
            client_kwargs={"scope": "openid email profile", **pkce})
    app.extensions["flashkeeper_oauth"] = oauth
    return oauth


def _secret(value: Any) -> str | None:
    return value.get_secret_value() if value is not None else None


def client(provider: str) -> Any | None:
    settings: WebSettings = current_app.config["FLASHKEEPER"]
    if provider not in settings.providers:
        return None
    return current_app.extensions["flashkeeper_oauth"].create_client(provider)


def profile(provider: str, oauth_client: Any, token: dict[str, Any]) -> Profile:
    """The user's stable identity at the provider. OIDC providers: the verified id_token's
    claims; GitHub: its REST API (the primary verified email from /user/emails)."""
    if provider == "github":
        user = oauth_client.get("user", token=token).json()
        email = None
        emails = oauth_client.get("user/emails", token=token).json()
        if isinstance(emails, list):
            email = next((e["email"] for e in emails
                          if e.get("primary") and e.get("verified")), None)
        return Profile("github", str(user["id"]), str(user["login"]), email, user.get("name"))
    claims = token.get("userinfo") or oauth_client.userinfo(token=token)
    email = claims.get("email") if claims.get("email_verified") else None
    login = claims.get("preferred_username") or email or claims["sub"]
    return Profile(provider, str(claims["sub"]), str(login), email, claims.get("name"))
