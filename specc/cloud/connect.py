"""Choose and open the connection to a cloud: profile, environment, or simulator.

The ways, in the order they are chosen (an embedded simulator is the CLI's business,
``specc.cli.common.open_client``: this layer never imports ``specc.sim``):

1. ``profile=NAME``: section ``[NAME]`` of ``~/.cloudstack.ini`` (the ``cs`` format:
   ``endpoint``, ``key``, ``secret``, optional ``verify``), else of CloudMonkey's
   ``~/.cmk/config`` (``url``, ``apikey``, ``secretkey``, optional ``verifycert``);
2. the variables ``CLOUDSTACK_ENDPOINT``, ``CLOUDSTACK_KEY``, ``CLOUDSTACK_SECRET``
   (and ``CLOUDSTACK_VERIFY``), as ``cs`` and Ansible read them.
"""

from __future__ import annotations

import configparser
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from specc.cloud.client import CloudClient, Credentials, RetryPolicy
from specc.errors import ConnectionFailed

ENV_VARS = ("CLOUDSTACK_ENDPOINT", "CLOUDSTACK_KEY", "CLOUDSTACK_SECRET")


def _verify(text: str | None) -> bool | str:
    """A ``verify`` setting: a boolean word, else a CA bundle path.

    >>> _verify("false"), _verify(None), _verify("/etc/ca.pem")
    (False, True, '/etc/ca.pem')
    """
    if text is None or text.strip() == "":
        return True
    word = text.strip().lower()
    if word in ("true", "yes", "1", "on"):
        return True
    if word in ("false", "no", "0", "off"):
        return False
    return text.strip()


def _read_ini(path: Path) -> configparser.ConfigParser | None:
    if not path.is_file():
        return None
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(path.read_text(encoding="utf-8"), source=str(path))
    except (configparser.Error, UnicodeDecodeError, OSError) as exc:
        first = str(exc).splitlines()[0]
        raise ConnectionFailed(f"cannot read {path}: {first}") from None
    return parser


def _need(section: Mapping[str, str], keys: tuple[str, ...], where: str) -> list[str]:
    missing = [k for k in keys if not (section.get(k) or "").strip()]
    if missing:
        raise ConnectionFailed(f"{where} has no {', '.join(missing)}")
    return [section[k].strip() for k in keys]


def profile_credentials(name: str, home: Path) -> Credentials:
    """The credentials of profile *name* from ``~/.cloudstack.ini`` or ``~/.cmk/config``.

    Raises:
        ConnectionFailed: no such profile, or it lacks endpoint, key or secret.
    """
    ini_path = home / ".cloudstack.ini"
    cmk_path = home / ".cmk" / "config"
    ini = _read_ini(ini_path)
    if ini is not None and ini.has_section(name):
        section = ini[name]
        endpoint, key, secret = _need(
            section, ("endpoint", "key", "secret"), f"profile [{name}] in {ini_path}"
        )
        return Credentials(endpoint, key, secret, _verify(section.get("verify")), name)
    cmk = _read_ini(cmk_path)
    if cmk is not None and cmk.has_section(name):
        section = cmk[name]
        endpoint, key, secret = _need(
            section, ("url", "apikey", "secretkey"), f"profile [{name}] in {cmk_path}"
        )
        return Credentials(endpoint, key, secret, _verify(section.get("verifycert")), name)
    known = sorted(
        {s for p in (ini, cmk) if p is not None for s in p.sections() if s.lower() != "core"}
    )
    raise ConnectionFailed(
        f"no profile [{name}] in {ini_path} or {cmk_path}",
        hint=("known profiles: " + ", ".join(known)) if known else "neither file has profiles",
    )


def env_credentials(env: Mapping[str, str]) -> Credentials | None:
    """Credentials from ``CLOUDSTACK_*`` variables; None when none is set.

    Raises:
        ConnectionFailed: some but not all of the three are set.
    """
    values = {k: (env.get(k) or "").strip() for k in ENV_VARS}
    if not any(values.values()):
        return None
    missing = [k for k, v in values.items() if not v]
    if missing:
        raise ConnectionFailed(f"{', '.join(missing)} not set (the other CLOUDSTACK_* are)")
    return Credentials(
        values["CLOUDSTACK_ENDPOINT"],
        values["CLOUDSTACK_KEY"],
        values["CLOUDSTACK_SECRET"],
        _verify(env.get("CLOUDSTACK_VERIFY")),
        "env",
    )


@contextmanager
def connect(
    profile: str | None = None,
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
    policy: RetryPolicy | None = None,
) -> Iterator[CloudClient]:
    """A client on the chosen cloud, for the duration of the block.

    *env* and *home* default to the process environment and the user's home (tests
    pass their own).

    Raises:
        ConnectionFailed: no way to connect was given, or the profile is unusable.
    """
    env = os.environ if env is None else env
    home = Path.home() if home is None else home
    if profile is not None:
        yield CloudClient(profile_credentials(profile, home), policy)
        return
    from_env = env_credentials(env)
    if from_env is None:
        raise ConnectionFailed(
            "no cloud to connect to",
            hint="give --profile NAME (~/.cloudstack.ini or ~/.cmk/config), set "
            "CLOUDSTACK_ENDPOINT, CLOUDSTACK_KEY and CLOUDSTACK_SECRET, or use --sim",
        )
    yield CloudClient(from_env, policy)
