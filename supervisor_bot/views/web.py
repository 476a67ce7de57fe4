"""What the bot says about the dashboard (督办看板) in chat."""

from __future__ import annotations

PRIVATE_ONLY = "请在与机器人的私聊中发送 /web 获取督办看板登录链接（登录链接只发给本人，不在群里发送）。"
DISABLED = "督办看板未启用。如需启用，请在 config/settings.toml 的 [web] 中设置 listen 和 public_url。"
NOBODY = "督办看板只对协调员、领导和已登记的联络员开放，您目前没有查看权限。"


def login_link(link: str) -> str:
    return f"督办看板登录链接（10分钟内有效，只能使用一次，请勿转发）：\n{link}\n登录后8小时内有效。"
