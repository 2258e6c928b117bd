"""Parts of the picture that two or more segments use (a part one segment uses lives beside that segment)."""
