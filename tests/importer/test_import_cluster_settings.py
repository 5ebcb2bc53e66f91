"""A cluster's own settings are imported from ``listClusters``, not one call per cluster.

``updateConfiguration clusterid=`` stores the value as a row of the cluster's details
(apache/cloudstack 4.18.2.5 ``ConfigurationManagerImpl.updateConfiguration``, case
Cluster; ``cpu.overprovisioning.factor`` as ``cpuOvercommitRatio``), and
``ApiResponseHelper.createClusterResponse`` lists those rows as ``resourcedetails``.
``specc import`` therefore lists settings per zone, pool, image store, domain and
account, and takes the clusters' values from ``listClusters``
(``specc.cloud.kinds.configuration.cluster_values``): a thousand clusters cost no
thousand ``listConfigurations``.
"""

from __future__ import annotations

from pathlib import Path

from import_helpers import changes_of, fill
from mini_cloud import client, execute, read
from plan_helpers import plan_for
from ruamel.yaml import YAML

import specc
from specc.cloud.client import CloudClient, Credentials
from specc.cloud.kinds.configuration import cluster_values
from specc.cloud.live import read_live
from specc.importer import Selection, import_live
from specc.sim import running

SPEC = Path(__file__).resolve().parents[1] / "planning" / "settings" / "scoped.yaml"


def test_cluster_values_come_from_list_clusters_and_round_trip(tmp_path: Path) -> None:
    selection = Selection()
    with running() as sim:
        api = client(sim)
        execute(plan_for(SPEC, read(api), scripts=False), api, {"KVM_ROOT_PASSWORD": "x"})
        cluster = api.listClusters(name="kvm1")["cluster"][0]
        # as listConfigurations clusterid= answers them (ConfigKey.valueIn)
        for name in ("cpu.overprovisioning.factor", "kvm.ha.activity.check.interval"):
            listed = api.listConfigurations(name=name, clusterid=cluster["id"])
            value = listed["configuration"][0]["value"]
            derived = cluster_values([cluster], api.listConfigurations(name=name)["configuration"])
            assert [(i["name"], i["value"]) for i in derived] == [(name, value)]
        reader = CloudClient(Credentials(sim.endpoint, sim.api_key, sim.secret_key))
        live = read_live(reader, selection.kinds(), scopes=selection.scopes())
        full = read(api)
        calls_all = CloudClient(Credentials(sim.endpoint, sim.api_key, sim.secret_key))
        read_live(calls_all, selection.kinds())
    assert not [i for i in live.items("configuration") if "clusterid" in i]
    assert calls_all.call_count - reader.call_count == len(live.items("cluster"))
    text = import_live(live, selection).files["spec.yaml"]
    doc = YAML(typ="safe").load(text)
    kvm1 = doc["zones"][0]["pods"][0]["clusters"][0]
    assert kvm1["settings"] == {
        "cpu.overprovisioning.factor": 2,
        "kvm.ha.activity.check.interval": 120,
    }
    # the same settings as importing a full read, and no change against it
    assert import_live(full, selection).files["spec.yaml"] == text
    path = tmp_path / "spec.yaml"
    path.write_text(fill(text))
    plan = specc.plan(path, full, scripts=False)
    assert changes_of(plan) == [] and plan.steps == ()
