"""Browser test of the real Home Assistant frontend with this integration."""
