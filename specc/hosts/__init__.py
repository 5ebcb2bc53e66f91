"""Host scripts: the steps on hosts that CloudStack's API calls need first.

The machinery lives here (shell helpers, the script index, ordering, the storage
NIC role, which belongs to no backend); :mod:`specc.hosts.collect` gathers every
script, check and note a spec needs.
"""
