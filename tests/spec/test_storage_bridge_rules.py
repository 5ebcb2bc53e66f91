"""SPC388/389: the KVM storage bridge a zone's Storage traffic label names.

apache/cloudstack ``BridgeVifDriver.plug`` plugs a system VM's storage NIC into the
bridge of the Storage traffic type's KVM label (else the management bridge); from
4.20.2 (``createStorageVnetBridgeIfNeeded``, #11245) a tagged storage range gets the
agent's own bridge ``br<pif>-<vlan>``, built on the labelled bridge's VLAN port.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from specc.spec.models import Spec
from specc.spec.rules.hosts import storage_bridge_label, storage_range_vlan_on_bridge
from specc.spec.rules.registry import ALL_RULES
from specc.spec.validate import load

NEGATIVE = Path(__file__).resolve().parent / "negative"


def _data(code: str) -> dict[str, Any]:
    path = next(NEGATIVE.glob(f"{code}-*.yaml"))
    v = load([path])
    assert v.spec is not None
    return v.spec.model_dump(mode="json")


def _codes(data: dict[str, Any]) -> set[str]:
    spec = Spec.model_validate(data)
    return {f.code for rule in ALL_RULES for f in rule(spec)}


def test_the_fix_spc389_hints_at_is_accepted() -> None:
    """An untagged range, and hosts that tag the VLAN on their NIC: the same network."""
    data = _data("SPC389")
    for s in data["subnets"]:
        if s["name"] == "st":
            s["vlan"] = None
    host = data["zones"][0]["pods"][0]["clusters"][0]["hosts"][0]
    host["storage_interface"] = "eth1.20"
    assert not _codes(data) & {"SPC388", "SPC389"}


def test_spc389_only_from_4_20_2_and_on_a_bare_4_20() -> None:
    data = _data("SPC389")
    for version, fires in (("4.18", False), ("4.20.1", False), ("4.20.2", True), ("4.22.1", True)):
        data["cloudstack"]["version"] = version
        assert ("SPC389" in _codes(data)) is fires, version
    data["cloudstack"]["version"] = "4.20"
    (finding,) = storage_range_vlan_on_bridge(Spec.model_validate(data))
    assert finding.message.startswith("on CloudStack 4.20 (from 4.20.2) the KVM agent")


def test_spc389_not_when_the_hosts_port_is_untagged() -> None:
    """The agent's br<nic>-<vlan> then sits on another port than the storage bridge's."""
    data = _data("SPC389")
    for s in data["subnets"]:
        if s["name"] == "st":
            s["vlan"] = None
    data["zones"][0]["pods"][0]["storage_range"]["vlan"] = 20
    assert "SPC389" not in _codes(data)


def test_spc388_refuses_a_label_that_is_no_bridge_name() -> None:
    data = _data("SPC389")
    data["cloudstack"]["version"] = "4.18"
    traffic = data["zones"][0]["physical_networks"][0]["traffic"][3]
    for label, text in (
        ("storage bridge", "cannot be a Linux bridge name"),
        ("cloudbr-storage-1", "cannot be a Linux bridge name"),
        ("eth1", "storage NIC eth1.20 is named 'eth1'"),
        ("eth1.20", "storage NIC eth1.20 is named 'eth1.20'"),
    ):
        traffic["labels"]["kvm"] = label
        (finding,) = storage_bridge_label(Spec.model_validate(data))
        assert text in finding.message, label


def test_no_storage_traffic_no_bridge_and_no_finding() -> None:
    """Without Storage traffic no system VM's NIC joins the network: nothing to build."""
    data = _data("SPC388")
    traffic = data["zones"][0]["physical_networks"][0]["traffic"]
    data["zones"][0]["physical_networks"][0]["traffic"] = traffic[:3]
    assert not _codes(data) & {"SPC388", "SPC389"}
