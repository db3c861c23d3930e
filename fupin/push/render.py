"""A message as each channel shows it: 企业微信 markdown (at most 4,096 bytes), 钉钉 markdown, and the mail's HTML
(one column that reads on a phone, styles inline as mail programs want) and plain text."""

import html

from ..text.i18n import t
from .content import Message, TileLine

TOP_LINES = 5
WECOM_MAX_BYTES = 4096
# 企业微信's markdown colours: info green, warning orange, comment grey.
WECOM_COLOURS = {"up": "info", "down": "warning"}
MAIL_COLOURS = {"up": "#2e7d32", "down": "#c62828"}


def _tile_text(tile: TileLine, lang: str, delta: str | None = None) -> str:
    """完成全年目标103.9%，超序时4.4个百分点 (`delta`: the schedule phrase as the channel colours it)."""
    parts = [t("push_done", lang, pct=tile.pct_done)] if tile.pct_done else []
    parts += [delta or tile.delta] if tile.delta else []
    return t("push_separator", lang).join(parts)


def _top(message: Message) -> tuple[list[str], int]:
    """The first lines of the attention list and how many more lines it has (its notes count what even it leaves out)."""
    return message.attention[:TOP_LINES], max(0, len(message.attention) - TOP_LINES)


def heading(message: Message, test: bool) -> str:
    """The title, marked 【测试】 for a test send."""
    return (t("push_test_mark", message.lang) if test else "") + message.title


def wecom_markdown(message: Message, new: list[str] = (), test: bool = False) -> str:
    """The 企业微信 markdown: title, date line, what is new (alerts), the top attention lines, the tiles, the link;
    attention lines are dropped from the end until it fits the robot's 4,096 bytes."""
    lines, more = _top(message)
    while True:
        text = _wecom(message, new, lines, more, test)
        if len(text.encode("utf-8")) <= WECOM_MAX_BYTES or not lines:
            return text
        lines, more = lines[:-1], more + 1


def _wecom(message: Message, new, lines, more, test) -> str:
    lang = message.lang
    out = [f"## {heading(message, test)}", f'<font color="comment">{message.meta}</font>', ""]
    if new:
        out += [f"**{t('push_new', lang)}**", *(f"> {line}" for line in new), ""]
    out.append(f"**{t('attention_title', lang)}**")
    out += [f"{i}. {line}" for i, line in enumerate(lines, start=1)] or [t("attention_none", lang)]
    if more:
        out.append(f'<font color="comment">{t("push_more", lang, n=more)}</font>')
    out += ["", f"**{t('push_key_figures', lang)}**"]
    for tile in message.tiles:
        delta = f'<font color="{WECOM_COLOURS[tile.trend]}">{tile.delta}</font>' if tile.trend else tile.delta
        rest = _tile_text(tile, lang, delta)
        out.append(f"> {tile.label} **{tile.value}**" + (f"{t('push_separator', lang)}{rest}" if rest else ""))
    if message.link:
        out += ["", f"[{t('push_open', lang)}]({message.link})"]
    return "\n".join(out)


def dingtalk_markdown(message: Message, new: list[str] = (), test: bool = False) -> str:
    """The 钉钉 markdown text (its title is the message's): the same parts, without colours."""
    lang = message.lang
    lines, more = _top(message)
    out = [f"### {heading(message, test)}", "", message.meta, ""]
    if new:
        out += [f"**{t('push_new', lang)}**", "", *(f"- {line}" for line in new), ""]
    out += [f"**{t('attention_title', lang)}**", ""]
    out += [f"{i}. {line}" for i, line in enumerate(lines, start=1)] or [t("attention_none", lang)]
    if more:
        out += ["", t("push_more", lang, n=more)]
    out += ["", f"**{t('push_key_figures', lang)}**", ""]
    for tile in message.tiles:
        rest = _tile_text(tile, lang)
        out.append(f"- {tile.label} **{tile.value}**" + (f"{t('push_separator', lang)}{rest}" if rest else ""))
    if message.link:
        out += ["", f"[{t('push_open', lang)}]({message.link})"]
    return "\n".join(out)


