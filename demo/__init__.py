"""The demo organisation, log-ins and generated records for every app; nothing in the product imports it."""
