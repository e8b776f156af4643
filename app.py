"""Web UI entry point (thin): see qa.web.app."""

from qa.web.lean import without_pyarrow

without_pyarrow()  # before Gradio loads pandas: the page never uses Arrow (see qa.web.lean)

from qa.web.app import main  # noqa: E402

if __name__ == "__main__":
    main()
