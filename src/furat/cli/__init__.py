"""The command line: thin handlers over the stages' library functions, one module per stage."""
