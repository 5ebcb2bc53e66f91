"""Kind ``serviceoffering``: ``createServiceOffering``, keyed by name.

CPU, memory, HA, root disk, QoS and rates are immutable (replace); display text,
host tags, storage tags and zones are updated in place.
"""

from __future__ import annotations

from specc.cloud.kinds._offering import (
    LISTING,
    PHASE,
    common_fields,
    default_service_offering,
    offering_key,
)
from specc.cloud.kinds.base import FieldSpec, Kind
from specc.cloud.kinds.normalise import norm_bool_false, norm_csv, norm_int

KIND = Kind(
    name="serviceoffering",
    list_command="listServiceOfferings",
    key=offering_key,
    phase=PHASE,
    zone_at=None,
    listing=LISTING,
    builtin=default_service_offering,
    create_command="createServiceOffering",
    update_command="updateServiceOffering",
    delete_command="deleteServiceOffering",
    fields=(
        FieldSpec(
            name="cpunumber",
            create="cpunumber",
            list_field="cpunumber",
            normalise=norm_int,
            mode="replace",
        ),
        FieldSpec(
            name="cpuspeed",
            create="cpuspeed",
            list_field="cpuspeed",
            normalise=norm_int,
            mode="replace",
        ),
        FieldSpec(
            name="memory", create="memory", list_field="memory", normalise=norm_int, mode="replace"
        ),
        FieldSpec(
            name="offerha",
            create="offerha",
            list_field="offerha",
            normalise=norm_bool_false,
            mode="replace",
        ),
        FieldSpec(
            name="limitcpuuse",
            create="limitcpuuse",
            list_field="limitcpuuse",
            normalise=norm_bool_false,
            mode="replace",
        ),
        FieldSpec(
            name="rootdisksize",
            create="rootdisksize",
            list_field="rootdisksize",
            normalise=norm_int,
            mode="replace",
        ),
        FieldSpec(
            name="hosttags",
            create="hosttags",
            update="hosttags",
            list_field="hosttags",
            normalise=norm_csv,
        ),
        FieldSpec(
            name="tags",
            create="tags",
            update="storagetags",
            list_field="storagetags",
            normalise=norm_csv,
        ),
        *common_fields(rates_updatable=False),
    ),
)
