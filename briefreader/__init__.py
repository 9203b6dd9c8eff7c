"""briefreader: read and search Dutch government letters to parliament (Kamerbrieven) in a terminal."""

__version__ = "0.1.0"
