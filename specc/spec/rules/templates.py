"""Templates and ISOs (SPC37x): direct download, checksums, formats, hypervisors.

Direct download (since CloudStack 4.11.1) is done by the KVM agent, so it is for KVM
templates only, and an ISO with it needs KVM hosts in its zones. Metalinks are a
direct-download feature. Checksums are what the host validates after download.
"""

from __future__ import annotations

from collections.abc import Iterator

from specc.errors import Severity
from specc.spec.models import Spec, Zone
from specc.spec.rules import Finding, JsonPath, Rule
from specc.spec.rules.topology import version_tuple

E = Severity.ERROR
W = Severity.WARNING

DIRECT_DOWNLOAD_SINCE = (4, 11, 1)

FORMATS: dict[str, frozenset[str]] = {
    "KVM": frozenset({"QCOW2", "RAW"}),
    "VMware": frozenset({"OVA"}),
    "XenServer": frozenset({"VHD"}),
    "Simulator": frozenset({"QCOW2", "RAW", "VHD", "VHDX", "OVA", "ISO", "TAR"}),
}
"""Template formats each hypervisor can boot (registerTemplate rejects the others)."""


def _zones_of(spec: Spec, names: list[str]) -> list[Zone]:
    if not names:
        return list(spec.zones)
    return [z for z in spec.zones if z.name in set(names)]


def _hypervisors(zone: Zone) -> set[str]:
    return {c.hypervisor for p in zone.pods for c in p.clusters}


def _images(spec: Spec) -> Iterator[tuple[str, str, JsonPath]]:
    """(label, kind, path) for every template and ISO."""
    for i, t in enumerate(spec.templates):
        yield f"template '{t.name}'", "template", ("templates", i)
    for i, iso in enumerate(spec.isos):
        yield f"ISO '{iso.name}'", "iso", ("isos", i)


def direct_download_kvm_template(spec: Spec) -> Iterator[Finding]:
    """SPC370: a direct-download template is a KVM template."""
    for i, t in enumerate(spec.templates):
        if t.direct_download and t.hypervisor != "KVM":
            yield Finding(
                "SPC370",
                E,
                ("templates", i, "direct_download"),
                f"template '{t.name}' uses direct download but its hypervisor is {t.hypervisor}",
                "Direct download is done by the KVM agent: use it for KVM templates only.",
            )


def direct_download_iso_zone(spec: Spec) -> Iterator[Finding]:
    """SPC371: a direct-download ISO is registered only in zones with KVM clusters."""
    for i, iso in enumerate(spec.isos):
        if not iso.direct_download:
            continue
        for zone in _zones_of(spec, iso.zones):
            if "KVM" not in _hypervisors(zone):
                yield Finding(
                    "SPC371",
                    E,
                    ("isos", i, "direct_download"),
                    f"ISO '{iso.name}' uses direct download, but zone '{zone.name}' has no KVM "
                    "cluster",
                    "Register it only in zones with KVM hosts, or drop direct_download.",
                )


def direct_download_version(spec: Spec) -> Iterator[Finding]:
    """SPC372: direct download needs CloudStack 4.11.1 or newer."""
    version = spec.cloudstack.version
    if version_tuple(version) >= DIRECT_DOWNLOAD_SINCE:
        return
    for i, t in enumerate(spec.templates):
        if t.direct_download:
            yield Finding(
                "SPC372",
                E,
                ("templates", i, "direct_download"),
                f"template '{t.name}' uses direct download, which CloudStack {version} lacks",
                "Direct download exists since 4.11.1; raise cloudstack.version or drop it.",
            )
    for i, iso in enumerate(spec.isos):
        if iso.direct_download:
            yield Finding(
                "SPC372",
                E,
                ("isos", i, "direct_download"),
                f"ISO '{iso.name}' uses direct download, which CloudStack {version} lacks",
                "Direct download exists since 4.11.1; raise cloudstack.version or drop it.",
            )


