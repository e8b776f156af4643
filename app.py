"""Web UI entry point (thin): see qa.web.app."""

from qa.web.app import main

if __name__ == "__main__":
    main()
