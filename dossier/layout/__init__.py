"""Pages drawn with reportlab: the front matter, exhibit bodies, stamps and footers."""
