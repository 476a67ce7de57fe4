"""What the services hand back, as plain values: the services build them, the views render them (views never
import services). Only the standard library, pendulum and core/ are imported here."""
