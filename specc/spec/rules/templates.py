"""Templates and ISOs (SPC37x): direct download, URLs, checksums, formats, hypervisors.

Direct download (since CloudStack 4.11) is done by the KVM agent, so it is for KVM
templates only, and an ISO with it needs KVM hosts in its zones. The server checks a
URL's file name against the image format (``UriUtils.checkFormat``) and reads a URL
as a metalink only when its path ends in ``.metalink``. Checksums are what the host
validates after download (``DigestHelper``).
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

from specc.errors import Severity
from specc.spec.models import Spec, Zone
from specc.spec.rules import Finding, JsonPath, Rule
from specc.spec.rules.topology import version_tuple

E = Severity.ERROR
W = Severity.WARNING

DIRECT_DOWNLOAD_SINCE = (4, 11)
"""apache/cloudstack 4.11.0.0 has ``directdownload`` on RegisterTemplateCmd and
RegisterIsoCmd (CLOUDSTACK-10146, #2379; the seed article announced it for 4.11.1)."""

COMPRESSION_FORMATS = ("zip", "bz2", "gz")
"""``UriUtils.COMPRESSION_FORMATS``: a compressed image may end in any of them."""

METALINK = ".metalink"
"""The suffix that makes a URL a metalink: ``UriUtils.buildExtensionSet(true, ...)``,
``DirectDownloadManagerImpl.getProtocolFromUrl`` and the SSVM's
``DownloadManagerImpl`` (``uri.getPath().endsWith(".metalink")``)."""


def _extensions(metalink: bool, *bases: str) -> frozenset[str]:
    """``UriUtils.buildExtensionSet``: each base, each base compressed, maybe .metalink."""
    found = {f".{b}" for b in bases} | {f".{b}.{c}" for b in bases for c in COMPRESSION_FORMATS}
    return frozenset(found | ({METALINK} if metalink else set()))


URL_EXTENSIONS: dict[str, frozenset[str]] = {
    "vhd": _extensions(False, "vhd"),
    "vhdx": _extensions(False, "vhdx"),
    "qcow2": _extensions(True, "qcow2", "img"),
    "ova": _extensions(True, "ova"),
    "tar": _extensions(False, "tar"),
    "raw": _extensions(False, "img", "raw"),
    "vmdk": _extensions(False, "vmdk"),
    "iso": _extensions(True, "iso"),
}
"""``UriUtils.SUPPORTED_EXTENSIONS_BY_FORMAT`` (4.18.2.5, 4.22.1.0): the endings a
URL path may have for each format (registerIso checks the ISO's as format iso)."""

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
    """SPC370: a direct-download template is a KVM template.

    ``RegisterTemplateCmd.validateParameters``: "Parameter directdownload is only
    allowed for KVM templates" (431).
    """
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
    """SPC371: a direct-download ISO is registered only in zones with KVM clusters.

    ``HypervisorTemplateAdapter.performDirectDownloadUrlValidation`` checks the URL
    from a running KVM host ("Couldn't find a host to validate URL ..." without one).
    """
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
    """SPC372: direct download needs CloudStack 4.11 or newer.

    The ``directdownload`` parameter of registerTemplate and registerIso arrived in
    apache/cloudstack 4.11.0.0 (:data:`DIRECT_DOWNLOAD_SINCE`).
    """
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
                "Direct download exists since 4.11; raise cloudstack.version or drop it.",
            )
    for i, iso in enumerate(spec.isos):
        if iso.direct_download:
            yield Finding(
                "SPC372",
                E,
                ("isos", i, "direct_download"),
                f"ISO '{iso.name}' uses direct download, which CloudStack {version} lacks",
                "Direct download exists since 4.11; raise cloudstack.version or drop it.",
            )


def _url_path(url: str) -> str:
    """The path of *url* as ``java.net.URI.getPath`` gives it (decoded, no query).

    >>> _url_path("https://h.example/a%20b/x.qcow2?sig=1")
    '/a b/x.qcow2'
    """
    return unquote(urlsplit(url).path)


