"""Event stores: one port (`EventStore`), several adapters, one contract test suite."""
