"""The inbox of pending registrations, and approving or rejecting one."""

from aip.reviews import bp


# TODO: placeholder view until the registration inbox is built.
@bp.get("/")
def inbox():
    return "inbox", 501
