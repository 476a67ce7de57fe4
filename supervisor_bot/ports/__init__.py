"""The ports: what the application needs from storage and from a messenger, as Protocols."""
