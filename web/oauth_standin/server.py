"""Authlib's authorization server with the code grant, PKCE and OpenID Connect."""

from __future__ import annotations

import time
from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import InvalidRequestError, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import RSAKey

from web.oauth_standin.models import Code, Grant, Memory, StandinUser

ID_TOKEN_TTL_S = 600


class CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]
    memory: Memory  # set on the subclass made per server

    def save_authorization_code(self, code: str, request: Any) -> None:
        data = request.payload.data
        with self.memory.lock:
            self.memory.codes[code] = Code(
                code=code, client_id=request.client.client_id,
                redirect_uri=request.payload.redirect_uri, scope=request.payload.scope or "",
                user=request.user, nonce=data.get("nonce"),
                code_challenge=data.get("code_challenge"),
                code_challenge_method=data.get("code_challenge_method"))

    def query_authorization_code(self, code: str, client: Any) -> Code | None:
        with self.memory.lock:
            item = self.memory.codes.get(code)
        if item and item.client_id == client.client_id and not item.expired():
            return item
        return None

    def delete_authorization_code(self, authorization_code: Code) -> None:
        with self.memory.lock:  # single use
            self.memory.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code: Code) -> StandinUser:
        return authorization_code.user


class RequiredS256(CodeChallenge):
    """PKCE for every client, confidential ones included (OAuth 2.1), and only S256."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge") or data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("PKCE with code_challenge_method=S256 is required")
        super().validate_code_challenge(grant, redirect_uri)


class StandinOpenID(OpenIDCode):
    def __init__(self, key: RSAKey, issuer: str) -> None:
        super().__init__(require_nonce=True)
        self.key = key
        self.issuer = issuer

    def resolve_client_private_key(self, client: Any) -> RSAKey:
        return self.key

    def get_client_algorithm(self, client: Any) -> str:
        return "RS256"

    def get_encode_header(self, client: Any) -> dict[str, str]:
        return {"alg": "RS256", "kid": self.key.kid or ""}

    def get_client_claims(self, client: Any) -> dict[str, Any]:
        return {"iss": self.issuer, "aud": [client.client_id],
                "exp": int(time.time()) + ID_TOKEN_TTL_S}

    def exists_nonce(self, nonce: str, request: Any) -> bool:
        return False  # codes are single-use; a replayed code fails before the nonce matters

    def generate_user_info(self, user: StandinUser, scope: str) -> UserInfo:
        info = UserInfo(sub=user.sub, preferred_username=user.login, name=user.name)
        if "email" in scope:
            info["email"] = user.email
            info["email_verified"] = True
        return info


def make_server(memory: Memory, key: RSAKey, issuer: str) -> AuthorizationServer:
    def query_client(client_id: str) -> Any:
        return memory.clients.get(client_id)

    def save_token(token: dict[str, Any], request: Any) -> None:
        with memory.lock:
            memory.tokens[token["access_token"]] = Grant(
                user=request.user, scope=token.get("scope", ""),
                expires=time.time() + int(token.get("expires_in", 3600)))

    server = AuthorizationServer(query_client=query_client, save_token=save_token)
    grant = type("StandinCodeGrant", (CodeGrant,), {"memory": memory})
    server.register_grant(grant, [RequiredS256(required=True), StandinOpenID(key, issuer)])
    return server
