"""Host scripts: the steps on hosts that CloudStack's API calls need first.

The machinery lives here: shell helpers, the script index, ordering, roles
(:mod:`specc.hosts.roles`), the storage NIC role, which belongs to no backend, and
the roles several backends share (the iSCSI ones, :mod:`specc.hosts.iscsi`). Each
backend's own scripts live with it under :mod:`specc.backends`;
:mod:`specc.hosts.collect` gathers every script, check and note a spec needs.
"""
