"""registerTemplate/registerIso check the URL as the server does, and listOsTypes
matches a description as the server does; through HTTP with the real `cs` client.

apache/cloudstack (4.18.2.5, 4.22.1.0): ``HypervisorTemplateAdapter.prepare`` runs
``UriUtils.validateUrl(format, url)`` after ``TemplateAdapterBase.prepare``;
``ApiServer.handleRequest`` answers its ``IllegalArgumentException`` with 431.
``GuestOSDaoImpl.listGuestOSByCriteria`` matches ``displayName LIKE %description%``
sorted by display name.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from cs import CloudStack, CloudStackApiException
from simhelp import client

from specc.sim import Simulator, running


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with running(api_version="4.18", seed="devcloud") as s:
        yield s


@pytest.fixture(scope="module")
def ids(sim: Simulator) -> dict[str, str]:
    c = client(sim)
    zone = c.listZones()["zone"][0]
    debian = c.listOsTypes(description="Debian GNU/Linux 12 (64-bit)")["ostype"][0]
    return {"zoneid": zone["id"], "ostypeid": debian["id"]}


def refused(call: Any, *args: Any, **params: Any) -> tuple[int, str]:
    with pytest.raises(CloudStackApiException) as err:
        call(*args, **params)
    return err.value.response.status_code, err.value.error["errortext"]


def template(c: CloudStack, ids: dict[str, str], url: str, fmt: str, **extra: Any) -> Any:
    hypervisor = {"VHD": "XenServer", "OVA": "VMware"}.get(fmt.upper(), "KVM")
    return c.registerTemplate(
        name="t", displaytext="t", url=url, format=fmt, hypervisor=hypervisor, **ids, **extra
    )


@pytest.mark.parametrize(
    ("url", "fmt", "text"),
    [
        # the audit's case: a Metalink v4 (RFC 5854) name is no format's extension
        (
            "https://images.example.org/debian-12-genericcloud-amd64.qcow2.meta4",
            "QCOW2",
            "Please specify a valid qcow2",
        ),
        (
            "https://images.example.org/a.qcow2",
            "RAW",
            "Please specify a valid URL. URL:/a.qcow2 is an invalid for the format raw",
        ),
        # .metalink is in the qcow2, ova and iso sets only
        (
            "https://images.example.org/xen.metalink",
            "VHD",
            "Please specify a valid URL. URL:/xen.metalink is an invalid for the format vhd",
        ),
        ("ftp://images.example.org/a.qcow2", "QCOW2", "Unsupported scheme for url: ftp://"),
    ],
)
def test_register_template_url_follows_uriutils_check_format(
    sim: Simulator, ids: dict[str, str], url: str, fmt: str, text: str
) -> None:
    status, got = refused(template, client(sim), ids, url, fmt)
    assert status == 431 and got.startswith(text), got


@pytest.mark.parametrize(
    ("url", "fmt"),
    [
        ("https://images.example.org/debian-12-genericcloud-amd64.metalink", "QCOW2"),
        ("https://images.example.org/a.IMG", "QCOW2"),  # the path is lower-cased
        ("https://images.example.org/a.img.gz", "RAW"),
        ("https://images.example.org/xen.vhd.bz2", "VHD"),
        ("https://images.example.org/vm.ova?token=x.iso", "OVA"),  # the query is no path
    ],
)
def test_register_template_accepts_the_format_extensions(
    sim: Simulator, ids: dict[str, str], url: str, fmt: str
) -> None:
    made = template(client(sim), ids, url, fmt)
    assert made["template"][0]["url"] == url


def test_register_iso_checks_the_url_as_format_iso(sim: Simulator, ids: dict[str, str]) -> None:
    c = client(sim)
    status, got = refused(
        c.registerIso, name="i", displaytext="i", url="https://images.example.org/a.qcow2", **ids
    )
    assert (status, got) == (
        431,
        "Please specify a valid URL. URL:/a.qcow2 is an invalid for the format iso",
    )
    for url in ("https://images.example.org/boot.iso.gz", "https://images.example.org/b.metalink"):
        iso = c.registerIso(name="i", displaytext="i", url=url, **ids)["iso"][0]
        assert iso["url"] == url


def test_list_os_types_description_is_a_like_match_sorted_by_name(sim: Simulator) -> None:
    c = client(sim)
    found = [o["description"] for o in c.listOsTypes(description="linux 9")["ostype"]]
    assert found == sorted(found, key=str.lower)
    assert {"AlmaLinux 9", "Oracle Linux 9", "Red Hat Enterprise Linux 9", "Rocky Linux 9"} <= set(
        found
    )
    wild = [o["description"] for o in c.listOsTypes(description="CentOS_7")["ostype"]]
    assert wild == ["CentOS 7"]  # "_" is LIKE's one-character wildcard
