"""`flashkeeper` command line. Each area owns its sub-commands; they load lazily so that
`flashkeeper web` never imports torch and `flashkeeper market` never imports Flask."""

from __future__ import annotations

import importlib

import click
from pydantic import ValidationError
from pydantic_settings import SettingsError

from keeper.errors import FlashkeeperError

# command name -> "module:attribute" of a click command
COMMANDS: dict[str, str] = {
    "demo": "keeper.demo:demo",
    "world": "keeper.world.cli:world",
    "market": "keeper.market.cli:market",
    "keeper": "keeper.daemon_cli:keeper",
    "web": "web.cli:web",
    "users": "web.cli:users",
}


def settings_error(e: ValidationError) -> str:
    """A settings error for people: each field and what is wrong, never the input values
    (a bad key must not be printed: it may be a secret)."""
    lines = [f"{'.'.join(str(x) for x in err['loc']) or 'settings'}: {err['msg']}"
             for err in e.errors(include_url=False, include_input=False,
                                 include_context=False)]
    return f"invalid {e.title}: " + "; ".join(lines)


class LazyGroup(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ValidationError as e:  # settings from the environment, a TOML file or flags
            raise click.ClickException(settings_error(e)) from None
        except SettingsError as e:  # a complex field (a list) whose value is not JSON
            raise click.ClickException(f"invalid settings: {e}") from None
        except FlashkeeperError as e:  # raised on purpose with its reason (a config file, a
            # database URL): one line, where a command did not turn it into its own error
            raise click.ClickException(str(e)) from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attr = target.split(":")
        try:
            return getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError) as e:
            reason = str(e)

            @click.command(cmd_name, help=f"(unavailable: {reason})")
            def unavailable() -> None:
                raise click.ClickException(f"`{cmd_name}` is not available: {reason}")

            return unavailable


@click.group(cls=LazyGroup)
def main() -> None:
    """Flashkeeper: DEX arbitrage keeper, market simulator and dashboard."""


if __name__ == "__main__":
    main()
