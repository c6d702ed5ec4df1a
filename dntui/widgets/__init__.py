"""Widgets of the dntui app: the billing pane and the steps of the visit flow."""
