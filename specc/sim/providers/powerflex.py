"""The ``PowerFlex`` provider: Dell PowerFlex (ScaleIO), managed, KVM only.

apache/cloudstack plugins/storage/volume/scaleio (``PLUG`` below =
plugins/storage/volume/scaleio/src/main/java/org/apache/cloudstack/storage/datastore),
4.18.2.5 and 4.22.1.0: ``PLUG/provider/ScaleIOPrimaryDatastoreProvider.java``
(name ``ScaleIOUtil.PROVIDER_NAME``, type PRIMARY only),
``PLUG/lifecycle/ScaleIOPrimaryDataStoreLifeCycle.java`` (``initialize``,
``attachCluster``, ``attachZone``) and ``PLUG/driver/ScaleIOPrimaryDataStoreDriver.java``
(``getCapabilities``). The url is ``powerflex://<user>:<password>@<gateway>[:port]/<pool>``
(:mod:`.powerflex_uri`).

The simulator has no PowerFlex gateway. As it treats an NFS server as reachable, it
treats the gateway as reachable, its login as accepting any non-empty user (the
server cannot be told the real password, so a password cut at a ``:`` is not
caught here), its storage pools as holding every non-empty name, and its SDCs as
connected. Where the real gateway answers with data, the simulator derives it:

- the pool's ``path`` (the gateway's ``StoragePool.id``, 16 hex digits) is the first
  16 hex digits of SHA-256 over ``<gatewayApiURL>|<pool name>``, and the system id
  (``ProtectionDomain.systemId``) those over the gateway URL: stable across runs and
  servers, one per gateway and pool, as the real ids are;
- the capacity is ``capacitybytes`` when given, else what the storage handler gives
  every pool (the gateway's net capacity is unknown);
- the encrypted credential details (``DBEncryptionUtil.encrypt``) are an opaque
  digest, never the credentials; the MDM detail of 4.21+ is empty (the gateway's
  ``/Configuration`` mdmAddresses are unknown).

Everything that happens before the gateway is called follows the source: the pod,
cluster and hypervisor checks, the url's parsing and its errors, the user info split
at ``:``, the duplicate gateway-and-pool check; and after it, the attach rules of each
version (4.18.2.5, as every release before 4.19.1.0, demands an Up KVM host in the
scope; 4.19.1.0 and later do not).
Each refusal answers 530 ``Failed to add data store: <text>``
(``StorageManagerImpl.createPool`` wraps the lifecycle's exceptions).
"""

from __future__ import annotations

import base64
import hashlib

from specc.sim.handlers import Ctx, Item
from specc.sim.providers.base import (
    NewPool,
    ParsedPool,
    PoolRequest,
    PoolUrlError,
    PrimaryProvider,
    up_and_enabled_hosts,
)
from specc.sim.providers.powerflex_uri import (
    NULL_USER_INFO,
    PowerFlexUrl,
    java_split_colon,
    parse_powerflex_url,
)

NAME = "PowerFlex"  # ScaleIOUtil.PROVIDER_NAME

# ScaleIOGatewayClient: the details initialize stores.
GATEWAY_API_ENDPOINT = "powerflex.gw.url"
GATEWAY_API_USERNAME = "powerflex.gw.username"
GATEWAY_API_PASSWORD = "powerflex.gw.password"
STORAGE_POOL_NAME = "powerflex.storagepool.name"
STORAGE_POOL_SYSTEM_ID = "powerflex.storagepool.system.id"
STORAGE_POOL_MDMS = "powerflex.storagepool.mdms"  # since 4.21.0.0 (PR #9903)

STRICT_ATTACH_BEFORE = "4.19.1"
"""Before PR #9268 (first in 4.19.1.0) attachCluster/attachZone need connected SDCs and
Up hosts (4.18.2.5 ``checkConnectedSdcs``); from it they connect whatever is up."""


def gateway_id(*parts: str) -> str:
    """A stable 16-hex-digit id standing in for one the gateway gives.

    >>> gateway_id("https://10.10.4.141/api", "cspool01")
    'b934e27b3587df7a'
    """
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def encrypted(value: str) -> str:
    """An opaque stand-in for ``DBEncryptionUtil.encrypt(value)``: never the value.

    >>> encrypted("admin") != "admin" and "admin" not in encrypted("admin")
    True
    """
    digest = hashlib.sha256(b"specc-sim-db-key|" + value.encode()).digest()
    return base64.b64encode(digest[:24]).decode()


def _check_cluster(req: PoolRequest) -> None:
    """``initialize``'s first checks: a cluster needs its pod and a KVM hypervisor."""
    if req.cluster is not None:
        if req.pod is None:
            raise PoolUrlError(
                "Pod Id must also be specified when the Cluster Id is specified for "
                "Cluster-wide primary storage."
            )
        if req.cluster["hypervisortype"] != "KVM":
            raise PoolUrlError(f"Unsupported hypervisor type: {req.cluster['hypervisortype']}")
    elif req.pod is not None:
        raise PoolUrlError(
            "Cluster Id must also be specified when the Pod Id is specified for "
            "Cluster-wide primary storage."
        )


def _credentials(url: PowerFlexUrl) -> tuple[str, str]:
    """``userInfo.split(":")[0]`` and ``[1]``, with the JVM's exceptions when they fail."""
    if url.userinfo is None:
        raise PoolUrlError(NULL_USER_INFO)
    parts = java_split_colon(url.userinfo)
    if len(parts) < 2:
        raise PoolUrlError(f"Index {len(parts)} out of bounds for length {len(parts)}")
    return parts[0], parts[1]


