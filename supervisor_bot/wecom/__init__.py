"""The WeCom (企业微信) front: the 智能机器人's long connection, the Messenger port over it, and its handlers.

Imported only when `[messenger] kind = "wecom"`; nothing outside this package speaks WeCom's frames.
"""
