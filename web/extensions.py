"""Extensions, created once and bound to the app in `create_app` with `init_app`."""

from __future__ import annotations

from flask_cors import CORS
from flask_jwt_extended import JWTManager
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_socketio import SocketIO

from web.store.db import Database

db = Database()
jwt = JWTManager()
cors = CORS()
limiter = Limiter(key_func=get_remote_address, headers_enabled=True)
socketio = SocketIO()
