"""The local web page (``reportgen serve``): the same library functions as the command line."""
