"""The web layer on top: pages that gather several apps (the home dashboards, the farm's own
page, the region pages) and the demo seeding. No domain app imports it."""
