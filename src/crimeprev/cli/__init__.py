"""The command line: thin Typer commands that parse arguments, call one library function and
format its answer."""
