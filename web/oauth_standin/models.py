"""In-memory clients, codes and tokens of the stand-in provider (it forgets all on restart)."""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field

from authlib.oauth2.rfc6749 import AuthorizationCodeMixin, ClientMixin
from authlib.oauth2.rfc6749.util import list_to_scope, scope_to_list

CODE_TTL_S = 120
TOKEN_TTL_S = 3600


@dataclass(frozen=True)
class StandinUser:
    login: str
    email: str
    name: str

    @property
    def sub(self) -> str:
        return f"standin|{self.login}"

    @property
    def numeric_id(self) -> int:  # GitHub-shaped ids are integers
        return int.from_bytes(self.login.encode()[:6].ljust(6, b"\0"), "big")


@dataclass
class StandinClient(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uris: list[str]
    scope: str = "openid profile email read:user user:email"

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        allowed = set(scope_to_list(self.scope))
        return list_to_scope([s for s in scope_to_list(scope or "") if s in allowed])

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris  # exact match, as the real providers do

    def check_client_secret(self, client_secret: str) -> bool:
        return hmac.compare_digest(client_secret.encode(), self.client_secret.encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class Code(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: StandinUser
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> str | None:
        return None

    def get_amr(self) -> list[str] | None:
        return None

    def expired(self) -> bool:
        return time.time() > self.auth_time + CODE_TTL_S


@dataclass
class Grant:
    user: StandinUser
    scope: str
    expires: float


class Memory:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.clients: dict[str, StandinClient] = {}
        self.codes: dict[str, Code] = {}
        self.tokens: dict[str, Grant] = {}
        self.form_tokens: dict[str, float] = {}

    def new_form_token(self) -> str:
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.form_tokens[token] = time.time() + 600
        return token

    def spend_form_token(self, token: str) -> bool:
        with self.lock:
            expires = self.form_tokens.pop(token, 0.0)
        return expires > time.time()

    def bearer(self, token: str) -> Grant | None:
        with self.lock:
            grant = self.tokens.get(token)
        return grant if grant is not None and grant.expires > time.time() else None
