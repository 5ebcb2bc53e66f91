"""Settings on the simulator: the registry of the release and the server's checks.

Each test names the apache/cloudstack rule it encodes: ``ConfigurationManagerImpl``
(``updateConfiguration``, ``resetConfiguration``, ``validateConfigurationValue`` of
4.18.2.5 and its 4.22.1.0 rewrite), ``ManagementServerImpl.searchForConfigurations``,
``ListCfgsByCmd.setScope``, ``UpdateCfgCmd.execute``, ``ClusterDetailsDaoImpl`` and
``AccountDetailsDaoImpl.getConfigValue``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cs import CloudStack, CloudStackApiException
from simhelp import client

from specc.sim import running
from specc.sim.settings import registry


def api_error(call: Any, **params: Any) -> tuple[int, str]:
    with pytest.raises(CloudStackApiException) as err:
        call(**params)
    return err.value.response.status_code, err.value.error["errortext"]


@pytest.fixture(scope="module")
def dev() -> Iterator[Any]:
    with running(api_version="4.18", seed="devcloud") as s:
        yield s


@pytest.fixture
def c(dev: Any) -> CloudStack:
    return client(dev)


def _one(c: CloudStack, name: str, **scope: str) -> dict[str, Any]:
    found = [x for x in c.listConfigurations(name=name, **scope)["configuration"]]
    return next(x for x in found if x["name"] == name)


# -- what the server has -------------------------------------------------------------


@pytest.mark.parametrize(("version", "release"), [("4.18", "4.18.2.5"), ("4.22", "4.22.1.0")])
def test_search_for_configurations_lists_every_row_but_hidden(version: str, release: str) -> None:
    """searchForConfigurations: every row of the release, ``category != 'Hidden'``."""
    reg = registry(release)
    listed = {s.name for s in reg.settings.values() if s.persisted and s.category != "Hidden"}
    with running(api_version=version) as sim:
        c = client(sim)
        pages = [c.listConfigurations(page=p, pagesize=500) for p in (1, 2)]
        names = {x["name"] for page in pages for x in page.get("configuration", [])}
        assert pages[0]["count"] == len(listed) and names == listed
        hidden = next(s for s in reg.settings.values() if s.persisted and not s.listed)
        assert c.listConfigurations(name=hidden.name).get("count", 0) == 0


def test_update_configuration_refuses_a_name_the_server_does_not_have(c: CloudStack) -> None:
    """updateConfiguration(UpdateCfgCmd)/resetConfiguration: no row, no ConfigDepot key: 431.

    ``kvm.ha.enabled`` and ``storage.network.device1`` are in no CloudStack source;
    ``event.accountinfo`` is declared in ApiServer but never registered, so never stored.
    """
    for name in ("kvm.ha.enabled", "storage.network.device1", "event.accountinfo"):
        text = f"Config parameter with name {name} doesn't exist"
        assert api_error(c.updateConfiguration, name=name, value="1") == (431, text)
        assert api_error(c.resetConfiguration, name=name) == (431, text)


def test_update_cfg_cmd_refuses_the_dynamic_api_checker(c: CloudStack) -> None:
    """UpdateCfgCmd.execute: RoleService.EnableDynamicApiChecker may not be updated."""
    assert api_error(c.updateConfiguration, name="dynamic.apichecker.enabled", value="true") == (
        431,
        "Restricted configuration update not allowed",
    )


def test_list_row_carries_the_registry_metadata(c: CloudStack) -> None:
    """createConfigurationResponse: default, isdynamic, type, options, displaytext."""
    ping = _one(c, "ping.timeout")
    assert (ping["value"], ping["type"], ping["isdynamic"]) == ("2.5", "Decimal", True)
    visibility = _one(c, "network.loadbalancer.haproxy.stats.visibility")
    assert visibility["type"] == "Select" and visibility["isdynamic"] is False
    assert visibility["options"] == "global,guest-network,link-local,disabled,all,default"
    assert _one(c, "expunge.delay")["displaytext"] == "Expunge delay"
    assert "scope" not in ping and "id" not in ping  # only a scoped listing names a scope


# -- validateConfigurationValue, 4.18.2.5 ----------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "text"),
    [
        (
            "network.gc.wait",
            "soon",
            "There was error in trying to parse value: soon. Please enter a valid integer "
            "value for parameter network.gc.wait",
        ),
        (
            "ping.timeout",
            "x",
            "There was error in trying to parse value: x. Please enter a valid float value "
            "for parameter ping.timeout",
        ),
        (
            "direct.download.certificate.background.task.interval",
            "1.5",
            "There was error in trying to parse value: 1.5. Please enter a valid long value "
            "for parameter direct.download.certificate.background.task.interval",
        ),
        ("storage.cleanup.enabled", "yes", "Please enter either 'true' or 'false'."),
        ("storage.cleanup.enabled", "True", "Please enter either 'true' or 'false'."),
        (
            "account.cleanup.interval",
            "0",
            "Please enter a positive value for the configuration parameter:"
            "account.cleanup.interval",
        ),
        (
            "vm.password.length",
            "5",
            "Please enter a value greater than 5 for the configuration parameter:"
            "vm.password.length",
        ),
        (
            "remote.access.vpn.psk.length",
            "300",
            "Please enter a value less than 257 for the configuration parameter:"
            "remote.access.vpn.psk.length",
        ),
        (
            "agent.load.threshold",
            "1.5",
            "Please enter a value between 0 and 1 for the configuration parameter: "
            "agent.load.threshold",
        ),
        (
            "cpu.overprovisioning.factor",
            "0",
            "cpu.overprovisioning.factor should be greater than 0",
        ),
        (
            "mac.identifier",
            "256",
            "mac.identifier value should be between 0 and 255. 0 value will disable this feature",
        ),
        (
            "check.pod.cidrs",
            "maybe",
            "The provided value is neither a valid value for this configuration (Options are: "
            "[true]) NOR a valid value for this configuration (Options are: [false]).",
        ),
        (
            "router.extra.public.nics",
            "6",
            "The provided value is not valid for this configuration. Please enter an integer "
            "in the range: [0-5]",
        ),
        (
            "instance.name",
            "my-cloud",
            "The provided value is not a valid instance name (instance names cannot contain "
            "hyphens, spaces or plus signs).",
        ),
        ("hypervisor.list", "KVM,Xen", "The provided value is not a valid hypervisor type."),
        (
            "remote.access.vpn.client.iprange",
            "10.0.0.1",
            "Invalid IP address value(s) specified for the config value",
        ),
    ],
)
def test_validate_configuration_value_418(c: CloudStack, name: str, value: str, text: str) -> None:
    """4.18.2.5 validateConfigurationValue: parse, name sets, then the Config range."""
    assert api_error(c.updateConfiguration, name=name, value=value) == (431, text)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("network.loadbalancer.haproxy.stats.visibility", "anything"),  # Select: a hint only
        ("check.pod.cidrs", "FALSE"),  # range items compare ignoring case
        ("hypervisor.list", "KVM,simulator"),
        ("pool.storage.capacity.disablethreshold", "1.5"),  # Double: not in the Float check
        ("vm.password.length", "12"),
        ("remote.access.vpn.client.iprange", "10.0.0.1-10.0.0.9"),
        ("network.gc.wait", "+60"),  # Integer.parseInt takes a sign
    ],
)
def test_validate_configuration_value_418_accepts(c: CloudStack, name: str, value: str) -> None:
    """What 4.18.2.5 lets through: options are not checked, Double is not parsed."""
    assert c.updateConfiguration(name=name, value=value)["configuration"]["value"] == value


@pytest.mark.parametrize(
    ("name", "value", "text"),
    [
        ("network.gc.wait", "soon", "Value [soon] is not a valid [class java.lang.Integer]."),
        (
            "pool.storage.capacity.disablethreshold",
            "x",
            "Value [x] is not a valid [class java.lang.Double].",
        ),
        ("ping.timeout", "1e39", "Value [1e39] is not a valid [class java.lang.Float]."),
        (
            "account.cleanup.interval",
            "0",
            "Please enter a positive value for the configuration parameter: "
            "[account.cleanup.interval].",
        ),
        (
            "threads.on.ms.to.import.vmware.vm.files",
            "11",
            "Please enter a value between -1 and 10 for the configuration parameter: "
            "[threads.on.ms.to.import.vmware.vm.files]. -1 will disable it.",
        ),
        (
            "secstorage.allowed.internal.sites",
            "10.0.0.0/33",
            "Invalid CIDR 10.0.0.0/33 value specified for the config "
            "secstorage.allowed.internal.sites.",
        ),
    ],
)
def test_validate_configuration_value_422(name: str, value: str, text: str) -> None:
    """4.22.1.0 validateValueType then validateValueRange."""
    with running(api_version="4.22") as sim:
        c = client(sim)
        assert api_error(c.updateConfiguration, name=name, value=value) == (431, text)
        ok = c.updateConfiguration(name="network.loadbalancer.haproxy.stats.visibility", value="x")
        assert ok["configuration"]["value"] == "x"  # Select options: still hints only
        assert api_error(c.updateConfiguration, name="expunge.delay") == (
            431,
            "The new value for the [expunge.delay] configuration must be given.",
        )


def test_clearing_a_number_fails_its_parse(c: CloudStack) -> None:
    """updateConfiguration: "" becomes null globally, and Integer.parseInt(null) fails."""
    assert api_error(c.updateConfiguration, name="network.gc.wait", value="") == (
        431,
        "There was error in trying to parse value: null. Please enter a valid integer value "
        "for parameter network.gc.wait",
    )


def test_empty_value_clears_a_global_setting(c: CloudStack) -> None:
    """updateConfiguration(UpdateCfgCmd): "" or "null" is null globally; no value: unchanged."""
    c.updateConfiguration(name="secstorage.allowed.internal.sites", value="10.0.0.0/8")
    cleared = c.updateConfiguration(name="secstorage.allowed.internal.sites", value="null")
    assert "value" not in cleared["configuration"]
    assert "value" not in _one(c, "secstorage.allowed.internal.sites")
    same = c.updateConfiguration(name="expunge.delay")["configuration"]
    assert same["value"] == _one(c, "expunge.delay")["value"]


# -- scopes ---------------------------------------------------------------------------


def test_validate_configuration_value_refuses_a_scope_the_setting_has_not(
    c: CloudStack, dev: Any
) -> None:
    """validateConfigurationValue: the row's scope must contain the scope given."""
    zone = c.listZones()["zone"][0]["id"]
    for name in ("ping.timeout", "storage.overprovisioning.factor"):
        assert api_error(c.updateConfiguration, name=name, value="3", zoneid=zone) == (
            431,
            f"Invalid scope id provided for the parameter {name}",
        )
        assert api_error(c.resetConfiguration, name=name, zoneid=zone) == (
            431,
            f"Invalid scope id provided for the parameter {name}",
        )


