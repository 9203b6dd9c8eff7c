"""The reader's widgets: the letter view, the letter tree, the search panel, the index status line."""