def metalink_needs_direct_download(spec: Spec) -> Iterator[Finding]:
    """SPC373: a metalink URL is used with direct download only."""
    for label, kind, path in _images(spec):
        image = spec.templates[int(path[1])] if kind == "template" else spec.isos[int(path[1])]
        if image.metalink and not image.direct_download:
            yield Finding(
                "SPC373",
                E,
                (*path, "metalink"),
                f"{label} has a metalink URL but does not use direct download",
                "Metalinks are read by the KVM agent during direct download; set "
                "direct_download: true or use a plain URL.",
            )


def direct_download_checksum(spec: Spec) -> Iterator[Finding]:
    """SPC374: a direct-download image carries a checksum (warning)."""
    for label, kind, path in _images(spec):
        image = spec.templates[int(path[1])] if kind == "template" else spec.isos[int(path[1])]
        if image.direct_download and image.checksum is None:
            yield Finding(
                "SPC374",
                W,
                (*path, "direct_download"),
                f"{label} uses direct download without a checksum",
                "Add a checksum: the host validates each download against it, and the "
                "operator is responsible for the URL's content never changing.",
            )


CHECKSUM_HEX_LENGTH = {"md5": 32, "sha1": 40, "sha256": 64, "sha384": 96, "sha512": 128}


def checksum_length(spec: Spec) -> Iterator[Finding]:
    """SPC377: a checksum has the length its algorithm produces."""
    for label, kind, path in _images(spec):
        image = spec.templates[int(path[1])] if kind == "template" else spec.isos[int(path[1])]
        checksum = image.checksum
        if checksum is None:
            continue
        want = CHECKSUM_HEX_LENGTH[checksum.algorithm]
        if len(checksum.value) != want:
            yield Finding(
                "SPC377",
                E,
                (*path, "checksum", "value"),
                f"{label} has a {checksum.algorithm} checksum of {len(checksum.value)} hex "
                f"digits; {checksum.algorithm} has {want}",
                "Fix the value or the algorithm: the host would reject every download.",
            )


def template_format(spec: Spec) -> Iterator[Finding]:
    """SPC375: a template's format suits its hypervisor."""
    for i, t in enumerate(spec.templates):
        allowed = FORMATS[t.hypervisor]
        if t.format not in allowed:
            yield Finding(
                "SPC375",
                E,
                ("templates", i, "format"),
                f"template '{t.name}' is {t.format}, which {t.hypervisor} cannot use",
                f"Use {' or '.join(sorted(allowed))} for {t.hypervisor}.",
            )


def template_hypervisor_in_zone(spec: Spec) -> Iterator[Finding]:
    """SPC376: a template's hypervisor has a cluster in the zones it names (warning)."""
    for i, t in enumerate(spec.templates):
        if not t.zones:
            if spec.zones and not any(t.hypervisor in _hypervisors(z) for z in spec.zones):
                yield Finding(
                    "SPC376",
                    W,
                    ("templates", i, "hypervisor"),
                    f"template '{t.name}' is for {t.hypervisor}, but no zone has a "
                    f"{t.hypervisor} cluster",
                    "Check the hypervisor, or add the cluster that will run it.",
                )
            continue
        for zone in _zones_of(spec, t.zones):
            if zone.pods and t.hypervisor not in _hypervisors(zone):
                yield Finding(
                    "SPC376",
                    W,
                    ("templates", i, "hypervisor"),
                    f"template '{t.name}' is for {t.hypervisor}, but zone '{zone.name}' has "
                    f"no {t.hypervisor} cluster",
                    "Limit the template's zones to those that can run it.",
                )


RULES: tuple[Rule, ...] = (
    direct_download_kvm_template,
    direct_download_iso_zone,
    direct_download_version,
    metalink_needs_direct_download,
    direct_download_checksum,
    checksum_length,
    template_format,
    template_hypervisor_in_zone,
)