def test_multiple_scope_ids_are_refused(c: CloudStack) -> None:
    """updateConfiguration: "cannot handle multiple IDs" when two scope ids are given."""
    zone = c.listZones()["zone"][0]["id"]
    cluster = c.listClusters()["cluster"][0]["id"]
    text = "cannot handle multiple IDs, provide only one ID corresponding to the scope"
    assert api_error(
        c.updateConfiguration, name="use.external.dns", value="true", zoneid=zone, clusterid=cluster
    ) == (431, text)


def test_zone_value_is_listed_at_the_zone_only(c: CloudStack) -> None:
    """searchForConfigurations with zoneid: the Zone settings, valueIn(zone), scope "zone"."""
    zone = c.listZones()["zone"][0]["id"]
    made = c.updateConfiguration(name="use.external.dns", value="true", zoneid=zone)
    assert (made["configuration"]["value"], made["configuration"]["scope"]) == ("true", "zone")
    at_zone = _one(c, "use.external.dns", zoneid=zone)
    assert (at_zone["value"], at_zone["scope"], at_zone["isdynamic"]) == ("true", "zone", True)
    assert _one(c, "use.external.dns")["value"] == "false"  # the global row is unchanged
    listed = c.listConfigurations(zoneid=zone, pagesize=500, page=1)
    zone_settings = {s.name for s in registry("4.18.2.5").settings.values() if "Zone" in s.scopes}
    assert {x["name"] for x in listed["configuration"]} == zone_settings - {
        s.name for s in registry("4.18.2.5").settings.values() if not s.listed
    }
    assert all(x["scope"] == "zone" for x in listed["configuration"])


