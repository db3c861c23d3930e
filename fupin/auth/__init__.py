"""Sign-in, roles and the audit trail (issue 11): accounts, lock-out, permissions, audit log, demo mode.

No Streamlit here: the CLI, the pages and the tests share these modules; the sign-in page is fupin/ui/signin.py.
"""
