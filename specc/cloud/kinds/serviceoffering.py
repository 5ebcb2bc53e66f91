"""Kind ``serviceoffering``: ``createServiceOffering``, keyed by name.

CPU, memory, HA, root disk, QoS and rates are immutable (replace); display text,
host tags, storage tags and zones are updated in place.
"""

from __future__ import annotations

from specc.cloud.kinds._offering import common_fields, offering_key
from specc.cloud.kinds.base import FieldSpec, Kind, norm_bool_false, norm_csv, norm_int

KIND = Kind(
    name="serviceoffering",
    list_command="listServiceOfferings",
    create_command="createServiceOffering",
    create_async=False,
    update_command="updateServiceOffering",
    update_async=False,
    delete_command="deleteServiceOffering",
    delete_async=False,
    key=offering_key,
    fields=(
        FieldSpec("cpunumber", "cpunumber", None, "cpunumber", "4.18", norm_int, "replace"),
        FieldSpec("cpuspeed", "cpuspeed", None, "cpuspeed", "4.18", norm_int, "replace"),
        FieldSpec("memory", "memory", None, "memory", "4.18", norm_int, "replace"),
        FieldSpec("offerha", "offerha", None, "offerha", "4.18", norm_bool_false, "replace"),
        FieldSpec(
            "limitcpuuse", "limitcpuuse", None, "limitcpuuse", "4.18", norm_bool_false, "replace"
        ),
        FieldSpec(
            "rootdisksize", "rootdisksize", None, "rootdisksize", "4.18", norm_int, "replace"
        ),
        FieldSpec("hosttags", "hosttags", "hosttags", "hosttags", normalise=norm_csv),
        FieldSpec("tags", "tags", "storagetags", "storagetags", normalise=norm_csv),
        *common_fields(rates_updatable=False),
    ),
)
