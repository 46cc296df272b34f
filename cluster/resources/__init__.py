"""The shared resource library: files and links shared with a network or the whole organisation."""
