"""The deployment kit: nginx, systemd and environment files for a server (`python -m fupin deploy`), and a probe of a
running deployment (`python -m fupin deploy --check URL`)."""
