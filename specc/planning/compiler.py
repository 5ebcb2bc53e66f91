"""The plan compiler: spec + live state -> an ordered Plan (pure).

``compile_plan`` builds the desired graph, diffs it against the live state and turns
every change into steps: API calls whose parameters refer to earlier steps' outputs
(``Ref``) or to live ids, waits, and the host scripts the resources need. Steps come
in a stable topological order: dependencies first, ties broken by the phase of the
step (zone, physical network, traffic types, providers, ... settings) and then by
step id, so the same input always gives the same plan, byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from specc.changes.differ import PARENT_FIELDS, Changeset, diff, is_enabled_flag
from specc.cloud.kinds import KINDS
from specc.cloud.kinds.base import Kind, norm_scalar
from specc.cloud.state import LiveState
from specc.core.steps import (
    ApiCall,
    Change,
    Concat,
    HostScript,
    Param,
    Plan,
    Ref,
    Step,
    Wait,
)
from specc.errors import PlanError
from specc.graph.build import build_desired
from specc.graph.resources import DesiredResource, ResourceId
from specc.planning.order import order_steps
from specc.spec.models import Spec
from specc.spec.sourcemap import SourceMap

# The order of the plan: a step's phase breaks ties between ready steps.
PHASES: dict[str, int] = {
    "zone": 10,
    "physicalnetwork": 20,
    "traffictype": 30,
    "networkserviceprovider": 40,
    "enable:physicalnetwork": 50,
    "pod": 60,
    "storagenetworkiprange": 70,
    "vlaniprange": 70,
    "cluster": 80,
    "host": 100,
    "storagepool": 110,
    "imagestore": 120,
    "enable:zone": 130,
    "diskoffering": 140,
    "serviceoffering": 140,
    "template": 150,
    "iso": 150,
    "hostha": 160,
    "configuration": 170,
}
DELETE_PHASE = 1000
VR_PROVIDERS = ("VirtualRouter", "VpcVirtualRouter")
FORCED_DELETE = ("deleteStoragePool", "deleteHost", "deleteTemplate")
# Replacing a range: the old one must go first (the new one overlaps it).
DELETE_FIRST = ("storagenetworkiprange", "vlaniprange")


class _Compiler:
    """Turns a Changeset into steps; holds the lookups while doing so."""

    def __init__(
        self, desired: Mapping[ResourceId, DesiredResource], live: LiveState, cs: Changeset
    ) -> None:
        self.desired = desired
        self.live = live
        self.cs = cs
        self.steps: dict[str, Step] = {}
        self.phase: dict[str, tuple[int, int, str, int]] = {}
        self.created: set[ResourceId] = set()
        self.notes: list[str] = []
        self.ostypes = {
            str(o.get("description") or o.get("name")): str(o["id"])
            for o in live.items("ostype")
            if "id" in o
        }
        self.zone_ids = {
            str(z["name"]): str(z["id"]) for z in live.items("zone") if "id" in z and "name" in z
        }

    # --- helpers ---------------------------------------------------------------

    def add(self, step: Step, phase: int, sub: int = 1) -> str:
        self.steps[step.id] = step
        self.phase[step.id] = (phase, sub, step.id, 1)
        return step.id

    def ref_or_id(self, rid: ResourceId) -> Param:
        """A parent's id: its live id, or a Ref to the step that creates it."""
        if rid in self.created or rid not in self.cs.live_ids:
            return Ref(f"create:{rid}")
        return self.cs.live_ids[rid]

    def deps_of(self, params: Mapping[str, Param]) -> tuple[str, ...]:
        found: set[str] = set()
        for value in params.values():
            parts = value.parts if isinstance(value, Concat) else (value,)
            found.update(p.step for p in parts if isinstance(p, Ref))
        return tuple(sorted(found))

    def call(
        self,
        step_id: str,
        resource: ResourceId,
        command: str,
        params: dict[str, Param],
        is_async: bool,
        phase: int,
        *,
        description: str,
        outputs: Mapping[str, str] | None = None,
        after: Iterable[str] = (),
        sub: int = 1,
    ) -> str:
        deps = tuple(sorted(set(self.deps_of(params)) | set(after)))
        step = ApiCall(
            id=step_id,
            resource=resource,
            command=command,
            params=dict(sorted(params.items())),
            is_async=is_async,
            outputs=dict(outputs or {}),
            depends_on=deps,
            description=description,
        )
        return self.add(step, phase, sub)

    def zone_list(self, names: str | None) -> Param:
        """Offering zones (comma-joined names) as ids: literal, or refs joined by commas."""
        if not names:
            return "all"
        parts: list[str | Ref] = []
        for i, name in enumerate(names.split(",")):
            if i:
                parts.append(",")
            value = self.ref_or_id(ResourceId("zone", (name,)))
            parts.append(value if isinstance(value, Ref) else str(value))
        if all(isinstance(p, str) for p in parts):
            return "".join(str(p) for p in parts)
        if len(parts) == 1:
            return parts[0]
        return Concat(tuple(parts))

    def ostype(self, name: str) -> Param:
        if name in self.ostypes:
            return self.ostypes[name]
        if self.ostypes:
            raise PlanError(
                f"OS type {name!r} is not known to the live cloud",
                hint="use a name listOsTypes shows (its description)",
            )
        step_id = f"lookup:ostype:{name}"
        if step_id not in self.steps:
            self.call(
                step_id,
                # A name may hold "/" ("Debian GNU/Linux 12"): the id is the one the
                # plan file's text reads back as, so a loaded plan equals the plan made.
                ResourceId.parse(f"ostype:{name}"),
                "listOsTypes",
                {"description": name},
                False,
                5,
                description=f"Look up the id of OS type {name}",
                outputs={"id": "id"},
            )
        return Ref(step_id)

    def param_value(self, kind: Kind, name: str, value: Any) -> tuple[str, Param] | None:
        """The (param, value) for attr *name* on create, or None to leave it out."""
        if name.startswith("_") or value is None:
            return None
        try:
            spec = kind.field(name)
        except KeyError:
            return (name, value)
        if spec.create is None:
            return None
        if name == "zones":
            return (spec.create, self.zone_list(value))
        if name == "ostype":
            return (spec.create, self.ostype(str(value)))
        return (spec.create, value)

    # --- per change --------------------------------------------------------------

    def create(self, res: DesiredResource, change: Change) -> None:
        kind = KINDS[res.id.kind]
        rid = change.resource
        if kind.create_command is None:
            return
        params: dict[str, Param] = {}
        for name, value in res.attrs.items():
            pv = self.param_value(kind, name, value)
            if pv is not None:
                params[pv[0]] = pv[1]
        for param, parent in res.parents.items():
            params[param] = self.ref_or_id(parent)
        if kind.name == "zone":
            params["allocationstate"] = "Disabled"
        if kind.name in ("template", "iso") and "zoneid" not in params:
            params["zoneid"] = "-1"
        if kind.name == "hostha":
            self.hostha(res, rid, params["hostid"], provider=True, enable=True)
            return
        if kind.name == "host":
            self.host_note(rid, params)
        self.created.add(rid)
        step = self.call(
            f"create:{rid}",
            rid,
            kind.create_command,
            params,
            kind.create_async,
            PHASES[kind.name],
            description=f"Create {kind.name} {'/'.join(res.id.key)}",
            outputs={"id": "id"},
        )
        if kind.name == "zone" and res.attrs.get("allocationstate") == "Enabled":
            self.allocation(rid, Ref(step), "Enabled")
        if kind.name == "physicalnetwork" and res.attrs.get("state") == "Enabled":
            self.enable_physnet(rid, Ref(step))
        if kind.name in ("template", "iso") and res.attrs.get("_wait_ready"):
            self.wait_ready(res, rid, kind, step)

    def host_note(self, rid: ResourceId, params: dict[str, Param]) -> None:
        """Note what addHost needs from the operator for this host's hypervisor.

        KVM hosts are added with a username only: the management server logs in with
        its own SSH key. XenServer hosts need a password; VMware hosts come through
        vCenter, so neither note applies to them.
        """
        hypervisor = str(params.get("hypervisor", ""))
        if hypervisor.lower() == "kvm":
            self.notes.append(
                f"{rid}: KVM host; the management server's public SSH key must be in the "
                "host's authorized_keys (addHost logs in with it)"
            )
        elif hypervisor.lower() == "xenserver" and "password" not in params:
            self.notes.append(
                f"{rid}: no password; CloudStack's addHost needs a username and password for "
                f"{hypervisor} hosts (set the host's password in the spec)"
            )

    def allocation(self, rid: ResourceId, zone_id: Param, state: str) -> None:
        action = "enable" if state == "Enabled" else "disable"
        self.call(
            f"{action}:{rid}",
            rid,
            "updateZone",
            {"id": zone_id, "allocationstate": state},
            False,
            PHASES["enable:zone"],
            description=f"{action.title()} zone {'/'.join(rid.key)}",
        )

    def enable_physnet(self, rid: ResourceId, pn_id: Param) -> None:
        self.call(
            f"enable:{rid}",
            rid,
            "updatePhysicalNetwork",
            {"id": pn_id, "state": "Enabled"},
            True,
            PHASES["enable:physicalnetwork"],
            description=f"Enable physical network {'/'.join(rid.key)}",
        )

    def wait_ready(self, res: DesiredResource, rid: ResourceId, kind: Kind, step: str) -> None:
        params: dict[str, Param] = {"id": Ref(step)}
        if kind.name == "template":
            params["templatefilter"] = "all"
        else:
            params["isofilter"] = "all"
        if "zoneid" in res.parents:
            params["zoneid"] = self.ref_or_id(res.parents["zoneid"])
        wait = Wait(
            id=f"wait:{rid}",
            resource=rid,
            command=kind.list_command,
            params=params,
            field="isready",
            equals=True,
            depends_on=(step,),
            description=f"Wait until {kind.name} {res.id.key[0]} is Ready",
        )
        self.add(wait, PHASES[kind.name], 2)

    def hostha(
        self, res: DesiredResource, rid: ResourceId, host_id: Param, *, provider: bool, enable: bool
    ) -> None:
        after: list[str] = []
        if provider:
            after.append(
                self.call(
                    f"configure:{rid}",
                    rid,
                    "configureHAForHost",
                    {"hostid": host_id, "provider": str(res.attrs["provider"])},
                    True,
                    PHASES["hostha"],
                    description=f"Configure HA for host {res.id.key[-1]}",
                )
            )
        if enable:
            self.call(
                f"enable:{rid}",
                rid,
                "enableHAForHost",
                {"hostid": host_id},
                True,
                PHASES["hostha"],
                description=f"Enable HA for host {res.id.key[-1]}",
                after=after,
            )

    def provider(self, res: DesiredResource, change: Change) -> None:
        """Enable a network service provider (and its virtual router element)."""
        rid = change.resource
        name = str(res.attrs["name"])
        phase = PHASES["networkserviceprovider"]
        pn = res.parents["physicalnetworkid"]
        item = self.cs.live_items.get(rid)
        nsp_id: Param
        if item is not None and pn not in self.created:
            nsp_id = str(item["id"])
        else:
            nsp_id = Ref(
                self.call(
                    f"lookup:{rid}",
                    rid,
                    "listNetworkServiceProviders",
                    {"physicalnetworkid": self.ref_or_id(pn), "name": name},
                    False,
                    phase,
                    description=f"Look up provider {name} of {pn}",
                    outputs={"id": "id"},
                    sub=0,
                )
            )
        after: list[str] = []
        if name in VR_PROVIDERS:
            element = None
            if isinstance(nsp_id, str):
                element = next(
                    (
                        e
                        for e in self.live.items("virtualrouterelement")
                        if str(e.get("nspid")) == nsp_id
                    ),
                    None,
                )
            vre_id: Param
            if element is not None and is_enabled_flag(element.get("enabled")):
                vre_id = ""
            elif element is not None:
                vre_id = str(element["id"])
            else:
                vre_id = Ref(
                    self.call(
                        f"lookup:virtualrouterelement:{'/'.join(rid.key)}",
                        rid,
                        "listVirtualRouterElements",
                        {"nspid": nsp_id},
                        False,
                        phase,
                        description=f"Look up the virtual router element of {name}",
                        outputs={"id": "id"},
                        sub=0,
                    )
                )
            if vre_id != "":
                after.append(
                    self.call(
                        f"configure:virtualrouterelement:{'/'.join(rid.key)}",
                        rid,
                        "configureVirtualRouterElement",
                        {"id": vre_id, "enabled": True},
                        True,
                        phase,
                        description=f"Enable the virtual router element of {name}",
                    )
                )
        self.call(
            f"enable:{rid}",
            rid,
            "updateNetworkServiceProvider",
            {"id": nsp_id, "state": "Enabled"},
            True,
            phase,
            description=f"Enable provider {name} on {pn}",
            after=after,
        )

    def update(self, res: DesiredResource, change: Change) -> None:
        kind = KINDS[res.id.kind]
        rid = change.resource
        fields = {f.field: f for f in change.fields if f.mode == "update"}
        if kind.name == "networkserviceprovider":
            if "state" in fields:
                self.provider(res, change)
            return
        if kind.name == "configuration":
            value = norm_scalar(res.attrs["value"])
            self.call(
                f"update:{rid}",
                rid,
                "updateConfiguration",
                {"name": str(res.attrs["name"]), "value": str(value)},
                False,
                PHASES["configuration"],
                description=f"Set {res.attrs['name']} = {value}",
            )
            return
        live_id: Param = str(change.live_id)
        if kind.name == "hostha":
            self.hostha(
                res,
                rid,
                self.ref_or_id(res.parents["hostid"]),
                provider="provider" in fields,
                enable="haenable" in fields,
            )
            return
        if kind.name == "zone" and "allocationstate" in fields:
            self.allocation(rid, live_id, str(res.attrs["allocationstate"]))
            del fields["allocationstate"]
        if kind.name == "physicalnetwork" and "state" in fields:
            self.enable_physnet(rid, live_id)
            del fields["state"]
        grouped: dict[str, dict[str, Param]] = {}
        for name in sorted(fields):
            spec = kind.field(name)
            command = spec.via or kind.update_command
            if command is None or spec.update is None:
                continue
            new: Any = res.attrs.get(name)
            if name == "zones":
                new = self.zone_list(new)
            elif name == "ostype":
                new = self.ostype(str(new))
            elif new is None:
                new = ""
            grouped.setdefault(command, {"id": live_id})[spec.update] = new
        for command, params in sorted(grouped.items()):
            action = "update" if command == kind.update_command else "permissions"
            self.call(
                f"{action}:{rid}",
                rid,
                command,
                params,
                kind.update_async if command == kind.update_command else False,
                PHASES[kind.name],
                description=f"Update {kind.name} {'/'.join(res.id.key)}",
            )

    def delete(
        self, rid: ResourceId, live_id: str, *, force: bool, phase: int, after: Sequence[str] = ()
    ) -> str:
        kind = KINDS[rid.kind]
        assert kind.delete_command is not None
        params: dict[str, Param] = {"hostid" if kind.name == "hostha" else "id": live_id}
        if force and kind.delete_command in FORCED_DELETE:
            params["forced"] = True
        pre = self.maintenance(rid, kind.name, live_id, force=force, phase=phase)
        return self.call(
            f"delete:{rid}",
            rid,
            kind.delete_command,
            params,
            kind.delete_async,
            phase,
            description=f"Delete {kind.name} {'/'.join(rid.key)} ({live_id})",
            after=(*after, *pre),
        )

    def maintenance(
        self, rid: ResourceId, kind: str, live_id: str, *, force: bool, phase: int
    ) -> tuple[str, ...]:
        """The step that puts a pool or host into maintenance before its delete.

        CloudStack deletes a storage pool only from Maintenance (even forced), and a
        host only from Maintenance unless forced. Nothing is planned for an object the
        live state already shows in maintenance.
        """
        live = next((o for o in self.live.items(kind) if str(o.get("id")) == live_id), {})
        if kind == "storagepool" and live.get("state") != "Maintenance":
            command, what = "enableStorageMaintenance", "storage pool"
        elif kind == "host" and not force and live.get("resourcestate") != "Maintenance":
            command, what = "prepareHostForMaintenance", "host"
        else:
            return ()
        step = self.call(
            f"maintenance:{rid}",
            rid,
            command,
            {"id": live_id},
            True,
            phase,
            description=f"Put {what} {'/'.join(rid.key)} ({live_id}) into maintenance",
            sub=0,
        )
        return (step,)

    def replace(self, res: DesiredResource, change: Change) -> None:
        kind = KINDS[res.id.kind]
        old = str(change.live_id)
        if kind.name in DELETE_FIRST:
            gone = self.delete(change.resource, old, force=False, phase=PHASES[kind.name] - 1)
            self.create(res, change)
            step = self.steps[f"create:{change.resource}"]
            assert isinstance(step, ApiCall)
            self.steps[step.id] = ApiCall(
                **{**step.__dict__, "depends_on": (*step.depends_on, gone)}
            )
            return
        self.create(res, change)
        self.delete(
            change.resource,
            old,
            force=False,
            phase=DELETE_PHASE,
            after=(f"create:{change.resource}",),
        )