def test_cluster_overprovisioning_is_the_cluster_detail(c: CloudStack) -> None:
    """ClusterDetailsDaoImpl: cpu.overprovisioning.factor at a cluster is cpuOvercommitRatio."""
    cluster = c.listClusters()["cluster"][0]["id"]
    c.updateConfiguration(name="cpu.overprovisioning.factor", value="4", clusterid=cluster)
    assert c.listClusters(id=cluster)["cluster"][0]["cpuovercommitratio"] == "4"
    assert _one(c, "cpu.overprovisioning.factor", clusterid=cluster)["value"] == "4"
    reset = c.resetConfiguration(name="cpu.overprovisioning.factor", clusterid=cluster)
    assert (reset["configuration"]["value"], reset["configuration"]["scope"]) == ("1.0", "Cluster")
    assert c.listClusters(id=cluster)["cluster"][0]["cpuovercommitratio"] == "1.0"


def test_storage_overprovisioning_needs_a_pool_type_that_supports_it(c: CloudStack) -> None:
    """updateConfiguration(StoragePool): StoragePoolType.supportsOverProvisioning()."""
    pool = c.listStoragePools()["storagepool"][0]
    done = c.updateConfiguration(
        name="storage.overprovisioning.factor", value="3", storageid=pool["id"]
    )
    assert done["configuration"]["scope"] == "storagepool"
    assert _one(c, "storage.overprovisioning.factor", storageid=pool["id"])["value"] == "3"


