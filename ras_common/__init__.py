"""Facts every room shares and that the libraries may not import from one another (they are independent): a
leaf package that imports nothing of ours. Keep it tiny; a fact belongs here only when two libraries need it."""