def _place_scripts(comp: _Compiler, scripts: Sequence[HostScript]) -> None:
    """Put each host script right before the steps of the resources that need it.

    A script also prepares its own host: when that host is being added, the script
    runs before ``addHost`` (CloudStack mounts the pools on a new host at once). A
    script none of whose resources has a step is left out, with a note.
    """
    by_resource: dict[str, list[str]] = {}
    for step_id, step in comp.steps.items():
        if isinstance(step, ApiCall | Wait):
            by_resource.setdefault(str(step.resource), []).append(step_id)
    hosts = {rid.key[-1]: str(rid) for rid in comp.desired if rid.kind == "host"}
    placed: dict[str, tuple[HostScript, list[str]]] = {}
    skipped: list[str] = []
    for script in scripts:
        needers = {s for r in script.needed_by for s in by_resource.get(r, [])}
        own = f"create:{hosts.get(script.host, '')}"
        if own in comp.steps:
            needers.add(own)
        if not needers:
            skipped.append(script.id)
            continue
        placed[script.id] = (script, sorted(needers))
    if skipped:
        comp.notes.append(
            f"{len(skipped)} host script(s) left out, nothing they prepare is created or "
            f"changed: {', '.join(sorted(skipped))}"
        )
    for script, ordered in placed.values():
        anchor = min(comp.phase[s] for s in ordered)
        deps = tuple(d for d in script.depends_on if d in comp.steps or d in placed)
        step = HostScript(**{**script.__dict__, "needed_by": tuple(ordered), "depends_on": deps})
        comp.steps[step.id] = step
        comp.phase[step.id] = (anchor[0], anchor[1], anchor[2], 0)
        for step_id in ordered:
            needer = comp.steps[step_id]
            new_deps = tuple(sorted({*needer.depends_on, script.id}))
            comp.steps[step_id] = type(needer)(**{**needer.__dict__, "depends_on": new_deps})


