"""The server about itself: listApis, listCapabilities, queryAsyncJobResult, listAsyncJobs."""

from __future__ import annotations

from typing import Any

from specc.sim.dispatch import job_view
from specc.sim.handlers import REGISTRY, CommandSpec, Ctx, Param, command

JOB_KIND = "asyncjobs"


def _api_entry(spec: CommandSpec, api_version: str) -> dict[str, Any]:
    """One command as listApis describes it."""
    params = [
        {
            "name": p.name,
            "description": "",
            "type": p.type,
            "length": 255,
            "required": p.required,
            **({"since": p.since} if p.since else {}),
        }
        for p in spec.params_on(api_version)
    ]
    entry: dict[str, Any] = {
        "name": spec.name,
        "description": spec.description,
        "isasync": spec.is_async,
        "params": params,
        "response": [],
        "related": "",
    }
    if spec.since:
        entry["since"] = spec.since
    return entry


@command("listApis", item="api", params=[Param("name")])
def list_apis(ctx: Ctx) -> dict[str, Any]:
    """Lists all available apis on the server, provided by the Api Discovery plugin."""
    name = ctx.get("name")
    specs = REGISTRY.served(ctx.api_version)
    if name is not None:
        specs = [s for s in specs if s.name == name]
        if not specs:
            raise ctx.invalid(
                "Api Discovery plugin was unable to find an api by that name "
                f"or process any apis: {name}"
            )
    return {"count": len(specs), "api": [_api_entry(s, ctx.api_version) for s in specs]}


@command("listCapabilities")
def list_capabilities(ctx: Ctx) -> dict[str, Any]:
    """Lists capabilities."""
    return {
        "capability": {
            "securitygroupsenabled": False,
            "dynamicrolesenabled": True,
            "cloudstackversion": ctx.api_version,
            "userpublictemplateenabled": True,
            "supportELB": "false",
            "projectinviterequired": False,
            "allowusercreateprojects": True,
            "customdiskofferingminsize": 1,
            "customdiskofferingmaxsize": 1024,
            "regionsecondaryenabled": False,
            "kvmsnapshotenabled": False,
            "allowuserviewdestroyedvm": False,
            "allowuserexpungerecovervm": False,
            "allowuserexpungerecovervolume": False,
            "allowuserviewalldomainaccounts": False,
            "kubernetesserviceenabled": False,
            "kubernetesclusterexperimentalfeaturesenabled": False,
            "defaultuipagesize": 20,
            "instancesstatsretentiontime": 720,
            "instancesstatsuseronly": False,
            "instancesdisksstatsretentionenabled": False,
            "instancesdisksstatsretentiontime": 720,
            "apilimitinterval": 1,
            "apilimitmax": 0,
        }
    }


@command(
    "queryAsyncJobResult",
    params=[
        Param("jobid", "uuid", required=True, entity=JOB_KIND),
        Param("resourceid", since="4.22"),
        Param("resourcetype", since="4.22"),
    ],
)
def query_async_job_result(ctx: Ctx) -> dict[str, Any]:
    """Retrieves the current status of an asynchronous job."""
    return job_view(ctx.entity(JOB_KIND, ctx.params["jobid"], "jobid"))


@command(
    "listAsyncJobs",
    item="asyncjobs",
    params=[
        Param("account"),
        Param("domainid", "uuid"),
        Param("isrecursive", "boolean"),
        Param("keyword"),
        Param("listall", "boolean"),
        Param("managementserverid", "uuid", since="4.22"),
        Param("page", "integer"),
        Param("pagesize", "integer"),
        Param("resourceid", since="4.22"),
        Param("resourcetype", since="4.22"),
        Param("startdate", "date"),
    ],
)
def list_async_jobs(ctx: Ctx) -> dict[str, Any]:
    """Lists all pending asynchronous jobs for the account."""
    jobs = [job_view(j) for j in ctx.store.items(JOB_KIND)]
    return ctx.list_response(
        JOB_KIND,
        jobs,
        skip=("account", "domainid", "isrecursive", "startdate", "managementserverid"),
        fields={"resourceid": "jobinstanceid", "resourcetype": "jobinstancetype"},
    )
