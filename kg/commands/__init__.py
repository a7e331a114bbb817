"""Subcommands of ``kg``: each module here defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(args, config) -> int``. The CLI discovers them, so a new command is a new module, not an ``elif``."""
