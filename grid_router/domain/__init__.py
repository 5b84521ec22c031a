"""The pure core: values, decisions and events. Standard library only, no I/O, no clock reads."""
