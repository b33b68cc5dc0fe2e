"""The three parties' pages of the suggestion lifecycle: deputies (portal.py, /portal/suggestions/), handling units
(unit.py, /unit/) and the public (public.py, /replies/). Views are thin: reads through proposals.selectors, writes
through proposals.services."""