def _duplicate(ctx: Ctx, api_url: str, pool_name: str) -> None:
    """``initialize``: no existing PowerFlex pool has this gateway URL and pool name
    (``findPoolsByProvider`` and their ``powerflex.gw.url``/``storagepool.name``)."""
    for other in ctx.store.find("storagepool", provider=NAME):
        details = other.get("_details") or {}
        if (
            details.get(GATEWAY_API_ENDPOINT) == api_url
            and details.get(STORAGE_POOL_NAME) == pool_name
        ):
            raise PoolUrlError(
                f"PowerFlex storage pool: {pool_name} already exists, please specify other "
                "storage pool."
            )


def _find_storage_pool(url: PowerFlexUrl, user: str, api_url: str) -> str:
    """``findStoragePool`` on the simulated gateway: the login (``authenticate``: a
    non-200 answer is "login failed") and the pool listing; the pool's id."""
    if not user:
        raise PoolUrlError(
            f"PowerFlex Gateway {url.host} login failed, please check the provided settings"
        )
    if not url.pool:
        raise PoolUrlError(
            f"Failed to find the provided storage pool name: {url.pool} in the discovered "
            "PowerFlex storage pools"
        )
    return gateway_id(api_url, url.pool)


def initialize(ctx: Ctx, req: PoolRequest) -> NewPool:
    """``ScaleIOPrimaryDataStoreLifeCycle.initialize``: the pod/cluster checks and the
    cluster's hypervisor (KVM only), the url (``<url> is not a valid uri``), the user
    info split at ``:`` (a NullPointerException without user info, an
    ArrayIndexOutOfBoundsException without a password), no second pool on one
    gateway and pool, then the gateway's pool. Always managed, type PowerFlex,
    hypervisor KVM, the gateway host (no port) as its address, the pool id as its
    path, and the gateway details."""
    _check_cluster(req)
    url = parse_powerflex_url(req.url)
    api_url = url.gateway_api_url
    user, password = _credentials(url)
    _duplicate(ctx, api_url, url.pool)
    pool_id = _find_storage_pool(url, user, api_url)
    details = {
        GATEWAY_API_ENDPOINT: api_url,
        GATEWAY_API_USERNAME: encrypted(user),
        GATEWAY_API_PASSWORD: encrypted(password),
        STORAGE_POOL_NAME: url.pool,
        STORAGE_POOL_SYSTEM_ID: gateway_id(api_url),
    }
    if ctx.since("4.21"):
        details[STORAGE_POOL_MDMS] = ""
    parsed = ParsedPool(
        "PowerFlex", url.host or "", 0, pool_id, user=user, secret=password, details=details
    )
    return NewPool(parsed, True, "KVM", req.capacity_bytes, req.capacity_iops)


def _up_and_enabled_in_cluster(ctx: Ctx, cluster: Item) -> list[Item]:
    """``ResourceManager.listAllUpAndEnabledHosts(Routing, cluster, pod, zone)``."""
    return [
        h
        for h in ctx.store.find("host", clusterid=cluster["id"])
        if h["state"] == "Up" and h["resourcestate"] == "Enabled"
    ]


def attach(ctx: Ctx, req: PoolRequest, pool: NewPool) -> None:
    """``attachCluster``/``attachZone``: KVM only (``Unsupported hypervisor type:
    <type>``; a zone-wide pool's type is the ``hypervisor`` parameter, so ``Any`` is
    refused here). On 4.18.2.5 the gateway must have connected SDCs (the simulated
    one has) and a host must take the pool: a cluster with no Up and Enabled host
    gives ``No hosts are Up to associate a storage pool with in cluster: <id>``, a
    zone with no Up and Enabled KVM host ``Failed to create storage pool as it is not
    accessible to hosts.``; 4.19.1.0 and later connect whatever hosts are up and
    refuse nothing else."""
    if req.cluster is not None:
        if req.cluster["hypervisortype"] != "KVM":
            raise PoolUrlError(f"Unsupported hypervisor type: {req.cluster['hypervisortype']}")
        if not ctx.since(STRICT_ATTACH_BEFORE) and not _up_and_enabled_in_cluster(ctx, req.cluster):
            raise PoolUrlError(
                f"No hosts are Up to associate a storage pool with in cluster: {req.cluster['id']}"
            )
        return
    if req.hypervisor != "KVM":
        raise PoolUrlError(f"Unsupported hypervisor type: {req.hypervisor}")
    if not ctx.since(STRICT_ATTACH_BEFORE) and not up_and_enabled_hosts(ctx, req.zone["id"], "KVM"):
        raise PoolUrlError("Failed to create storage pool as it is not accessible to hosts.")


# ScaleIOPrimaryDataStoreDriver.getCapabilities: storage-side snapshots and clones.
CAPABILITIES = {
    "CAN_CREATE_VOLUME_FROM_VOLUME": "true",
    "CAN_CREATE_VOLUME_FROM_SNAPSHOT": "true",
    "CAN_REVERT_VOLUME_TO_SNAPSHOT": "true",
    "STORAGE_SYSTEM_SNAPSHOT": "true",
}

PROVIDER = PrimaryProvider(
    name=NAME,
    initialize=initialize,
    attach=attach,
    capabilities=CAPABILITIES,
    # the integration tests' url (test/integration/plugins/scaleio/test_scaleio_volumes.py)
    sample={"url": "powerflex://admin:P%40ssword123@10.10.4.141/cspool01"},
    sample_hypervisor="KVM",
)
