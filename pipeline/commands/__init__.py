"""The ``gazette`` sub-commands, one module each; ``pipeline.cli`` lists them.

Each module imports ``app`` from ``pipeline.commands.common`` and decorates its command.
"""
