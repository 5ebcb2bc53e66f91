"""Reviewable plans through the CLI: attributes of creates, grouped notes (issue 14, point 4).

The console script plans examples/nfs-baseline.yaml against a fresh embedded
simulator, as a reviewer would, in text and markdown.
"""

from __future__ import annotations

from pathlib import Path

from review_helpers import NFS, SECRET, specc


def _block(text: str, head: str) -> list[str]:
    """The indented lines under the line *head* of a text plan."""
    lines = text.splitlines()
    start = lines.index(head)
    out = []
    for line in lines[start + 1 :]:
        if not line.startswith("      "):
            break
        out.append(line.strip())
    return out


def test_text_plan_shows_what_each_create_sends_with_secrets_masked(tmp_path: Path) -> None:
    run = specc("plan", NFS, "--sim", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    zone = _block(run.stdout, "  + create zone:zone1")
    assert 'name: "zone1"' in zone
    assert 'networktype: "Advanced"' in zone
    # created Disabled, then enabled after its storage: the final value is shown
    assert 'allocationstate: "Enabled"' in zone
    host = _block(run.stdout, "  + create host:zone1/pod1/kvm1/kvm1-h1")
    assert "password: (secret env:KVM_ROOT_PASSWORD)" in host
    assert "clusterid: (id of cluster:zone1/pod1/kvm1, known after apply)" in host
    assert SECRET not in run.stdout
    # an update still shows before -> after
    assert _block(run.stdout, "  ~ update configuration:expunge.delay")[0] == (
        'value: "86400" -> "3600"'
    )


def test_notes_repeated_per_host_are_one_line(tmp_path: Path) -> None:
    run = specc("plan", NFS, "--sim", cwd=tmp_path)
    notes = [line for line in run.stdout.splitlines() if "authorized_keys" in line]
    assert notes == [
        "  - 3 hosts (kvm1-h1, kvm1-h2, kvm1-h3): KVM host; the management server's public "
        "SSH key must be in the host's authorized_keys (addHost logs in with it)"
    ]


def test_markdown_plan_has_attributes_in_the_details_column(tmp_path: Path) -> None:
    run = specc("plan", NFS, "--sim", "--format", "markdown", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    row = next(line for line in run.stdout.splitlines() if "`zone:zone1`" in line)
    assert '`name: "zone1"`' in row and "<br>" in row
    lines = run.stdout.splitlines()
    host = next(line for line in lines if "`host:zone1/pod1/kvm1/kvm1-h1`" in line)
    assert "`password: (secret env:KVM_ROOT_PASSWORD)`" in host
    assert SECRET not in run.stdout
    assert "3 hosts (kvm1-h1, kvm1-h2, kvm1-h3)" in run.stdout


def test_built_in_objects_are_folded_apart_after_an_apply(tmp_path: Path) -> None:
    """After an apply, CloudStack's own objects are no "Unmanaged" noise.

    The simulator starts with the default offerings of
    ConfigurationServerImpl.persistDefaultValues and the system templates, and adds a
    Storage traffic type when the zone is enabled (ConfigurationManagerImpl.editZone).
    """
    state = tmp_path / "sim.db"
    applied = specc("apply", NFS, "--sim", "--sim-state", state, "--auto-approve", cwd=tmp_path)
    assert applied.returncode == 0, applied.stderr
    run = specc("plan", NFS, "--sim", "--sim-state", state, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "Unmanaged" not in run.stdout
    assert (
        "12 built-in objects (CloudStack's own, not managed): "
        "4 diskoffering, 2 serviceoffering, 5 template, 1 traffictype." in run.stdout
    )
    md = specc("plan", NFS, "--sim", "--sim-state", state, "--format", "markdown", cwd=tmp_path)
    assert "<details><summary>12 built-in objects" in md.stdout
    assert "- traffictype:zone1/physnet1/Storage (" in md.stdout
    assert "ConfigurationManagerImpl.editZone" in md.stdout
    drift = specc("drift", NFS, "--sim", "--sim-state", state, cwd=tmp_path)
    assert drift.returncode == 0, drift.stdout + drift.stderr
    assert "Unmanaged" not in drift.stdout
    assert "Built-in (CloudStack's own, not managed): 12" in drift.stdout
    # --prune never deletes them
    pruned = specc("plan", NFS, "--sim", "--sim-state", state, "--prune", cwd=tmp_path)
    assert "to destroy" in pruned.stdout and "0 to destroy" in pruned.stdout
