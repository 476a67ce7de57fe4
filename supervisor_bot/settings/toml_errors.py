"""What tomllib says about a broken file, said in Chinese with the line and column: no English reaches the office."""

from __future__ import annotations

import re

_WHERE = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")
_MEANINGS: tuple[tuple[str, str], ...] = (
    (r"^Cannot (declare|mutate|overwrite|redefine)|^Duplicate", "同一小节或同一配置项写了两次（或与已有的小节冲突）"),
    (r"^Expected '=' after a key", '配置项名称后应有“=”，例如 weekday = "周一"'),
    (r"^Expected '\]' at the end of a table", "小节标题缺少“]”，例如 [digest]"),
    (r"^Expected '\]\]'", "缺少“]]”，例如 [[department]]"),
    (r"^Expected newline or end of document", "一行只能写一个配置项：值之后还有多余的内容"),
    (r"^Unterminated string", "引号没有闭合：字符串应以同样的引号结束"),
    (r"^Unclosed array", "列表缺少“]”，例如 [123456789, 987654321]"),
    (r"^Unclosed inline table", "内联表缺少“}”"),
    (
        r"^Invalid initial character for a key part",
        '配置项名称的写法不对：中文名称请加英文双引号，例如 "市财政局" = -1001234567890',
    ),
    (r"^Invalid value", '值的写法不对：文字请加英文双引号（例如 "周一"），数字不加引号'),
    (r"^Invalid date", "日期或时间的写法不对"),
    (r"Unicode scalar|hex value|Unescaped '\\'", "字符串中的反斜杠“\\”写法不对：路径请用“/”，或改用单引号"),
    (r"^(Found invalid|Illegal) character", "含有不允许的字符（例如中文引号、全角等号或制表符以外的控制字符）"),
    (r"^Invalid statement", '无法识别这一行：配置项应写作 名称 = 值，中文名称请加英文双引号（"市财政局" = …）'),
)


def explain(message: str) -> str:
    """`Invalid value (at line 3, column 9)` → `第3行第9列：值的写法不对…`."""
    where = _WHERE.search(message)
    if where is None:
        place = ""
    elif where.group(1):
        place = f"第{where.group(1)}行第{where.group(2)}列："
    else:
        place = "文件末尾："
    text = message[: where.start()] if where else message
    meaning = next((said for pattern, said in _MEANINGS if re.search(pattern, text)), "格式不对")
    return f"TOML 格式错误，{place}{meaning}"
