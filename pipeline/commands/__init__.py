"""Extra ``gazette`` sub-commands, one module each (register, search, export, report, serve …).

Each module imports ``app`` from ``pipeline.cli`` and decorates its command;
``pipeline.cli`` imports every module here, so adding a command is adding a file.
"""
