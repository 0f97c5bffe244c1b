"""Administrator commands run with `flask aip`."""

from flask.cli import AppGroup

from aip.admin import demo, organisations, schema, setup, users, years

aip_cli = AppGroup("aip", help="Administer AIP: schema, data and users.")

for module in (setup, schema, organisations, users, years, demo):
    for command in module.COMMANDS:
        aip_cli.add_command(command)


def init_app(app):
    app.cli.add_command(aip_cli)
