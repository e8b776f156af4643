"""The web UI: an ``Assistant`` -> a Gradio page (Ask, Verify, Check a draft, Sources) and its REST API.

Takes an opened assistant; gives a served page whose answers and
verifications are rendered as escaped HTML, behind a route guard that caps
request bodies and allows only the routes the page uses.
"""

from qa.web.app import build_app, main

__all__ = ["build_app", "main"]