def compile_changes(
    desired: Mapping[ResourceId, DesiredResource],
    live: LiveState,
    cs: Changeset,
    *,
    force: bool = False,
    host_scripts: Sequence[HostScript] = (),
) -> tuple[tuple[Step, ...], tuple[str, ...]]:
    """The ordered steps (and compile notes) that carry out *cs*."""
    comp = _Compiler(desired, live, cs)
    order = {name: i for i, name in enumerate(KINDS)}
    for change in sorted(
        cs.changes, key=lambda c: (order.get(c.resource.kind, 99), str(c.resource))
    ):
        res = desired.get(change.resource)
        if change.action == "create" and res is not None:
            comp.create(res, change)
        elif change.action == "update" and res is not None:
            comp.update(res, change)
        elif change.action == "replace" and res is not None:
            comp.replace(res, change)
        elif change.action == "delete" and change.live_id is not None:
            kind = change.resource.kind
            comp.delete(
                change.resource,
                change.live_id,
                force=force,
                phase=DELETE_PHASE + 100 - order.get(kind, 0),
            )
    _children_first(comp)
    _place_scripts(comp, host_scripts)
    return order_steps(comp.steps, comp.phase), tuple(comp.notes)


def _children_first(comp: _Compiler) -> None:
    """Make each pruned parent's delete wait for its pruned children's deletes.

    CloudStack refuses deleteCluster while the cluster has hosts or pools (and a pod
    with clusters, a zone with pods): a pool or host goes before its cluster, a
    cluster before its pod, a pod before its zone.
    """
    deletes = {
        (change.resource.kind, change.live_id): f"delete:{change.resource}"
        for change in comp.cs.changes
        if change.action == "delete" and f"delete:{change.resource}" in comp.steps
    }
    waits: dict[str, set[str]] = {}
    for (kind, live_id), step_id in deletes.items():
        item = next((o for o in comp.live.items(kind) if str(o.get("id")) == live_id), {})
        for parent_kind, parent_field in PARENT_FIELDS.get(kind, ()):
            parent = deletes.get((parent_kind, str(item.get(parent_field))))
            if parent is not None:
                waits.setdefault(parent, set()).add(step_id)
    for parent, children in waits.items():
        step = comp.steps[parent]
        deps = tuple(sorted({*step.depends_on, *children}))
        comp.steps[parent] = type(step)(**{**step.__dict__, "depends_on": deps})


