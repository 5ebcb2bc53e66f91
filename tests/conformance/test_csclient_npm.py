"""A client nobody here wrote: the npm package ``csclient`` against ``specc sim serve``.

``csclient`` signs with ``signatureversion=3`` and an ``expires`` time (encoded by the
``qs`` package, not by Python), asks ``listApis`` with ``filter=name,isasync`` which
commands are async and polls ``queryAsyncJobResult`` itself. It is installed from the
npm registry into a cached throwaway folder (:mod:`toolenv`); the probe
(``csclient_probe.js``) lists zones, creates a zone and a physical network (an async
command) and lists them, and provokes a missing-parameter error.

(The PyPI SDK ``py-acs-sdk`` was the other candidate: every release requires
Python >= 3.12, and this project runs on 3.11.)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from simproc import serve
from toolenv import npm_env

PINS = ("csclient@0.6.4",)
PROBE = Path(__file__).with_name("csclient_probe.js")


def test_csclient_lists_and_creates_against_the_simulator() -> None:
    modules = npm_env("csclient", PINS) / "node_modules"
    node = shutil.which("node")
    assert node is not None, "node is not installed (.ci/run installs it)"
    with serve() as sim:
        proc = subprocess.run(
            [node, str(PROBE)],
            env={**os.environ, **sim.env, "NODE_PATH": str(modules)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        out = json.loads(proc.stdout)
        zones_via_cs = sim.client().listZones()["zone"]
    assert out["zonesBefore"] == {"listzonesresponse": {}}
    zone = out["zone"]["createzoneresponse"]["zone"]
    assert zone["name"] == "csclient zone" and zone["networktype"] == "Advanced"
    job = out["physicalNetworkJob"]
    assert job["jobstatus"] == 1
    created = job["jobresult"]["physicalnetwork"]
    assert created["vlan"] == "100-199" and created["zoneid"] == zone["id"]
    listed = out["physicalNetworks"]["listphysicalnetworksresponse"]
    assert listed["count"] == 1 and listed["physicalnetwork"][0]["id"] == created["id"]
    after = out["zonesAfter"]["listzonesresponse"]
    assert [z["id"] for z in after["zone"]] == [zone["id"]] == [z["id"] for z in zones_via_cs]
    assert out["missingParam"] == {
        "name": "CloudstackAPIError",
        "code": 431,
        "message": "Unable to execute API command createzone due to missing parameter dns1",
    }
