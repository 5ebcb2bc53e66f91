"""The server's checks of a setting's new value, per release.

Each function returns the server's complaint (the text of the 431 it answers) or
None. They port ``ConfigurationManagerImpl.validateConfigurationValue`` of
apache/cloudstack (``server/src/main/java/com/cloud/configuration/
ConfigurationManagerImpl.java``): the 4.18.2.5 method (parse, then the name sets,
then the ``Config`` enum's range) and the 4.22.1.0 rewrite (``validateValueType``,
then ``validateValueRange``). Neither release checks a Select/CSV setting's value
against its ``options``: the UI shows them as hints only.

The Java parsers are modelled by :func:`java_int` and :func:`java_float`.
"""

from __future__ import annotations

import ipaddress
import re

from specc.sim.settings import Registry, Setting

_INT = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(
    r"^[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)"
    r"|0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?\d+[fFdD]?)$"
)
FLOAT_MAX = 3.4028234663852886e38
DOMAIN_NAME = re.compile(r"^((?!-)[A-Za-z0-9-]{1,63}(?<!-)\.)+[A-Za-z]{1,63}$")
# Hypervisor.HypervisorType.getType: these names (any case); others are None.
HYPERVISORS = frozenset(
    {"xenserver", "kvm", "vmware", "hyperv", "virtualbox", "parallels", "baremetal"}
    | {"simulator", "ovm", "lxc", "ovm3"}
)
JAVA_CLASS = {
    "String": "java.lang.String",
    "Integer": "java.lang.Integer",
    "Long": "java.lang.Long",
    "Short": "java.lang.Short",
    "Float": "java.lang.Float",
    "Double": "java.lang.Double",
    "Boolean": "java.lang.Boolean",
    "Character": "java.lang.Character",
}
INT_LIMITS = {"Integer": 31, "Long": 63, "Short": 15}
# UnmanagedVMsManager.ThreadsOnMSToImportVMwareVMFiles / ThreadsOnKVMHostToImportVMwareVMFiles
IMPORT_THREADS = frozenset(
    {"threads.on.ms.to.import.vmware.vm.files", "threads.on.kvm.host.to.import.vmware.vm.files"}
)
SPECIAL_INT = {  # configValuesForValidation members with more than "positive"
    "vm.password.length": (6, None),
    "remote.access.vpn.psk.length": (8, 256),
    "vm.userdata.max.length": (None, 1048576),
}


def java_int(text: str | None, java_type: str = "Integer") -> int | None:
    """``Integer.parseInt`` (``Long.parseLong``, ``Short.parseShort``): the value or None.

    >>> java_int("+12"), java_int(" 12"), java_int("2147483648"), java_int("2147483648", "Long")
    (12, None, None, 2147483648)
    """
    if text is None or not _INT.match(text):
        return None
    value = int(text)
    bits = INT_LIMITS.get(java_type, 31)
    return value if -(2**bits) <= value < 2**bits else None


def java_float(text: str | None, java_type: str = "Float") -> float | None:
    """``Float.parseFloat`` (``Double.parseDouble``): the value or None.

    Java trims the text, takes a ``f``/``d`` suffix, ``NaN``, ``Infinity`` and hex
    floats; a float beyond its range is infinite, not an error.

    >>> java_float(" 2.5f "), java_float("1e39"), java_float("1e39", "Double"), java_float("x")
    (2.5, inf, 1e+39, None)
    """
    if text is None:
        return None
    body = text.strip()
    if not _FLOAT.match(body):
        return None
    core = body.rstrip("fFdD")  # a suffix; a hex mantissa ends in its exponent's digits
    number = float.fromhex(core) if "x" in core.lower() else float(core)
    if java_type == "Float" and abs(number) > FLOAT_MAX and number == number:
        return float("inf") if number > 0 else float("-inf")
    return number


def _java(value: str | None) -> str:
    """A value as Java's string concatenation prints it (``null`` for None)."""
    return "null" if value is None else value


def _site_local(value: str) -> bool:
    """``NetUtils.isSiteLocalAddress``: an address in 10/8, 172.16/12 or 192.168/16."""
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    nets = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
    return address.version == 4 and any(address in ipaddress.ip_network(n) for n in nets)


def _range_item(name: str, value: str, item: str) -> str | None:
    """One ``Config`` range item's complaint (``validateIfStringValueIsInRange``)."""
    if item == "privateip":
        return None if _site_local(value) else "a valid site local IP address"
    if item == "hypervisorList":
        ok = all(h.lower() in HYPERVISORS for h in value.split(","))
        return None if ok else "a valid hypervisor type"
    if item == "instanceName":
        if any(ch in value for ch in "- +"):
            return (
                "a valid instance name (instance names cannot contain hyphens, spaces or "
                "plus signs)"
            )
        return None
    if item == "domainName":
        domain = value[2:] if value.startswith("*") else value
        ok = len(domain) < 238 and DOMAIN_NAME.match(domain) is not None
        return None if ok else "a valid domain name"
    if any(option.strip().lower() == value.lower() for option in item.split(",")):
        return None
    return f"a valid value for this configuration (Options are: [{item}])"


