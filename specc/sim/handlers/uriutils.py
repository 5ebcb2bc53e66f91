"""The URL checks registerTemplate and registerIso run: ``UriUtils.validateUrl``.

apache/cloudstack ``utils/.../com/cloud/utils/UriUtils.java`` (4.18.2.5, 4.22.1.0),
called by ``HypervisorTemplateAdapter.prepare`` after ``TemplateAdapterBase.prepare``
with the template's format (an ISO's as ``ImageFormat.ISO.getFileExtension()``,
``iso``). It throws ``IllegalArgumentException``, which ``ApiServer.handleRequest``
answers with 431 (``PARAM_ERROR``):

- the scheme is http, https or file (``file://`` never gets here:
  ``TemplateAdapterBase.prepare`` refuses it first), else ``Unsupported scheme for
  url: <url>``;
- ``checkFormat`` matches the lower-cased URI path (decoded, no query) against
  ``SUPPORTED_EXTENSIONS_BY_FORMAT``: a path ending in another format's extension
  gives ``Please specify a valid URL. URL:<path> is an invalid for the format
  <format>``, one ending in no format's ``Please specify a valid <format>``.

Not modelled: resolving the host (``Unable to resolve <host>``, skippable since
4.20 by ``validate.url.is.resolvable.before.registering.template``) and refusing
loopback, link-local, multicast or IPv6 hosts, as the simulator resolves nothing;
and a format with no extension set (BAREMETAL, VDI, ZIP, DIR), on which the server's
``checkFormat`` fails with a NullPointerException (an internal error): those are
let through.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

COMPRESSION_FORMATS = ("zip", "bz2", "gz")
"""``UriUtils.COMPRESSION_FORMATS``."""


def build_extension_set(metalink: bool, *bases: str) -> frozenset[str]:
    """``UriUtils.buildExtensionSet``: ``.base``, ``.base.<compression>``, maybe ``.metalink``.

    >>> sorted(build_extension_set(False, "vhd"))
    ['.vhd', '.vhd.bz2', '.vhd.gz', '.vhd.zip']
    """
    found = {f".{b}" for b in bases}
    found |= {f".{b}.{c}" for b in bases for c in COMPRESSION_FORMATS}
    if metalink:
        found.add(".metalink")
    return frozenset(found)


SUPPORTED_EXTENSIONS_BY_FORMAT: dict[str, frozenset[str]] = {
    "vhd": build_extension_set(False, "vhd"),
    "vhdx": build_extension_set(False, "vhdx"),
    "qcow2": build_extension_set(True, "qcow2", "img"),
    "ova": build_extension_set(True, "ova"),
    "tar": build_extension_set(False, "tar"),
    "raw": build_extension_set(False, "img", "raw"),
    "vmdk": build_extension_set(False, "vmdk"),
    "iso": build_extension_set(True, "iso"),
}
"""``UriUtils.SUPPORTED_EXTENSIONS_BY_FORMAT``."""


def check_format(fmt: str, uripath: str) -> str | None:
    """``UriUtils.checkFormat``: the exception's message, or None when the path fits.

    >>> check_format("QCOW2", "/debian/debian-12.qcow2.meta4")
    'Please specify a valid qcow2'
    >>> check_format("raw", "/a.qcow2")
    'Please specify a valid URL. URL:/a.qcow2 is an invalid for the format raw'
    >>> check_format("qcow2", "/mirrors/debian-12.metalink") is None
    True
    """
    extensions = SUPPORTED_EXTENSIONS_BY_FORMAT.get(fmt.lower())
    if extensions is None:
        return None  # the server fails with a NullPointerException here (not modelled)
    lower = uripath.lower()
    if any(lower.endswith(e) for e in extensions):
        return None
    if not any(lower.endswith(e) for exts in SUPPORTED_EXTENSIONS_BY_FORMAT.values() for e in exts):
        return f"Please specify a valid {fmt.lower()}"
    return f"Please specify a valid URL. URL:{uripath} is an invalid for the format {fmt.lower()}"


def validate_url(fmt: str | None, url: str) -> str | None:
    """``UriUtils.validateUrl(format, url)``: the exception's message, or None.

    >>> validate_url("qcow2", "ftp://mirror.example/a.qcow2")
    'Unsupported scheme for url: ftp://mirror.example/a.qcow2'
    >>> validate_url("iso", "https://mirror.example/boot.iso?token=1") is None
    True
    """
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https", "file"):
        return f"Unsupported scheme for url: {url}"
    if fmt is None:
        return None
    return check_format(fmt, unquote(parts.path))
