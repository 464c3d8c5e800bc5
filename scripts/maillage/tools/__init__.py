"""Maintenance tools run by hand or in scheduled jobs (not imported by the validator)."""
