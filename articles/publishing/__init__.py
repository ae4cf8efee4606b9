"""Publishing: drafts of articles, sign-off, the one publish step and the write path after it."""
