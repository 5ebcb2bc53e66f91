"""Building blocks of the generated bash: quoting, helpers, OS-family branches.

Every script starts with the same header (``set -euo pipefail``, the ``SPECC_ROOT``
prefix for every path it writes, a change counter) and then only the helper
functions it uses, so each script reads on its own and passes shellcheck.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from specc.core.steps import SecretParam
from specc.spec.types import EnvSecret, FileSecret

FAMILIES: tuple[str, ...] = ("el7", "el8", "el9", "debian", "ubuntu")


def q(value: object) -> str:
    """Quote *value* for bash.

    >>> q("a b")
    "'a b'"
    >>> q("plain")
    'plain'
    """
    return shlex.quote(str(value))


def sq(value: object) -> str:
    """Always single-quote *value* for bash (for assignments that look like commands).

    >>> print(sq("admin"), sq("it's"))
    'admin' 'it'"'"'s'
    """
    return "'" + str(value).replace("'", "'\"'\"'") + "'"


def secret_param(
    secret: EnvSecret | FileSecret, encoding: Literal["none", "url"] = "none"
) -> SecretParam:
    """The plan's reference form of a spec secret (never its value).

    >>> secret_param(EnvSecret(env="CEPH_KEY"), "url")
    SecretParam(source='env', name='CEPH_KEY', encoding='url')
    """
    if isinstance(secret, EnvSecret):
        return SecretParam("env", secret.env, encoding)
    return SecretParam("file", secret.file, encoding)


def read_secret(var: str, secret: EnvSecret | FileSecret) -> str:
    """Bash lines that load a secret into shell variable *var* without echoing it.

    >>> print(read_secret("PW", EnvSecret(env="SF_PW")))
    PW=${SF_PW:?set SF_PW (the secret is read at run time, never stored in this script)}
    """
    if isinstance(secret, EnvSecret):
        name = secret.env
        return (
            f"{var}=${{{name}:?set {name} (the secret is read at run time, "
            "never stored in this script)}"
        )
    path = q(secret.file)
    return (
        f'[ -r {path} ] || die "secret file {secret.file} is not readable"\n'
        f"{var}=$(tr -d '\\n' < {path})"
    )


# Helper functions, by name; a script includes those it uses (and their needs).
_HELPERS: dict[str, tuple[tuple[str, ...], str]] = {
    "log": ((), "log() { printf '[specc] %s\\n' \"$*\"; }"),
    "die": (("log",), 'die() { log "ERROR: $*" >&2; exit 1; }'),
    "did": (
        ("log",),
        'did() {\n  CHANGED=$((CHANGED + 1))\n  log "changed: $*"\n}',
    ),
    "write_file": (
        ("did",),
        "# write_file PATH MODE < content: replace PATH (under $ROOT) only if it differs.\n"
        "write_file() {\n"
        '  local dest="$ROOT$1" mode="$2" tmp\n'
        "  tmp=$(mktemp)\n"
        '  cat > "$tmp"\n'
        '  if [ -f "$dest" ] && cmp -s "$tmp" "$dest"; then\n'
        '    rm -f "$tmp"\n'
        "    return 0\n"
        "  fi\n"
        '  mkdir -p "$(dirname "$dest")"\n'
        '  install -m "$mode" "$tmp" "$dest"\n'
        '  rm -f "$tmp"\n'
        '  did "wrote $1"\n'
        "}",
    ),
    "ini_set": (
        ("did",),
        "# ini_set PATH SECTION KEY VALUE: set one key in an INI file (ceph.conf),\n"
        "# keeping every other line; 'rbd cache' and 'rbd_cache' are the same key.\n"
        "ini_set() {\n"
        '  local dest="$ROOT$1" tmp\n'
        '  mkdir -p "$(dirname "$dest")"\n'
        '  [ -f "$dest" ] || : > "$dest"\n'
        "  tmp=$(mktemp)\n"
        '  awk -v sec="$2" -v key="$3" -v val="$4" \'\n'
        '    function norm(s) { gsub(/[ \\t_]+/, " ", s); sub(/^ /, "", s); sub(/ $/, "", s);'
        " return tolower(s) }\n"
        "    BEGIN { want = norm(key); insec = 0; done = 0; seen = 0 }\n"
        "    /^[ \\t]*\\[/ {\n"
        '      if (insec && !done) { print key " = " val; done = 1 }\n'
        '      name = $0; gsub(/^[ \\t]*\\[|\\][ \\t]*$/, "", name)\n'
        "      insec = (name == sec); if (insec) seen = 1\n"
        "      print; next\n"
        "    }\n"
        '    insec && !done && index($0, "=") > 0 {\n'
        '      k = substr($0, 1, index($0, "=") - 1)\n'
        '      if (norm(k) == want) { print key " = " val; done = 1; next }\n'
        "    }\n"
        "    { print }\n"
        "    END {\n"
        '      if (insec && !done) { print key " = " val; done = 1 }\n'
        '      if (!seen) { print ""; print "[" sec "]"; print key " = " val }\n'
        '    }\' "$dest" > "$tmp"\n'
        '  if cmp -s "$tmp" "$dest"; then\n'
        '    rm -f "$tmp"\n'
        "  else\n"
        '    cat "$tmp" > "$dest"\n'
        '    rm -f "$tmp"\n'
        '    did "set [$2] $3 = $4 in $1"\n'
        "  fi\n"
        "}",
    ),
    "line_in_file": (
        ("did",),
        "# line_in_file PATH LINE: append LINE to PATH (under $ROOT) unless present.\n"
        "line_in_file() {\n"
        '  local dest="$ROOT$1"\n'
        '  mkdir -p "$(dirname "$dest")"\n'
        '  [ -f "$dest" ] || : > "$dest"\n'
        '  grep -qxF -- "$2" "$dest" && return 0\n'
        '  printf \'%s\\n\' "$2" >> "$dest"\n'
        '  did "added to $1: $2"\n'
        "}",
    ),
    "version_ge": (
        (),
        "# version_ge A B: true when version A >= version B.\n"
        "version_ge() {\n"
        '  [ "$(printf \'%s\\n%s\\n\' "$2" "$1" | sort -V | head -n 1)" = "$2" ]\n'
        "}",
    ),
}

_PKG_FUNCS: dict[str, str] = {
    "el7": (
        'pkg_installed() { rpm -q "$1" >/dev/null 2>&1; }\n'
        'pkg_install() { yum install -y "$@" < /dev/null; }\n'
        "pkg_version() { rpm -q --qf '%{VERSION}' \"$1\"; }"
    ),
    "el8": (
        'pkg_installed() { rpm -q "$1" >/dev/null 2>&1; }\n'
        'pkg_install() { dnf install -y "$@" < /dev/null; }\n'
        "pkg_version() { rpm -q --qf '%{VERSION}' \"$1\"; }"
    ),
    "debian": (
        "pkg_installed() {\n"
        "  dpkg-query -W -f='${Status}' \"$1\" 2>/dev/null |\n"
        "    grep 'install ok installed' >/dev/null\n"
        "}\n"
        'pkg_install() { DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" < /dev/null; }\n'
        "pkg_version() { dpkg-query -W -f='${Version}' \"$1\" | sed -e 's/^[0-9]*://' "
        "-e 's/-.*//'; }"
    ),
}

_ENSURE_PKGS = (
    "# ensure_pkgs PKG...: install the packages that are missing.\n"
    "ensure_pkgs() {\n"
    "  local p missing=()\n"
    '  for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done\n'
    "  if [ ${#missing[@]} -gt 0 ]; then\n"
    '    pkg_install "${missing[@]}"\n'
    '    did "installed ${missing[*]}"\n'
    "  fi\n"
    "}"
)

_DETECT = (
    "# The spec names no OS family for this host: detect it from /etc/os-release.\n"
    "detect_os_family() {\n"
    "  local rel id like ver\n"
    '  rel="$ROOT/etc/os-release"\n'
    "  id=$(sed -n 's/^ID=//p' \"$rel\" | tr -d '\"')\n"
    "  like=$(sed -n 's/^ID_LIKE=//p' \"$rel\" | tr -d '\"')\n"
    "  ver=$(sed -n 's/^VERSION_ID=//p' \"$rel\" | tr -d '\"' | cut -d. -f1)\n"
    '  case "$id $like" in\n'
    "    ubuntu*) echo ubuntu ;;\n"
    "    debian*) echo debian ;;\n"
    '    *rhel*|*centos*|*fedora*) echo "el${ver}" ;;\n'
    '    *) die "unsupported OS: $id" ;;\n'
    "  esac\n"
    "}"
)


def family_group(os: str) -> str:
    """The package-manager group of an OS family: el7, el8 (el8/el9) or debian."""
    if os in ("el8", "el9"):
        return "el8"
    if os in ("debian", "ubuntu"):
        return "debian"
    return os


def by_family(os: str | None, branches: Mapping[tuple[str, ...], str], indent: str = "") -> str:
    """Bash for the branch of *os*; a ``case`` over all branches when *os* is unknown.

    >>> rpm, deb = ("el7", "el8", "el9"), ("debian", "ubuntu")
    >>> print(by_family("el8", {rpm: "echo rpm", deb: "echo deb"}))
    echo rpm
    """
    if os is not None:
        for fams, text in branches.items():
            if os in fams:
                return "\n".join(indent + ln if ln else ln for ln in text.splitlines())
        return ""
    out = [f'{indent}case "$OS_FAMILY" in']
    for fams, text in branches.items():
        out.append(f"{indent}  {'|'.join(fams)})")
        # Bodies are not indented: they may hold here-documents.
        out.extend(text.splitlines())
        out.append(f"{indent}    ;;")
    out.append(f'{indent}  *) die "unsupported OS family: $OS_FAMILY" ;;')
    out.append(f"{indent}esac")
    return "\n".join(out)


@dataclass
class ScriptBuilder:
    """Accumulates a script's sections and the helpers they need."""

    script_id: str
    host: str
    address: str
    role: str
    os: str | None
    summary: str
    helpers: set[str] = field(default_factory=set)
    packages: bool = False
    needs_family: bool = False
    sections: list[tuple[str, str]] = field(default_factory=list)

    def need(self, *names: str) -> None:
        """Include the named helper functions (and what they depend on)."""
        for name in names:
            if name in self.helpers:
                continue
            self.helpers.add(name)
            self.need(*_HELPERS[name][0])

    def section(self, title: str, body: str) -> None:
        """Add a numbered step with its bash body."""
        self.sections.append((title, body.rstrip("\n")))

    def render(self) -> str:
        """The whole script text, ending with a newline."""
        self.need("die")
        lines = [
            "#!/usr/bin/env bash",
            f"# specc host script {self.script_id}",
            f"# host: {self.host} ({self.address})  role: {self.role}  "
            f"os: {self.os or 'detected at run time'}",
            *(f"# {ln}" if ln else "#" for ln in self.summary.splitlines()),
            "# Idempotent: every step checks before it acts; safe to rerun.",
            "# SPECC_ROOT (default empty) prefixes every path the script writes.",
            "# Commands that could prompt read /dev/null: `ssh HOST bash -s < FILE` is safe.",
            "set -euo pipefail",
            "",
        ]
        body_start = len(lines)
        for name in _HELPERS:
            if name in self.helpers:
                lines.extend([_HELPERS[name][1], ""])
        if self.os is None and (self.packages or self.needs_family):
            lines.extend([_DETECT, "", 'OS_FAMILY="${SPECC_OS_FAMILY:-$(detect_os_family)}"', ""])
        if self.packages:
            if self.os is None:
                lines.append(
                    by_family(
                        None,
                        {
                            ("el7",): _PKG_FUNCS["el7"],
                            ("el8", "el9"): _PKG_FUNCS["el8"],
                            ("debian", "ubuntu"): _PKG_FUNCS["debian"],
                        },
                    )
                )
            else:
                lines.append(_PKG_FUNCS[family_group(self.os)])
            lines.extend(["", _ENSURE_PKGS, ""])
        for n, (title, body) in enumerate(self.sections, 1):
            lines.extend([f"# --- {n}. {title}", f"log {q(f'step {n}: {title}')}", body, ""])
        lines.append('log "done: $CHANGED change(s)"')
        head = ['ROOT="${SPECC_ROOT:-}"'] if any("$ROOT" in ln for ln in lines) else []
        lines[body_start:body_start] = [*head, "CHANGED=0", ""]
        return "\n".join(lines) + "\n"


def join_lines(parts: Iterable[str]) -> str:
    """Join non-empty bash fragments with newlines."""
    return "\n".join(p for p in parts if p)
