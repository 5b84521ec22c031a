"""The routing policy: load, validate and compile the YAML policy files."""
