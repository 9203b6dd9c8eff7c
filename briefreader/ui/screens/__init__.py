"""The reader's screens: the main reader, the footnote popup, the help screen."""
