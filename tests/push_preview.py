"""How a 企业微信 group shows a robot's markdown, near enough for a screenshot: its subset (headings, bold, links,
quotes, <font color="info|comment|warning">) as HTML in a chat bubble."""

import html
import re

COLOURS = {"info": "#07a35a", "comment": "#8a8f99", "warning": "#f29100"}
FONT = re.compile(r'&lt;font color=&quot;(info|comment|warning)&quot;&gt;(.*?)&lt;/font&gt;')


def _inline(text: str) -> str:
    text = FONT.sub(lambda m: f'<span style="color:{COLOURS[m[1]]}">{m[2]}</span>', html.escape(text))
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    return re.sub(r"\[(.+?)\]\((.+?)\)", r'<a href="\2" style="color:#2e6bd6;text-decoration:none">\1</a>', text)


def wecom_bubble(markdown: str, file_name: str, file_bytes: int, robot: str = "简报机器人") -> str:
    """A phone-width page with the markdown in a group chat's bubble, and the file message after it."""
    lines = []
    for line in markdown.split("\n"):
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            lines.append(f'<div style="font-size:{20 - level}px;font-weight:600;margin:2px 0 6px">'
                         f"{_inline(line.lstrip('#').strip())}</div>")
        elif line.startswith("> "):
            lines.append(f'<div style="border-left:3px solid #d8dbe0;padding-left:8px;color:#3d4148">{_inline(line[2:])}</div>')
        elif line.strip():
            lines.append(f"<div>{_inline(line)}</div>")
        else:
            lines.append('<div style="height:8px"></div>')
    bubble = "".join(lines)
    file_card = ('<div style="background:#fff;border-radius:6px;padding:10px 12px;margin-top:10px;display:flex;gap:10px;'
                 'align-items:center"><div style="flex:none;width:34px;height:40px;border-radius:4px;background:#e5484d;'
                 'color:#fff;font-size:11px;font-weight:700;display:flex;align-items:center;justify-content:center">PDF'
                 f'</div><div><div style="font-size:14px;color:#1f2329">{html.escape(file_name)}</div>'
                 f'<div style="font-size:12px;color:#8a8f99">{file_bytes / 1024:.0f} KB</div></div></div>')
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
            '</head><body style="margin:0;background:#f0f1f4;font-family:\'Noto Sans CJK SC\',sans-serif">'
            '<div style="background:#fff;padding:10px 14px;font-size:16px;font-weight:600;border-bottom:1px solid #e3e5e8">'
            '垣曲县消费帮扶工作群</div><div style="display:flex;gap:8px;padding:12px 10px">'
            '<div style="flex:none;width:36px;height:36px;border-radius:6px;background:#3b7cff;color:#fff;'
            'font-size:15px;display:flex;align-items:center;justify-content:center">报</div><div style="min-width:0">'
            f'<div style="font-size:12px;color:#8a8f99;margin-bottom:4px">{html.escape(robot)}</div>'
            '<div style="background:#fff;border-radius:6px;padding:10px 12px;font-size:14px;line-height:1.6;'
            f'color:#1f2329;overflow-wrap:anywhere">{bubble}</div>{file_card}</div></div></body></html>')