def _change_order(change: Change) -> tuple[int, str]:
    """Changes in the plan's phase order (zone first), then by resource id."""
    kinds = list(KINDS)
    kind = change.resource.kind
    return (kinds.index(kind) if kind in kinds else len(kinds), str(change.resource))


def assemble_plan(
    spec: Spec,
    desired: Mapping[ResourceId, DesiredResource],
    live: LiveState,
    cs: Changeset,
    *,
    spec_hash: str,
    force: bool = False,
    host_scripts: Sequence[HostScript] = (),
) -> Plan:
    """The compile stage: the Plan that carries out *cs* (pure: same input, same plan).

    Raises:
        PlanError: an unknown OS type, a dependency cycle.
    """
    steps, notes = compile_changes(desired, live, cs, force=force, host_scripts=host_scripts)
    offerings = [*spec.offerings.disk, *spec.offerings.compute]
    notes += tuple(
        f"offering {o.name}: domain {o.domain!r} is not applied yet (the offering is public)"
        for o in offerings
        if o.domain
    )
    return Plan(
        spec_hash=spec_hash,
        live_fingerprint=live.stable_fingerprint(),
        api_version=live.api_version,
        changes=tuple(sorted(cs.changes, key=_change_order)),
        steps=steps,
        notes=tuple(sorted({*cs.notes, *notes})),
        unmanaged=cs.unmanaged,
    )


def compile_plan(
    spec: Spec,
    live: LiveState,
    *,
    spec_hash: str,
    prune: bool = False,
    force: bool = False,
    host_scripts: Sequence[HostScript] = (),
    source_map: SourceMap | None = None,
) -> Plan:
    """Build, diff and compile *spec* against *live* (the stages of ``specc.plan``).

    Raises:
        PlanError: ambiguous live identity, an unknown OS type, a dependency cycle.
    """
    desired = build_desired(spec, source_map)
    cs = diff(desired, live, KINDS, prune=prune, force=force)
    return assemble_plan(
        spec, desired, live, cs, spec_hash=spec_hash, force=force, host_scripts=host_scripts
    )