def mail_text(message: Message, new: list[str] = (), test: bool = False) -> str:
    """The mail's plain-text alternative: every attention line, the tiles, the link, the PDF named."""
    lang = message.lang
    out = [heading(message, test), message.meta, ""]
    if new:
        out += [t("push_new", lang), *(f"- {line}" for line in new), ""]
    out.append(t("attention_title", lang))
    out += [f"{i}. {line}" for i, line in enumerate(message.attention, start=1)] or [t("attention_none", lang)]
    out += [*message.notes, "", t("push_key_figures", lang)]
    for tile in message.tiles:
        rest = _tile_text(tile, lang)
        out.append(f"- {tile.label} {tile.value}" + (f"{t('push_separator', lang)}{rest}" if rest else ""))
    out += ["", t("push_pdf_note", lang, name=message.pdf_name)]
    if message.link:
        out += [f"{t('push_open', lang)}: {message.link}"]
    return "\n".join(out) + "\n"


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def mail_html(message: Message, new: list[str] = (), test: bool = False) -> str:
    """The mail's HTML body: one column, 16 px text, every attention line, the tiles one under another, the link as a
    button; styles inline (mail programs drop style sheets)."""
    lang = message.lang
    font = ('font-family:-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;'
            "color:#1b1f24;font-size:16px;line-height:1.55")
    parts = [f'<h1 style="font-size:21px;line-height:1.35;margin:0 0 6px">{_esc(heading(message, test))}</h1>',
             f'<p style="color:#57606a;font-size:13px;margin:0 0 16px">{_esc(message.meta)}</p>']
    if new:
        parts.append(_section(t("push_new", lang), "#b35900",
                              "".join(f'<li style="margin:0 0 6px">{_esc(line)}</li>' for line in new), "ul"))
    items = "".join(f'<li style="margin:0 0 6px">{_esc(line)}</li>' for line in message.attention)
    body = items or f"<li>{_esc(t('attention_none', lang))}</li>"
    notes = "".join(f'<p style="color:#57606a;font-size:13px;margin:4px 0 0">{_esc(n)}</p>' for n in message.notes)
    parts.append(_section(t("attention_title", lang), "#c62828", body, "ol", notes))
    parts.append(f'<h2 style="font-size:17px;margin:20px 0 0">{_esc(t("push_key_figures", lang))}</h2>')
    cells = [_mail_tile(tile, lang) for tile in message.tiles]
    rows = "".join(f"<tr>{''.join(cells[i:i + 2])}</tr>" for i in range(0, len(cells), 2))
    parts.append(f'<table role="presentation" style="width:100%;border-collapse:separate;border-spacing:0 8px;'
                 f'table-layout:fixed">{rows}</table>')
    if message.link:
        parts.append(f'<p style="margin:20px 0 8px"><a href="{_esc(message.link)}" style="display:inline-block;'
                     'background:#1f6feb;color:#ffffff;text-decoration:none;padding:10px 18px;border-radius:6px;'
                     f'font-size:16px">{_esc(t("push_open", lang))}</a></p>')
    parts.append(f'<p style="color:#57606a;font-size:13px;margin:16px 0 0">'
                 f'{_esc(t("push_pdf_note", lang, name=message.pdf_name))}</p>')
    return (f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_esc(message.title)}</title></head>"
            f'<body style="margin:0;padding:0;background:#ffffff"><div style="{font};max-width:600px;margin:0 auto;'
            f'padding:16px">{"".join(parts)}</div></body></html>')


def _mail_tile(tile: TileLine, lang: str) -> str:
    """One tile as a table cell (two to a row: a phone shows six tiles in three rows)."""
    colour = MAIL_COLOURS.get(tile.trend, "#57606a")
    done = f'<div>{_esc(t("push_done", lang, pct=tile.pct_done))}</div>' if tile.pct_done else ""
    delta = f'<div style="color:{colour};font-weight:600">{_esc(tile.delta)}</div>' if tile.delta else ""
    return ('<td style="width:50%;vertical-align:top;padding:0 4px">'
            '<div style="border:1px solid #d0d7de;border-radius:8px;padding:8px 10px">'
            f'<div style="color:#57606a;font-size:14px">{_esc(tile.label)}</div>'
            f'<div style="font-size:22px;font-weight:700;line-height:1.3">{_esc(tile.value)}</div>'
            f'<div style="font-size:13px;line-height:1.4">{done}{delta}</div></div></td>')


def _section(heading: str, colour: str, items: str, tag: str, after: str = "") -> str:
    return (f'<div style="border-left:4px solid {colour};padding:2px 0 2px 12px;margin:0 0 16px">'
            f'<h2 style="font-size:17px;margin:0 0 8px">{_esc(heading)}</h2>'
            f'<{tag} style="margin:0;padding-left:22px">{items}</{tag}>{after}</div>')
