"""Delivery: the actions each strand's lead has achieved, has scheduled and has let slip."""
