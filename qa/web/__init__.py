"""The web UI: an ``Assistant`` -> a Gradio page (Ask, Verify, Check a draft, Sources) and its REST API.

Takes an opened assistant; gives a served page whose answers and
verifications are rendered as escaped HTML, behind a route guard that caps
request bodies and allows only the routes the page uses. Its names load
Gradio when first used, so the server's entry point can set up the process
first (``qa.web.lean``).
"""

__all__ = ["build_app", "main"]


def __getattr__(name: str):
    if name in __all__:
        from qa.web import app

        return getattr(app, name)
    raise AttributeError(f"module 'qa.web' has no attribute {name!r}")
