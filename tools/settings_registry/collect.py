#!/usr/bin/env python3
"""Copy the apache/cloudstack sources the settings registry is built from.

The registry (``settings.json``) is produced by ``extract.py`` from files saved
verbatim under a source folder; this script fills that folder from a local git
clone of apache/cloudstack (any clone or mirror that holds the wanted commit)
with ``git show <ref>:<path>``, so nothing but git and the standard library is
needed.  Each file is saved as ``<path with "/" replaced by "__">`` and listed
in ``MANIFEST.json`` together with the commit and the git blob id.

Files selected at the given ref:

* every non-test ``*.java`` file that declares a ``ConfigKey`` (``new ConfigKey``
  or ``new ValidatedConfigKey``) or implements ``getConfigKeys()``;
* the ``Config`` enum and the framework / server classes whose behaviour the
  registry documents (``ConfigKey``, ``ConfigDepotImpl``,
  ``ConfigurationManagerImpl``, ``ConfigurationServerImpl``, ...);
* the Java files of classes whose ``static final`` constants are referenced by
  the declarations (found by a closure over ``extract.unresolved_classes``);
* the database upgrade scripts from 4.0 on (``schema-XtoY[-cleanup].sql``, the
  ones a fresh install replays), the Spring contexts declaring
  ``ExtensionRegistry`` beans, and the Marvin ``*.cfg`` files.

Usage::

    python3 collect.py --git-dir /path/to/cloudstack/.git --ref 84538da27c --out src
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import extract

FIXED_FILES: tuple[str, ...] = (
    "server/src/main/java/com/cloud/configuration/Config.java",
    "framework/config/src/main/java/org/apache/cloudstack/framework/config/ConfigKey.java",
    "framework/config/src/main/java/org/apache/cloudstack/framework/config/ValidatedConfigKey.java",
    "framework/config/src/main/java/org/apache/cloudstack/framework/config/impl/ConfigDepotImpl.java",
    "framework/config/src/main/java/org/apache/cloudstack/framework/config/dao/ConfigurationSubGroupDaoImpl.java",
    "api/src/main/java/org/apache/cloudstack/config/Configuration.java",
    "server/src/main/java/com/cloud/configuration/ConfigurationManagerImpl.java",
    "server/src/main/java/com/cloud/server/ConfigurationServerImpl.java",
    "server/src/main/java/com/cloud/server/ManagementServerImpl.java",
    "server/src/main/java/com/cloud/api/ApiResponseHelper.java",
    "setup/db/create-schema.sql",
)
DECLARATION_PATTERNS: tuple[str, ...] = (
    "new ConfigKey",
    "new ValidatedConfigKey",
    "getConfigKeys()",
)
SQL_DIR = "engine/schema/src/main/resources/META-INF/db/"
CFG_DIRS: tuple[str, ...] = ("setup/dev/", "tools/marvin/marvin/config/")
CLOSURE_ROUNDS = 3


def git(git_dir: Path, *args: str) -> bytes:
    """Run git against ``git_dir`` and return its standard output."""
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", *args], check=True, capture_output=True
    ).stdout


def is_test_path(path: str) -> bool:
    """True for test sources, which declare keys no server registers."""
    return "/src/test/" in path or path.startswith("test/")


def grep_files(git_dir: Path, ref: str, pattern: str, pathspec: str) -> set[str]:
    """Paths at ``ref`` whose content contains ``pattern`` (fixed string)."""
    try:
        out = git(git_dir, "grep", "-l", "-F", pattern, ref, "--", pathspec)
    except subprocess.CalledProcessError:
        return set()
    prefix = f"{ref}:"
    return {line.removeprefix(prefix) for line in out.decode().splitlines() if line}


def list_tree(git_dir: Path, ref: str) -> list[str]:
    """Every file path at ``ref``."""
    out = git(git_dir, "ls-tree", "-r", "--name-only", ref)
    return out.decode().splitlines()


def select_initial(git_dir: Path, ref: str, tree: list[str]) -> set[str]:
    """The declaration files, fixed files, SQL scripts and Marvin configs."""
    files: set[str] = set()
    for pattern in DECLARATION_PATTERNS:
        files |= {p for p in grep_files(git_dir, ref, pattern, "*.java") if not is_test_path(p)}
    files -= {
        "framework/config/src/main/java/org/apache/cloudstack/framework/config/Configurable.java",
    }
    existing = set(tree)
    files |= {p for p in FIXED_FILES if p in existing}
    files |= {p for p in tree if p.startswith(SQL_DIR) and extract.sql_version_key(p) is not None}
    files |= {p for p in tree if p.startswith(CFG_DIRS) and p.endswith(".cfg")}
    files |= {
        p for p in grep_files(git_dir, ref, "ExtensionRegistry", "*.xml") if not is_test_path(p)
    }
    return files


def class_index(tree: list[str]) -> dict[str, list[str]]:
    """Simple class name -> non-test Java paths declaring a file of that name."""
    index: dict[str, list[str]] = {}
    for path in tree:
        if path.endswith(".java") and not is_test_path(path):
            index.setdefault(Path(path).stem, []).append(path)
    return index


def locate(
    git_dir: Path, ref: str, index: dict[str, list[str]], classes: set[str], names: set[str]
) -> set[str]:
    """Java files declaring the wanted classes (top-level or nested) and constants."""
    found: set[str] = set()
    for name in classes:
        if len(index.get(name, [])) == 1:
            found |= set(index[name])
            continue
        hits = {
            p
            for p in grep_regex(git_dir, ref, rf"(class|interface|enum) {name}\b")
            if not is_test_path(p)
        }
        if 1 <= len(hits) <= 2:
            found |= hits
    for name in names:
        hits = {p for p in grep_regex(git_dir, ref, rf"String {name}\s*=") if not is_test_path(p)}
        if 1 <= len(hits) <= 3:
            found |= hits
    return found


def grep_regex(git_dir: Path, ref: str, regex: str) -> set[str]:
    """Non-test Java paths at ``ref`` matching an extended regular expression."""
    try:
        out = git(git_dir, "grep", "-l", "-E", regex, ref, "--", "*.java")
    except subprocess.CalledProcessError:
        return set()
    prefix = f"{ref}:"
    return {line.removeprefix(prefix) for line in out.decode().splitlines() if line}


def save(git_dir: Path, ref: str, paths: set[str], out: Path, label: str) -> list[dict[str, str]]:
    """Write each path verbatim into ``out`` with ``MANIFEST.json``; return the manifest rows."""
    out.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, str]] = []
    for path in sorted(paths):
        data = git(git_dir, "show", f"{ref}:{path}")
        (out / extract.saved_name(path)).write_bytes(data)
        blob = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
        rows.append({"path": path, "blob": blob})
    manifest = {"repo": "apache/cloudstack", "ref": label or ref, "commit": ref, "files": rows}
    (out / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--git-dir", type=Path, required=True, help="git directory of an apache/cloudstack clone"
    )
    parser.add_argument("--ref", required=True, help="commit or tag to read")
    parser.add_argument("--label", default="", help="human name of the ref, e.g. 4.18.2.5")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the sources into")
    args = parser.parse_args(argv)

    commit = git(args.git_dir, "rev-parse", f"{args.ref}^{{commit}}").decode().strip()
    tree = list_tree(args.git_dir, commit)
    index = class_index(tree)
    files = select_initial(args.git_dir, commit, tree)
    rows = save(args.git_dir, commit, files, args.out, args.label)
    for _ in range(CLOSURE_ROUNDS):
        classes, names = extract.unresolved_references(args.out)
        extra = locate(args.git_dir, commit, index, classes, names) - files
        if not extra:
            break
        files |= extra
        rows = save(args.git_dir, commit, files, args.out, args.label)
    print(f"saved {len(rows)} files from {commit} into {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
