"""Supervision's own pages: the members' polls in the portal (portal.py), the organs' rectification items in the unit
workspace (unit.py). Views are thin: reads through supervision.selectors, writes through supervision.services."""
