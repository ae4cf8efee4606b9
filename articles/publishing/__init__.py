"""Publishing: the one write path every change to an article goes through."""
