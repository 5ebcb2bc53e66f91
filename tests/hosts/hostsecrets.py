"""The known secret values of the host tests, by the spec's secret references."""

from __future__ import annotations

from hosts.hosthelp import CEPH_KEY, HOST_PASSWORD, SF_PASSWORD
from specc.backends.ceph_rbd import CephBackend
from specc.backends.solidfire import SolidFireBackend
from specc.backends.solidfire_shared import SolidFireSharedBackend
from specc.spec.models import EnvSecret, FileSecret, Spec


def secret_values(spec: Spec) -> tuple[dict[str, str], dict[str, str]]:
    """(env var -> value, file path -> value) for every secret the spec references."""
    env: dict[str, str] = {}
    files: dict[str, str] = {}

    def put(ref: EnvSecret | FileSecret | None, value: str) -> None:
        if isinstance(ref, EnvSecret):
            env[ref.env] = value
        elif isinstance(ref, FileSecret):
            files[ref.file] = value

    for be in spec.backends:
        if isinstance(be, CephBackend):
            put(be.secret, CEPH_KEY)
        elif isinstance(be, SolidFireBackend | SolidFireSharedBackend):
            put(be.admin_password, SF_PASSWORD)
    for zone in spec.zones:
        if zone.vcenter:
            put(zone.vcenter.password, HOST_PASSWORD)
        for pod in zone.pods:
            for cluster in pod.clusters:
                for host in cluster.hosts:
                    put(host.password, HOST_PASSWORD)
                    put(host.ssh_key, HOST_PASSWORD)
    return env, files