def check_range(setting: Setting, value: str) -> str | None:
    """The ``Config`` enum range check, common to 4.18 and 4.22.

    ``validateIfIntValueIsInRange`` for an Integer (``min-max`` of the first item),
    ``validateIfStringValueIsInRange`` for a String (one item must accept it).
    """
    assert setting.range is not None
    items = setting.range.split(",")
    if setting.java_type == "Integer":
        low, _, high = items[0].partition("-")
        number = java_int(value)
        if number is None or not int(low) <= number <= int(high):
            return (
                "The provided value is not valid for this configuration. Please enter an "
                f"integer in the range: [{items[0]}]"
            )
        return None
    found: list[str] = []
    for item in items:
        problem = _range_item(setting.name, value, item)
        if problem is None:
            return None
        found.append(problem)
    if len(found) == 1:
        return f"The provided value is not {found[0]}."
    return f"The provided value is neither {' NOR '.join(found)}."


def ip_related(setting: Setting, value: str | None) -> str | None:
    """``validateIpAddressRelatedConfigValues``: ``.ip``/``.ipaddress``/``.iprange`` names.

    Only a ConfigDepot key of type String is checked: an IPv4 address, or for
    ``.iprange`` two joined by ``-``.
    """
    name = setting.name
    if not name.endswith((".ip", ".ipaddress", ".iprange")) or not value:
        return None
    if not setting.config_key or setting.java_type != "String":
        return None
    if name.endswith(".iprange"):
        parts = value.split("-")
        ok = len(parts) == 2 and all(_ipv4(p) for p in parts)
    else:
        ok = _ipv4(value)
    return None if ok else "Invalid IP address value(s) specified for the config value"


def _ipv4(text: str) -> bool:
    try:
        return ipaddress.ip_address(text).version == 4
    except ValueError:
        return False


def scope_problem(setting: Setting, scope: str | None, account_for_domain: bool) -> str | None:
    """The scope check: a value at a scope the setting does not have is refused.

    A Domain value of an Account setting is accepted when
    ``enable.account.settings.for.domain`` is true (``ENABLE_ACCOUNT_SETTINGS_FOR_DOMAIN``).
    """
    if scope is None or setting.has_scope(scope):
        return None
    if account_for_domain and scope == "Domain" and setting.has_scope("Account"):
        return None
    return f"Invalid scope id provided for the parameter {setting.name}"


def check_418(reg: Registry, setting: Setting, value: str | None) -> str | None:
    """4.18.2.5 ``validateConfigurationValue``, after its row and scope checks."""
    name, java_type = setting.name, setting.java_type
    if java_type is None:
        return None  # neither in Config nor in ConfigDepot: not validated
    word = {"Integer": "integer", "Float": "float", "Long": "long"}.get(java_type)
    if word is not None:
        parsed = java_float(value) if java_type == "Float" else java_int(value, java_type)
        if parsed is None:
            return (
                f"There was error in trying to parse value: {_java(value)}. Please enter a valid "
                f"{word} value for parameter {name}"
            )
    overprov = reg.in_set("overprovisioningFactorsForValidation", name)
    if value is None:
        if java_type == "Boolean":
            return "Please enter either 'true' or 'false'."
        return f"value cannot be null for the parameter {name}" if overprov else None
    value = value.strip()
    if overprov:
        factor = java_float(value)
        if factor is None:
            return f"There was an error trying to parse the float value for: {name}"
        if factor <= 0:
            return f"{name} should be greater than 0"
    if java_type == "Boolean":
        return None if value in ("true", "false") else "Please enter either 'true' or 'false'."
    if java_type == "Integer":
        number = java_int(value)
        assert number is not None  # parsed above
        if reg.in_set("macIdentifier", name) and not 0 <= number <= 255:
            return f"{name} value should be between 0 and 255. 0 value will disable this feature"
        positive = reg.in_set("configValuesForValidation", name)
        if positive and (problem := _positive_418(name, number)) is not None:
            return problem
    if java_type == "Float" and reg.in_set("weightBasedParametersForValidation", name):
        weight = java_float(value)
        if weight is None or not 0 <= weight <= 1:
            return f"Please enter a value between 0 and 1 for the configuration parameter: {name}"
    if not setting.config_enum or setting.range is None:
        return None  # "range validation has to be done per case basis"
    if java_type not in ("String", "Integer"):
        return f"Invalid value for configuration [{name}]."
    return check_range(setting, value)


