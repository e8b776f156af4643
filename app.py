"""Web UI entry point (thin): see qa.webapp."""

from qa.webapp import main

if __name__ == "__main__":
    main()
