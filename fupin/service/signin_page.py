"""The sign-in page as plain HTML in the app's look: 用户名, 密码, 登录 (Chinese first, English on request), the last
failure in red, and 单点登录 when single sign-on is set up."""

from html import escape
from urllib.parse import quote

from ..text.i18n import t

STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #ffffff; color: #31333f; font: 16px/1.6 "Source Sans 3", "Source Sans Pro",
       "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif; }
header { background: #f0f2f6; padding: 12px 24px; display: flex; justify-content: space-between;
         align-items: center; }
header .app { font-weight: 600; }
header a { color: #31333f; font-size: 14px; }
main { max-width: 420px; margin: 8vh auto 0; padding: 0 24px; }
h1 { font-size: 2.25rem; font-weight: 700; margin: 0 0 24px; }
label { display: block; font-size: 14px; margin: 16px 0 4px; }
input[type=text], input[type=password] { width: 100%; padding: 8px 12px; font: inherit; color: inherit;
       background: #f0f2f6; border: 1px solid #f0f2f6; border-radius: 8px; }
input:focus { outline: none; border-color: #ff4b4b; }
button { display: inline-block; margin-top: 24px; padding: 6px 16px; font: inherit; border-radius: 8px;
         cursor: pointer; color: #ffffff; background: #ff4b4b; border: 1px solid #ff4b4b; }
button:hover { background: #e03b3b; }
button.secondary { color: #31333f; background: #ffffff; border: 1px solid rgba(49, 51, 63, 0.2); margin-top: 12px; }
button.secondary:hover { color: #ff4b4b; border-color: #ff4b4b; }
.error { background: rgba(255, 43, 43, 0.09); color: #7d353b; border-radius: 8px; padding: 12px 16px; }
"""


def page(lang: str, *, site_path, message: str | None = None, name: str = "", csrf: str = "", wanted: str = "",
         sso: bool = False) -> str:
    """The whole page; `site_path` turns a route into its path under the base URL; `wanted` is where to go after."""
    other = "en" if lang == "zh" else "zh"
    switch = site_path("/auth/signin") + f"?lang={other}" + (f"&next={quote(wanted, safe='')}" if wanted else "")
    error = f'<p class="error" role="alert">{escape(message)}</p>' if message else ""
    single = (f'<form method="get" action="{escape(site_path("/auth/sso"))}">'
              f'<input type="hidden" name="next" value="{escape(wanted)}">'
              f'<button type="submit" class="secondary">{escape(t("signin_sso", lang))}</button></form>') if sso else ""
    return f"""<!DOCTYPE html>
<html lang="{'zh-CN' if lang == 'zh' else 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(t("signin_title", lang))} · {escape(t("app_title", lang))}</title>
<style>{STYLE}</style>
</head>
<body>
<header><span class="app">{escape(t("app_title", lang))}</span>
<a href="{escape(switch)}">{"English" if other == "en" else "中文"}</a></header>
<main>
<h1>{escape(t("signin_title", lang))}</h1>
{error}
<form method="post" action="{escape(site_path("/auth/signin"))}">
<input type="hidden" name="csrf" value="{escape(csrf)}">
<input type="hidden" name="next" value="{escape(wanted)}">
<input type="hidden" name="lang" value="{lang}">
<label for="name">{escape(t("signin_name", lang))}</label>
<input type="text" id="name" name="name" value="{escape(name)}" autocomplete="username" autofocus>
<label for="password">{escape(t("signin_password", lang))}</label>
<input type="password" id="password" name="password" autocomplete="current-password">
<button type="submit">{escape(t("signin_button", lang))}</button>
</form>
{single}
</main>
</body>
</html>
"""