def _positive_418(name: str, number: int) -> str | None:
    if number <= 0:
        return f"Please enter a positive value for the configuration parameter:{name}"
    low, high = SPECIAL_INT.get(name, (None, None))
    if low is not None and number < low:
        return f"Please enter a value greater than {low - 1} for the configuration parameter:{name}"
    if high is not None and number > high:
        bound = high if name == "vm.userdata.max.length" else high + 1
        return f"Please enter a value less than {bound} for the configuration parameter:{name}"
    return None


def valid_type_422(java_type: str, value: str | None) -> bool:
    """4.22.1.0 ``validateValueType``: text for String, exact ``true``/``false``, numbers."""
    if java_type in ("String", "Character"):
        return True
    if value is None:
        return False
    if java_type == "Boolean":
        return value in ("true", "false")
    if java_type in INT_LIMITS:
        return java_int(value, java_type) is not None
    if java_type in ("Float", "Double"):
        number = java_float(value, java_type)
        return number is not None and number not in (float("inf"), float("-inf"))
    return False


def check_422(reg: Registry, setting: Setting, value: str | None) -> str | None:
    """4.22.1.0 ``validateConfigurationValue``, after its row and scope checks."""
    name, java_type = setting.name, setting.java_type
    if java_type is None:
        return None
    if not valid_type_422(java_type, value):
        java_class = JAVA_CLASS.get(java_type, java_type)
        return f"Value [{_java(value)}] is not a valid [class {java_class}]."
    assert value is not None or java_type in ("String", "Character")
    if java_type == "Float" and value is not None:
        number = java_float(value) or 0.0
        if reg.in_set("overprovisioningFactorsForValidation", name) and number <= 0:
            return f"Value for configuration [{name}] should be greater than 0."
        if reg.in_set("weightBasedParametersForValidation", name) and not 0 <= number <= 1:
            return (
                f"Please enter a value between 0 and 1 for the configuration parameter: [{name}]."
            )
    if java_type == "Integer" and value is not None:
        problem = _int_range_422(reg, name, java_int(value) or 0)
        if problem is not None:
            return problem
    if java_type == "String" and name == "secstorage.allowed.internal.sites" and value:
        for cidr in value.split(","):
            if not _cidr_or_ip(cidr):
                return f"Invalid CIDR {cidr} value specified for the config {name}."
    if (problem := ip_related(setting, value)) is not None:
        return problem
    if value is None or not setting.config_enum or setting.range is None:
        return None
    return check_range(setting, value)


def _int_range_422(reg: Registry, name: str, number: int) -> str | None:
    if reg.in_set("macIdentifier", name) and not 0 <= number <= 255:
        return f"[{name}] value should be between 0 and 255. 0 value will disable this feature."
    if name in IMPORT_THREADS:
        if not -1 <= number <= 10:
            return (
                "Please enter a value between -1 and 10 for the configuration parameter: "
                f"[{name}]. -1 will disable it."
            )
        return None
    if not reg.in_set("configValuesForValidation", name):
        return None
    if number <= 0:
        return f"Please enter a positive value for the configuration parameter: [{name}]."
    if name == "vm.password.length" and number < 6:
        return f"Please enter a value greater than 5 for the configuration parameter: [{name}]."
    if name == "remote.access.vpn.psk.length" and not 8 <= number <= 256:
        return (
            "Please enter a value greater than 7 and less than 257 for the configuration "
            f"parameter: [{name}]."
        )
    if name == "vm.userdata.max.length" and number > 1048576:
        return f"Please enter a value less than 1048577 for the configuration parameter: [{name}]."
    return None


def _cidr_or_ip(text: str) -> bool:
    """``NetUtils.isValidIp4``/``isValidIp6`` or a clean IPv4 CIDR (``getCleanIp4Cidr``)."""
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        pass
    try:
        net = ipaddress.IPv4Network(text, strict=True)
    except ValueError:
        return False
    return str(net) == text


def check_value(
    reg: Registry, setting: Setting, value: str | None, scope: str | None, account_for_domain: bool
) -> str | None:
    """The server's complaint about *value* for *setting* at *scope* (None: accepted).

    The release's ``validateConfigurationValue``: the row must be persisted, the
    scope one the setting has, then the value checks of 4.18.2.5 or 4.22.1.0.
    """
    if not setting.persisted:
        return "Invalid configuration variable."
    if (problem := scope_problem(setting, scope, account_for_domain)) is not None:
        return problem
    if reg.release.startswith("4.18."):
        return check_418(reg, setting, value)
    return check_422(reg, setting, value)
