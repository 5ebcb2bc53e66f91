"""Kind ``diskoffering``: ``createDiskOffering``, keyed by name.

Size, QoS and storage type are immutable (replace); display text, storage tags,
rate limits and zones are updated in place.
"""

from __future__ import annotations

from specc.cloud.kinds._offering import (
    LISTING,
    PHASE,
    common_fields,
    default_disk_offering,
    offering_key,
)
from specc.cloud.kinds.base import FieldSpec, Kind
from specc.cloud.kinds.normalise import norm_bool_false, norm_csv, norm_int

KIND = Kind(
    name="diskoffering",
    list_command="listDiskOfferings",
    key=offering_key,
    phase=PHASE,
    zone_at=None,
    listing=LISTING,
    builtin=default_disk_offering,
    create_command="createDiskOffering",
    update_command="updateDiskOffering",
    delete_command="deleteDiskOffering",
    fields=(
        FieldSpec(
            name="disksize",
            create="disksize",
            list_field="disksize",
            normalise=norm_int,
            mode="replace",
        ),
        FieldSpec(
            name="customized",
            create="customized",
            list_field="iscustomized",
            normalise=norm_bool_false,
            mode="replace",
        ),
        FieldSpec(name="tags", create="tags", update="tags", list_field="tags", normalise=norm_csv),
        *common_fields(rates_updatable=True),
    ),
)
