"""A stand-in OAuth2 / OpenID Connect provider for the offline demo and the tests.

It implements the real authorization-code flow with Authlib's server side (PKCE S256 required,
exact redirect-URI match, OIDC id_token signed RS256 with a published JWKS) and also answers the
GitHub-shaped user endpoints (`/standin/github/user`, `/user/emails`), so the project's GitHub
and Google client code paths can be exercised end to end without the internet. It is mounted
only with FLASHKEEPER_WEB_OAUTH_STANDIN=1, which the settings accept only in demo/test mode."""

from web.oauth_standin.views import CLIENT_ID, init_standin

__all__ = ["CLIENT_ID", "init_standin"]
