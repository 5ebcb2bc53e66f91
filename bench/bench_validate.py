"""Benchmark: time ``specc.spec.load`` on generated specs of 1,000 and 10,000 resources.

Run: ``python bench/bench_validate.py`` (add ``--profile`` for a cProfile of the 10k run).
Targets (issue 2): 10k resources under 2 s; the 10k/1k ratio at most 12.

A "resource" is one zone, pod, cluster, host, primary/secondary storage pool,
offering or template of the generated spec; hosts are the bulk.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

from specc.spec import load


def generate(resources: int) -> tuple[str, int]:
    """A valid NFS/KVM spec text with *resources* resources (at least ~400), and the count."""
    lines = [
        "# yaml-language-server: $schema=../schemas/specc-v1.schema.json",
        "version: 1",
        'cloudstack: {version: "4.18"}',
        "subnets:",
        "  - {name: mgmt, cidr: 10.0.0.0/8, role: management, gateway: 10.0.0.1}",
        "  - {name: public, cidr: 100.64.0.0/16, role: public, gateway: 100.64.0.1}",
        "backends:",
        "  - {name: nfs1, type: nfs, server: 10.0.0.5, export: /export/primary}",
        "  - {name: nfs2, type: nfs, server: 10.0.0.6, export: /export/secondary}",
        "zones:",
    ]
    clusters_per_pod, pods_per_zone, fixed = 4, 4, 40  # fixed: offerings and templates
    # about 16 hosts a cluster; the hosts are spread so the count is exactly *resources*
    zones = max(1, (resources - fixed) // 300)
    clusters = zones * pods_per_zone * clusters_per_pod
    hosts = resources - fixed - zones * (2 + pods_per_zone * (1 + 2 * clusters_per_pod))
    per_cluster = [hosts // clusters + (1 if i < hosts % clusters else 0) for i in range(clusters)]
    count = 0
    host_no = 0
    for z in range(zones):
        count += 2  # zone, secondary storage
        lines += [
            f"  - name: zone{z}",
            "    dns: [8.8.8.8]",
            "    internal_dns: [10.0.0.2]",
            "    physical_networks:",
            "      - name: phys",
            "        vlan_ranges: ['500-599']",
            "        traffic:",
            "          - {type: Management, labels: {kvm: cloudbr0}}",
            "          - {type: Guest, labels: {kvm: cloudbr1}}",
            "          - {type: Public, labels: {kvm: cloudbr1}}",
            "    public_ranges:",
            f"      - {{subnet: public, start: 100.64.{z}.10, end: 100.64.{z}.20}}",
            "    pods:",
        ]
        storage = []
        for p in range(pods_per_zone):
            count += 1
            base = (z * pods_per_zone + p) % 250
            lines += [
                f"      - name: pod{p}",
                "        subnet: mgmt",
                f"        start_ip: 10.{base}.0.10",
                f"        end_ip: 10.{base}.0.200",
                "        clusters:",
            ]
            for c in range(clusters_per_pod):
                count += 2  # cluster, its primary pool
                lines += [
                    f"          - name: p{p}c{c}",
                    "            hypervisor: KVM",
                    "            hosts:",
                ]
                for h in range(per_cluster[(z * pods_per_zone + p) * clusters_per_pod + c]):
                    count += 1
                    host_no += 1
                    lines += [
                        f"              - name: h{host_no}",
                        f"                address: 10.{base}.{1 + c}.{1 + h}",
                        "                os: el8",
                        "                tags: [fast]",
                        "                password: {env: HOST_PASSWORD}",
                    ]
                storage += [
                    f"      - name: ps-{p}-{c}",
                    "        backend: nfs1",
                    "        scope: cluster",
                    f"        pod: pod{p}",
                    f"        cluster: p{p}c{c}",
                    "        tags: [fast]",
                ]
        lines += ["    primary_storage:", *storage]
        lines += ["    secondary_storage:", "      - {name: sec, backend: nfs2}"]
    lines += ["offerings:", "  disk:"]
    for i in range(20):
        count += 1
        lines += [f"    - {{name: disk{i}, size_gb: {i + 1}, storage_tags: [fast]}}"]
    lines += ["  compute:"]
    for i in range(10):
        count += 1
        lines += [
            f"    - {{name: cpu{i}, cpu_number: {i + 1}, cpu_speed_mhz: 2000, memory_mb: 2048}}"
        ]
    lines += ["templates:"]
    for i in range(10):
        count += 1
        lines += [
            f"  - name: tpl{i}",
            f"    url: http://images.example.com/t{i}.qcow2",
            "    os_type: CentOS 8",
            "    format: QCOW2",
            "    hypervisor: KVM",
        ]
    return "\n".join(lines) + "\n", count


def time_load(path: Path, repeat: int = 5) -> tuple[float, int]:
    """Best wall time of *repeat* loads, and the number of diagnostics."""
    best = float("inf")
    n = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = load([path])
        best = min(best, time.perf_counter() - t0)
        n = len(result.diagnostics)
    return best, n


def main() -> None:
    """Generate both specs, time them, print the figures (and a profile with --profile)."""
    with tempfile.TemporaryDirectory() as tmp:
        figures = {}
        for size in (1_000, 10_000):
            text, count = generate(size)
            path = Path(tmp) / f"spec-{size}.yaml"
            path.write_text(text)
            seconds, ndiag = time_load(path)
            figures[size] = seconds
            print(
                f"{count:>6} resources  {len(text) / 1e6:5.2f} MB  load() {seconds:6.3f} s  "
                f"({ndiag} diagnostics)"
            )
        ratio = figures[10_000] / figures[1_000]
        print(f"10k/1k ratio {ratio:.1f}  (targets: 10k < 2 s, ratio <= 12)")
        if "--profile" in sys.argv:
            prof = cProfile.Profile()
            prof.runcall(load, [Path(tmp) / "spec-10000.yaml"])
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
