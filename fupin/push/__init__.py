"""Subscriptions: the brief pushed on a schedule to 企业微信 and 钉钉 group robots and by mail, and alerts when the
attention list has something new."""
