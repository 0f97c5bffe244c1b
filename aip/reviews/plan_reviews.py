"""Submitted plans awaiting review, and approving or returning one."""


def plan_queue(grant):
    """Return the submitted plans awaiting the reviewer with this grant."""
    # TODO: placeholder until plan reviews are built.
    return []