def _image_format(kind: str, image: object) -> str:
    """The format name ``UriUtils.checkFormat`` is given: the template's, or iso."""
    return "iso" if kind == "iso" else str(getattr(image, "format", "")).lower()


def url_suffix_fits_format(spec: Spec) -> Iterator[Finding]:
    """SPC378: an image URL's file name ends in an extension of its format.

    ``HypervisorTemplateAdapter.prepare`` (after ``TemplateAdapterBase.prepare``) calls
    ``UriUtils.validateUrl(format, url)`` (for an ISO, format iso), whose
    ``checkFormat`` matches the lower-cased URL path against
    ``SUPPORTED_EXTENSIONS_BY_FORMAT``: no match refuses registerTemplate/registerIso
    with 431, "Please specify a valid URL. URL:<path> is an invalid for the format
    <format>" when the path ends in another format's extension, else "Please specify
    a valid <format>". A metalink is ``.metalink`` (qcow2, ova and iso only).
    """
    for label, kind, path in _images(spec):
        image = spec.templates[int(path[1])] if kind == "template" else spec.isos[int(path[1])]
        fmt = _image_format(kind, image)
        extensions = URL_EXTENSIONS.get(fmt)
        if extensions is None:
            continue
        uripath = _url_path(image.url)
        lower = uripath.lower()
        if any(lower.endswith(e) for e in extensions):
            continue
        other = any(lower.endswith(e) for exts in URL_EXTENSIONS.values() for e in exts)
        said = (
            f"Please specify a valid URL. URL:{uripath} is an invalid for the format {fmt}"
            if other
            else f"Please specify a valid {fmt}"
        )
        yield Finding(
            "SPC378",
            E,
            (*path, "url"),
            f"the URL of {label} does not end in an extension of format {fmt}: the server "
            f'answers "{said}"',
            f"A {fmt} URL ends in {', '.join(sorted(extensions))}.",
        )


def metalink_flag_matches_url(spec: Spec) -> Iterator[Finding]:
    """SPC379: ``metalink: true`` exactly when the URL path ends in ``.metalink``.

    The server takes a URL for a metalink by its path alone, case-sensitively:
    ``DirectDownloadManagerImpl.getProtocolFromUrl`` (direct download) and the SSVM's
    ``DownloadManagerImpl`` (``uri.getPath().endsWith(".metalink")``); any other URL
    is downloaded as the image itself. A metalink flag that disagrees with the URL
    says something the server will not do.
    """
    for label, kind, path in _images(spec):
        image = spec.templates[int(path[1])] if kind == "template" else spec.isos[int(path[1])]
        uripath = _url_path(image.url)
        if image.metalink and not uripath.endswith(METALINK):
            yield Finding(
                "SPC379",
                E,
                (*path, "metalink"),
                f"{label} says metalink but its URL path does not end in {METALINK}: the "
                "server downloads it as the image itself",
                f"Publish the metalink under a name ending in {METALINK} (lower case; "
                "a .meta4 or .metalink.xml name is not recognised), or drop metalink.",
            )
        elif not image.metalink and uripath.lower().endswith(METALINK):
            yield Finding(
                "SPC379",
                E,
                (*path, "url"),
                f"the URL of {label} ends in {METALINK}, which the server reads as a metalink, "
                "but the spec does not say metalink",
                "Set metalink: true.",
            )


def direct_download_checksum(spec: Spec) -> Iterator[Finding]:
    """SPC374: a direct-download image carries a checksum (warning).

    Advice from the seed article: the operator answers for the URL's content never
    changing, and the host checks a download against the checksum.
    """
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
"""``DigestHelper.getChecksumLengthsMap`` (MD5, SHA-1, SHA-256, SHA-384, SHA-512)."""


def checksum_length(spec: Spec) -> Iterator[Finding]:
    """SPC377: a checksum has the length its algorithm produces.

    ``DigestHelper.validateChecksumString`` (lengths from ``getChecksumLengthsMap``):
    "Checksum digest length should be N instead of M".
    """
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
    url_suffix_fits_format,
    metalink_flag_matches_url,
    direct_download_checksum,
    checksum_length,
    template_format,
    template_hypervisor_in_zone,
)
