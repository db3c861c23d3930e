"""Monitoring engine for consumption-based poverty relief (消费扶贫 / 消费帮扶)."""
