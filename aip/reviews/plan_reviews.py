"""Submitted plans awaiting review, and approving or returning one."""
