"""A local WeCom (企业微信) 智能机器人 server for tests and the demo: the long connection's frames, simulated
members, groups and one-to-one chats, the platform's limits, and a control API (`/control/...`)."""
