#!/usr/bin/env python3
"""Sandbox stand-in for ``curl`` talking to a SolidFire Element JSON-RPC endpoint.

Reads curl's ``--config -`` from stdin (``user = "name:password"``), checks the
password against $SHIM_SF_PASSWORD, and serves the few Element methods the
by-hand SolidFire script uses, keeping the cluster in $SHIM_SHARED/solidfire.json.
Each call is logged to $SHIM_LOG as ``R curl <method>`` or ``M curl <method>``.
"""

import json
import os
import sys
from pathlib import Path


def main() -> int:
    args = sys.argv[1:]
    body = args[args.index("--data") + 1]
    config = sys.stdin.read() if "--config" in args else ""
    req = json.loads(body)
    method, params = req["method"], req.get("params", {})
    user = config.split('"')[1] if '"' in config else ""
    state_file = Path(os.environ["SHIM_SHARED"]) / "solidfire.json"
    st = (
        json.loads(state_file.read_text())
        if state_file.exists()
        else {"accounts": [], "initiators": [], "volumes": [], "groups": [], "next": 1}
    )
    mode = "R" if method.startswith(("List", "Get")) else "M"
    with open(os.environ["SHIM_LOG"], "a") as log:
        log.write(f"{mode} curl {method}\n")
    if user != "admin:" + os.environ["SHIM_SF_PASSWORD"]:
        print(json.dumps({"error": {"code": 401, "message": "bad credentials"}, "id": 1}))
        return 0

    def new_id() -> int:
        st["next"] += 1
        return st["next"]

    res: dict = {}
    if method == "ListAccounts":
        res = {"accounts": st["accounts"]}
    elif method == "AddAccount":
        acc = {"accountID": new_id(), "username": params["username"]}
        st["accounts"].append(acc)
        res = {"accountID": acc["accountID"], "account": acc}
    elif method == "ListInitiators":
        res = {"initiators": [{"initiatorName": i} for i in st["initiators"]]}
    elif method == "CreateInitiators":
        st["initiators"] += [i["name"] for i in params["initiators"]]
        res = {"initiators": params["initiators"]}
    elif method == "ListVolumesForAccount":
        res = {"volumes": [v for v in st["volumes"] if v["accountID"] == params["accountID"]]}
    elif method == "CreateVolume":
        vid = new_id()
        st["volumes"].append(
            {
                "volumeID": vid,
                "name": params["name"],
                "accountID": params["accountID"],
                "totalSize": params["totalSize"],
                "status": "active",
                "qos": params["qos"],
                "iqn": f"iqn.2010-01.com.solidfire:shim.{params['name']}.{vid}",
            }
        )
        res = {"volumeID": vid}
    elif method == "ModifyVolume":
        for v in st["volumes"]:
            if v["volumeID"] == params["volumeID"]:
                v["qos"] = params["qos"]
    elif method == "ListVolumeAccessGroups":
        res = {"volumeAccessGroups": st["groups"]}
    elif method == "CreateVolumeAccessGroup":
        st["groups"].append(
            {
                "volumeAccessGroupID": new_id(),
                "name": params["name"],
                "initiators": params["initiators"],
                "volumes": params["volumes"],
            }
        )
    elif method == "AddInitiatorsToVolumeAccessGroup":
        for g in st["groups"]:
            if g["volumeAccessGroupID"] == params["volumeAccessGroupID"]:
                g["initiators"] += params["initiators"]
    elif method == "AddVolumesToVolumeAccessGroup":
        for g in st["groups"]:
            if g["volumeAccessGroupID"] == params["volumeAccessGroupID"]:
                g["volumes"] += params["volumes"]
    else:
        print(json.dumps({"error": {"code": 500, "message": f"unknown method {method}"}}))
        return 0
    state_file.write_text(json.dumps(st, indent=1, sort_keys=True))
    print(json.dumps({"result": res, "id": req.get("id", 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
