"""Each backend plug-in's ``from_pool`` reads back what its ``pool`` URL put in the listing.

The listed item is made from the URL as the server stores it
(``CloudStackPrimaryDataStoreLifeCycleImpl.initialize``: scheme -> type, host, path;
:func:`specc.importer.marvin.pool_item`). The round-trip tests cover the backends of
the examples on the simulator; these cover the URL forms one by one.
"""

from __future__ import annotations

from typing import Any

import pytest

from specc.backends import BACKENDS
from specc.importer.marvin import pool_item
from specc.spec.placeholders import Unread

CASES: list[tuple[str, str | None, str, dict[str, Any]]] = [
    (
        "nfs://10.0.0.5/export/primary",
        None,
        "nfs",
        {"server": "10.0.0.5", "export": "/export/primary"},
    ),
    ("nfs://10.0.0.5:/export/p", None, "nfs", {"server": "10.0.0.5", "export": "/export/p"}),
    (
        "iscsi://10.0.0.6/iqn.2010-01.com.example:tgt1/3",
        None,
        "iscsi",
        {"target": "10.0.0.6", "iqn": "iqn.2010-01.com.example:tgt1", "lun": 3},
    ),
    ("presetup://localhost/SR-one", None, "presetup", {"sr_name": "SR-one"}),
    ("vmfs://DC1/datastore1", None, "vmfs", {"datastore": "datastore1"}),
    ("SharedMountPoint://localhost/mnt/ocfs2", None, "ocfs2", {"mount_point": "/mnt/ocfs2"}),
    (
        "rbd://cloudstack:KEY@10.0.0.31/rbdpool",
        None,
        "ceph",
        {"monitors": ["10.0.0.31"], "pool": {"name": "rbdpool"}},
    ),
]


@pytest.mark.parametrize(("url", "provider", "kind", "fields"), CASES)
def test_from_pool_reads_the_listed_item(
    url: str, provider: str | None, kind: str, fields: dict[str, Any]
) -> None:
    item = pool_item(url, provider)
    found = [(k, p.from_pool(item)) for k, p in BACKENDS.items() if p.from_pool(item)]
    assert [k for k, _ in found] == [kind]  # exactly one plug-in claims it
    imported = found[0][1]
    assert imported is not None
    for key, value in fields.items():
        assert imported.fields[key] == value, key


def test_solidfire_path_gives_the_vips_and_placeholders() -> None:
    item = {"provider": "SolidFire", "type": "Iscsi", "path": "MVIP=10.1.0.40;SVIP=10.2.0.40"}
    imported = BACKENDS["solidfire"].from_pool(item)
    assert imported is not None
    assert (imported.fields["mvip"], imported.fields["svip"]) == ("10.1.0.40", "10.2.0.40")
    assert isinstance(imported.fields["admin_user"], Unread)
    assert imported.addresses == ("10.2.0.40",)


def test_an_unknown_pool_is_nobodys() -> None:
    item = {"provider": "DefaultPrimary", "type": "Gluster", "path": "/vol", "ipaddress": "x"}
    assert [k for k, p in BACKENDS.items() if p.from_pool(item)] == []
