"""Every domain rule, in the order the checker runs them.

References first (a dangling name makes later rules skip the object), then the
domain modules. Each module owns one range of codes: references SPC2xx, network
SPC30x-31x, ceph SPC32x, solidfire SPC33x-34x, ocfs2 SPC35x, offerings SPC36x,
templates SPC37x, hosts SPC38x, zones SPC39x.
"""

from __future__ import annotations

from specc.spec.rules import (
    Rule,
    ceph,
    hosts,
    network,
    ocfs2,
    offerings,
    references,
    solidfire,
    templates,
    zones,
)

ALL_RULES: tuple[Rule, ...] = (
    *references.RULES,
    *network.RULES,
    *ceph.RULES,
    *solidfire.RULES,
    *ocfs2.RULES,
    *offerings.RULES,
    *templates.RULES,
    *hosts.RULES,
    *zones.RULES,
)
