"""Administrator commands run with `flask aip`."""

from flask.cli import AppGroup

from aip.admin import organisations, schema, years

aip_cli = AppGroup("aip", help="Administer AIP: schema, data and users.")

for module in (schema, organisations, years):
    for command in module.COMMANDS:
        aip_cli.add_command(command)


def init_app(app):
    app.cli.add_command(aip_cli)