def test_account_and_domain_values(c: CloudStack, dev: Any) -> None:
    """Account and Domain details; an account takes its domain's value only with both flags.

    AccountDetailsDaoImpl.getConfigValue: enable.account.settings.for.domain and
    enable.domain.settings.for.child.domain must be true to look up the domains.
    """
    admin = c.listAccounts(name="admin", listall=True)["account"][0]
    root = c.listDomains(name="ROOT")["domain"][0]
    name = "allow.public.user.templates"
    made = c.updateConfiguration(name=name, value="false", accountid=admin["id"])
    assert made["configuration"]["scope"] == "account"
    assert _one(c, name, accountid=admin["id"])["value"] == "false"
    assert api_error(c.updateConfiguration, name=name, value="false", domainid=root["id"]) == (
        431,
        f"Invalid scope id provided for the parameter {name}",
    )
    domain_setting = "destroy.root.volume.on.vm.destruction"
    c.updateConfiguration(name=domain_setting, value="true", domainid=root["id"])
    assert _one(c, domain_setting, domainid=root["id"])["scope"] == "domain"
    reset = c.resetConfiguration(name=name, accountid=admin["id"])["configuration"]
    assert (reset["value"], reset["scope"]) == ("true", "Account")


def test_reset_configuration_restores_the_default(c: CloudStack) -> None:
    """resetConfiguration: a global setting gets the row's default value back."""
    c.updateConfiguration(name="network.gc.wait", value="60")
    reset = c.resetConfiguration(name="network.gc.wait")["configuration"]
    assert reset["value"] == "600" == _one(c, "network.gc.wait")["value"]


def test_snapshot_keeps_scoped_values(tmp_path: Path) -> None:
    """A snapshot's scoped listing (stamped with its scope id) seeds the object's value."""
    with running(seed="devcloud") as sim:
        c = client(sim)
        zone = c.listZones()["zone"][0]["id"]
        c.updateConfiguration(name="use.external.dns", value="true", zoneid=zone)
        item = dict(_one(c, "use.external.dns", zoneid=zone), zoneid=zone)
        rows = [_one(c, "use.external.dns"), item]
        zones = c.listZones()["zone"]
    snap = tmp_path / "snap.json"
    snap.write_text(
        json.dumps(
            {
                "format": "specc-snapshot",
                "version": 1,
                "api_version": "4.18.0.0",
                "resources": {"zone": zones, "configuration": rows},
            }
        )
    )
    with running(seed=str(snap)) as sim:
        assert _one(client(sim), "use.external.dns", zoneid=zone)["value"] == "true"
